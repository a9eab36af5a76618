"""Baseline: multinomial logistic regression on raw pixels scaled to [0, 1]."""

from pathlib import Path

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")
pixels = [c for c in train.columns if c.startswith("pixel_")]
X, y = train[pixels].to_numpy() / 255.0, train["label"]


def model():
    return LogisticRegression(C=0.05, max_iter=500)


X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
print(f"validation_score: {accuracy_score(y_val, model().fit(X_fit, y_fit).predict(X_val)):.6f}")

final = model().fit(X, y)
Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], "label": final.predict(test[pixels].to_numpy() / 255.0)}).to_csv(
    "submission/submission.csv", index=False
)
