"""Baseline: logistic regression on the numeric columns only (median-imputed, scaled)."""

import os
from pathlib import Path

import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

TARGET = "bad_credit"

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")
features = [c for c in train.select_dtypes("number").columns if c not in ("id", TARGET)]
X, y = train[features], train[TARGET]


def model():
    return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=1000))


X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
print(f"validation_score: {roc_auc_score(y_val, model().fit(X_fit, y_fit).predict_proba(X_val)[:, 1]):.6f}")

final = model().fit(X, y)
Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: final.predict_proba(test[features])[:, 1]}).to_csv(
    "submission/submission.csv", index=False
)
