"""Reference: rank average of a regularised logistic regression and a shallow LightGBM on
engineered features (ordinal sub-grade, years employed, loan-to-income)."""

import os
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

TARGET = "bad_loan"
N_JOBS = int(os.environ.get("STARLING_N_JOBS", "1"))


def add_features(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["grade_num"] = frame["sub_grade"].map(lambda s: (ord(s[0]) - ord("A")) * 5 + int(s[1]))
    frame["emp_years"] = frame["emp_length"].str.extract(r"(\d+)", expand=False).astype(float)
    frame["term_60"] = (frame["term"] == "term_60").astype(int)
    frame["verified"] = (frame["verification_status"] != "Not_Verified").astype(int)
    frame["log_income"] = np.log1p(frame["annual_inc"])
    frame["loan_to_income"] = frame["funded_amnt"] / (frame["annual_inc"] + 1)
    return frame


train = add_features(pd.read_csv("input/train.csv"))
test = add_features(pd.read_csv("input/test.csv"))
features = [c for c in train.columns if c not in ("id", TARGET) and pd.api.types.is_numeric_dtype(train[c])]


def fit_predict(fit: pd.DataFrame, y_fit: pd.Series, other: pd.DataFrame) -> np.ndarray:
    linear = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(C=0.1, max_iter=3000))
    p_lin = linear.fit(fit, y_fit).predict_proba(other)[:, 1]
    boosted = lgb.LGBMClassifier(
        n_estimators=500, learning_rate=0.01, num_leaves=4, min_child_samples=50, subsample=0.8,
        subsample_freq=1, colsample_bytree=0.5, reg_lambda=5.0, n_jobs=N_JOBS, verbose=-1, random_state=0,
    )
    p_gb = boosted.fit(fit, y_fit).predict_proba(other)[:, 1]
    return (rankdata(p_lin) + rankdata(p_gb)) / (2 * len(other))


X, y = train[features], train[TARGET]
X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
print(f"validation_score: {roc_auc_score(y_val, fit_predict(X_fit, y_fit, X_val)):.6f}")

Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: fit_predict(X, y, test[features])}).to_csv(
    "submission/submission.csv", index=False
)
