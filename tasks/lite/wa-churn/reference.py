"""Reference: one-hot + scaled logistic regression averaged with a slow-learning LightGBM."""

import os
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

TARGET = "churn"
N_JOBS = int(os.environ.get("STARLING_N_JOBS", "1"))

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")
features = [c for c in train.columns if c not in ("id", TARGET)]
categorical = [c for c in features if train[c].dtype == object or str(train[c].dtype).startswith("str")]
numeric = [c for c in features if c not in categorical]


def add_features(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["log_tenure"] = np.log1p(frame["tenure"])
    frame["charge_ratio"] = frame["total_charges"].fillna(0) / (frame["tenure"] * frame["monthly_charges"] + 1)
    return frame


extra = ["log_tenure", "charge_ratio"]


def linear():
    prep = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric + extra),
        (OneHotEncoder(handle_unknown="ignore"), categorical),
    )
    return make_pipeline(prep, LogisticRegression(C=0.3, max_iter=2000))


def boosted():
    return lgb.LGBMClassifier(
        n_estimators=400, learning_rate=0.02, num_leaves=8, min_child_samples=40,
        subsample=0.8, subsample_freq=1, colsample_bytree=0.7, reg_lambda=5.0,
        n_jobs=N_JOBS, verbose=-1, random_state=0,
    )


def fit_predict(fit: pd.DataFrame, y_fit: pd.Series, other: pd.DataFrame) -> np.ndarray:
    fit, other = add_features(fit), add_features(other)
    p_lin = linear().fit(fit, y_fit).predict_proba(other)[:, 1]
    gb_fit = fit[numeric + extra + categorical].astype({c: "category" for c in categorical})
    gb_other = other[numeric + extra + categorical].astype(
        {c: pd.CategoricalDtype(gb_fit[c].cat.categories) for c in categorical}
    )
    p_gb = boosted().fit(gb_fit, y_fit).predict_proba(gb_other)[:, 1]
    return 0.5 * p_lin + 0.5 * p_gb


X, y = train[features], train[TARGET]
X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
print(f"validation_score: {roc_auc_score(y_val, fit_predict(X_fit, y_fit, X_val)):.6f}")

Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: fit_predict(X, y, test[features])}).to_csv(
    "submission/submission.csv", index=False
)
