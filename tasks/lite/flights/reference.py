"""Reference: LightGBM on calendar/schedule features plus smoothed delay rates of the same
day and the same departure hour (out-of-fold on training rows, so they do not leak):
weather and congestion hit every flight of a day, which a random split lets us borrow."""

import os
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import KFold, train_test_split

TARGET = "delayed"
N_JOBS = int(os.environ.get("STARLING_N_JOBS", "1"))
PARAMS = dict(
    learning_rate=0.03, num_leaves=31, min_child_samples=20, subsample=0.8, subsample_freq=1,
    colsample_bytree=0.7, n_jobs=N_JOBS, verbose=-1, random_state=0,
)
CATEGORICAL = ["carrier", "origin", "dest"]
FEATURES = ["month", "day", "day_of_year", "weekday", "dep_minute", "sched_arr_time", "distance", "flight",
            *CATEGORICAL, "day_rate", "slot_rate"]


def add_calendar(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    date = pd.to_datetime(pd.DataFrame({"year": 2013, "month": frame["month"], "day": frame["day"]}))
    frame["day_of_year"] = date.dt.day_of_year
    frame["weekday"] = date.dt.day_of_week
    frame["dep_minute"] = frame["hour"] * 60 + frame["minute"]
    frame["slot"] = frame["day_of_year"] * 24 + frame["hour"]
    return frame


def smoothed_rate(fit: pd.DataFrame, key: str, other: pd.DataFrame, strength: float) -> np.ndarray:
    prior = fit[TARGET].mean()
    stats = fit.groupby(key)[TARGET].agg(["sum", "count"])
    rate = (stats["sum"] + prior * strength) / (stats["count"] + strength)
    return other[key].map(rate).fillna(prior).to_numpy()


def add_rates(fit: pd.DataFrame, other: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rates for `other` from all of `fit`; rates for `fit` itself out-of-fold (5 folds)."""
    fit, other = fit.copy(), other.copy()
    for key, name, strength in [("day_of_year", "day_rate", 20.0), ("slot", "slot_rate", 10.0)]:
        other[name] = smoothed_rate(fit, key, other, strength)
        oof = np.zeros(len(fit))
        for a, b in KFold(5, shuffle=True, random_state=0).split(fit):
            oof[b] = smoothed_rate(fit.iloc[a], key, fit.iloc[b], strength)
        fit[name] = oof
    return fit, other


def fit_predict(fit: pd.DataFrame, other: pd.DataFrame, n_trees: int) -> np.ndarray:
    fit, other = add_rates(fit, other)
    model = lgb.LGBMClassifier(n_estimators=n_trees, **PARAMS).fit(fit[FEATURES], fit[TARGET])
    return model.predict_proba(other[FEATURES])[:, 1]


train = add_calendar(pd.read_csv("input/train.csv"))
test = add_calendar(pd.read_csv("input/test.csv"))
for column in CATEGORICAL:
    dtype = pd.CategoricalDtype(sorted(train[column].unique()))
    train[column] = train[column].astype(dtype)
    test[column] = test[column].where(test[column].isin(dtype.categories)).astype(dtype)  # unseen -> NaN

part_fit, part_val = train_test_split(train, test_size=0.2, random_state=0, stratify=train[TARGET])
fit_rated, val_rated = add_rates(part_fit, part_val)
probe = lgb.LGBMClassifier(n_estimators=3000, **PARAMS).fit(
    fit_rated[FEATURES], fit_rated[TARGET], eval_X=(val_rated[FEATURES],), eval_y=(val_rated[TARGET],),
    eval_metric="auc", callbacks=[lgb.early_stopping(100, verbose=False)],
)
print(f"validation_score: {roc_auc_score(val_rated[TARGET], probe.predict_proba(val_rated[FEATURES])[:, 1]):.6f}")

Path("submission").mkdir(exist_ok=True)
prediction = fit_predict(train, test, max(100, int(probe.best_iteration_ * 1.1)))
pd.DataFrame({"id": test["id"], TARGET: prediction}).to_csv("submission/submission.csv", index=False)
