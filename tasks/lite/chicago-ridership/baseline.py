"""Baseline: each weekday's mean ridership over the last 8 weeks of the training series."""

from pathlib import Path

import pandas as pd
from sklearn.metrics import mean_absolute_error

TARGET = "ridership"

train = pd.read_csv("input/train.csv", parse_dates=["date"])
test = pd.read_csv("input/test.csv", parse_dates=["date"])


def weekday_means(history: pd.DataFrame, dates: pd.Series) -> pd.Series:
    recent = history.iloc[-56:]
    profile = recent.groupby(recent["date"].dt.day_of_week)[TARGET].mean()
    return dates.dt.day_of_week.map(profile)


horizon = len(test)
valid = train.iloc[-horizon:]
print(f"validation_score: {mean_absolute_error(valid[TARGET], weekday_means(train.iloc[:-horizon], valid['date'])):.6f}")

Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: weekday_means(train, test["date"]).to_numpy()}).to_csv(
    "submission/submission.csv", index=False
)
