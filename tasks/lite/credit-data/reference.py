"""Reference: LightGBM with native categorical columns; the number of trees is picked by
early stopping on a holdout, then the model is refit on all training rows."""

import os
from pathlib import Path

import lightgbm as lgb
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

TARGET = "bad_credit"
N_JOBS = int(os.environ.get("STARLING_N_JOBS", "1"))
PARAMS = dict(
    learning_rate=0.03, num_leaves=15, min_child_samples=20, subsample=0.8, subsample_freq=1,
    colsample_bytree=0.7, reg_lambda=1.0, n_jobs=N_JOBS, verbose=-1, random_state=0,
)

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")
features = [c for c in train.columns if c not in ("id", TARGET)]
categorical = [c for c in features if not pd.api.types.is_numeric_dtype(train[c])]
for column in categorical:
    dtype = pd.CategoricalDtype(sorted(train[column].dropna().unique()))
    train[column] = train[column].astype(dtype)
    test[column] = test[column].where(test[column].isin(dtype.categories)).astype(dtype)  # unseen -> NaN
X, y = train[features], train[TARGET]

X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
probe = lgb.LGBMClassifier(n_estimators=3000, **PARAMS).fit(
    X_fit, y_fit, eval_X=(X_val,), eval_y=(y_val,), eval_metric="auc",
    callbacks=[lgb.early_stopping(100, verbose=False)],
)
print(f"validation_score: {roc_auc_score(y_val, probe.predict_proba(X_val)[:, 1]):.6f}")

n_trees = max(50, int(probe.best_iteration_ * 1.1))
final = lgb.LGBMClassifier(n_estimators=n_trees, **PARAMS).fit(X, y)
Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: final.predict_proba(test[features])[:, 1]}).to_csv(
    "submission/submission.csv", index=False
)
