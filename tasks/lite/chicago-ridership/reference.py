"""Reference: LightGBM on calendar features (weekday, day of year, trend, US federal holidays
and the days around them) plus the weather and sports covariates, trained on the whole
history. Validated on the last 60 days of the training series (same horizon as the test)."""

import os
from pathlib import Path

import lightgbm as lgb
import pandas as pd
from pandas.tseries.holiday import USFederalHolidayCalendar
from sklearn.metrics import mean_absolute_error

TARGET = "ridership"
N_JOBS = int(os.environ.get("STARLING_N_JOBS", "1"))
PARAMS = dict(
    n_estimators=600, learning_rate=0.03, num_leaves=15, min_child_samples=10, subsample=0.8,
    subsample_freq=1, colsample_bytree=0.8, n_jobs=N_JOBS, verbose=-1, random_state=0,
)

train = pd.read_csv("input/train.csv", parse_dates=["date"])
test = pd.read_csv("input/test.csv", parse_dates=["date"])
holidays = USFederalHolidayCalendar().holidays(train["date"].min(), test["date"].max() + pd.Timedelta(days=1))
one_day = pd.Timedelta(days=1)


def features(frame: pd.DataFrame) -> pd.DataFrame:
    date = frame["date"]
    out = pd.DataFrame({
        "weekday": date.dt.day_of_week,
        "day_of_year": date.dt.day_of_year,
        "month": date.dt.month,
        "trend": date.dt.year + date.dt.day_of_year / 366,
        "holiday": date.isin(holidays).astype(int),
        "near_holiday": (date.isin(holidays + one_day) | date.isin(holidays - one_day)).astype(int),
    })
    covariates = [c for c in frame.columns if c not in ("id", "date", TARGET)]
    return pd.concat([out, frame[covariates]], axis=1)


X, y = features(train), train[TARGET]
horizon = len(test)
probe = lgb.LGBMRegressor(**PARAMS).fit(X.iloc[:-horizon], y.iloc[:-horizon])
print(f"validation_score: {mean_absolute_error(y.iloc[-horizon:], probe.predict(X.iloc[-horizon:])):.6f}")

final = lgb.LGBMRegressor(**PARAMS).fit(X, y)
Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: final.predict(features(test))}).to_csv("submission/submission.csv", index=False)
