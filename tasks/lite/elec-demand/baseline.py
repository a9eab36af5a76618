"""Baseline: seasonal naive forecast: the last observed week repeated over the horizon."""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error

TARGET = "Demand"
WEEK = 7 * 48

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")


def seasonal_naive(history: np.ndarray, horizon: int) -> np.ndarray:
    return np.resize(history[-WEEK:], horizon)


history = train[TARGET].to_numpy()
horizon = len(test)
print(f"validation_score: {mean_absolute_error(history[-horizon:], seasonal_naive(history[:-horizon], horizon)):.6f}")

Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: seasonal_naive(history, horizon)}).to_csv(
    "submission/submission.csv", index=False
)
