"""Baseline: ridge regression on the numeric columns only (median-imputed, scaled)."""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

TARGET = "time_to_delivery"
LOG_TARGET = False

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")
features = [c for c in train.select_dtypes("number").columns if c not in ("id", TARGET)]
X, y = train[features], train[TARGET]


def fit_predict(X_fit: pd.DataFrame, y_fit: pd.Series, X_other: pd.DataFrame) -> np.ndarray:
    model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), Ridge(alpha=1.0))
    if LOG_TARGET:
        return np.expm1(model.fit(X_fit, np.log1p(y_fit)).predict(X_other)).clip(0, None)
    return model.fit(X_fit, y_fit).predict(X_other)


X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=0)
print(f"validation_score: {mean_absolute_error(y_val, fit_predict(X_fit, y_fit, X_val)):.6f}")

Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: fit_predict(X, y, test[features])}).to_csv(
    "submission/submission.csv", index=False
)
