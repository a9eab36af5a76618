"""Reference: LightGBM on calendar features (half-hour, weekday, work day) and the temperature
covariate with its rolling means, day range and lags. Day of year is left out on purpose:
trees cannot extrapolate it to the unseen forecast weeks. Validated on the last 4 weeks of
the training series (same horizon as the test)."""

import os
from pathlib import Path

import lightgbm as lgb
import pandas as pd
from sklearn.metrics import mean_absolute_error

TARGET = "Demand"
N_JOBS = int(os.environ.get("STARLING_N_JOBS", "1"))
PARAMS = dict(
    n_estimators=800, learning_rate=0.03, num_leaves=31, min_child_samples=20, subsample=0.8,
    subsample_freq=1, colsample_bytree=0.8, n_jobs=N_JOBS, verbose=-1, random_state=0,
)

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")
series = pd.concat([train, test], ignore_index=True)  # covariates are known for the whole horizon


def features(frame: pd.DataFrame) -> pd.DataFrame:
    when = pd.to_datetime(frame["timestamp"])
    temp = frame["Temperature"]
    out = pd.DataFrame({
        "half_hour": when.dt.hour * 2 + when.dt.minute // 30,
        "weekday": when.dt.day_of_week,
        "work_day": frame["WorkDay"],
        "temp": temp,
        "temp_lag_1h": temp.shift(2).bfill(),
        "temp_lag_1d": temp.shift(48).bfill(),
        "day_max": temp.groupby(when.dt.date).transform("max"),
        "day_min": temp.groupby(when.dt.date).transform("min"),
    })
    for window in [6, 24, 48, 96]:
        out[f"temp_mean_{window}"] = temp.rolling(window, min_periods=1).mean()
    return out


X = features(series)
n_train = len(train)
X_train, y_train, X_test = X.iloc[:n_train], train[TARGET], X.iloc[n_train:]

horizon = len(test)
probe = lgb.LGBMRegressor(**PARAMS).fit(X_train.iloc[:-horizon], y_train.iloc[:-horizon])
print(f"validation_score: {mean_absolute_error(y_train.iloc[-horizon:], probe.predict(X_train.iloc[-horizon:])):.6f}")

final = lgb.LGBMRegressor(**PARAMS).fit(X_train, y_train)
Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: final.predict(X_test)}).to_csv("submission/submission.csv", index=False)
