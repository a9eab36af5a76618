"""Reference: LightGBM (objective regression_l1) with native categorical columns; the number of
trees is picked by early stopping on a holdout, then the model is refit on all rows."""

import os
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import train_test_split

TARGET = "avg_price_per_room"
LOG_TARGET = False
N_JOBS = int(os.environ.get("STARLING_N_JOBS", "1"))
PARAMS = dict(
    objective="regression_l1", learning_rate=0.06, num_leaves=31, min_child_samples=20, subsample=0.8,
    subsample_freq=1, colsample_bytree=0.7, reg_lambda=1.0, n_jobs=N_JOBS, verbose=-1, random_state=0,
)

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")
features = [c for c in train.columns if c not in ("id", TARGET)]
categorical = [c for c in features if not pd.api.types.is_numeric_dtype(train[c])]
for column in categorical:
    dtype = pd.CategoricalDtype(sorted(train[column].dropna().unique()))
    train[column] = train[column].astype(dtype)
    test[column] = test[column].where(test[column].isin(dtype.categories)).astype(dtype)  # unseen -> NaN
X = train[features]
y = np.log1p(train[TARGET]) if LOG_TARGET else train[TARGET]


def to_target(prediction: np.ndarray) -> np.ndarray:
    return np.expm1(prediction).clip(0, None) if LOG_TARGET else prediction


X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=0)
probe = lgb.LGBMRegressor(n_estimators=5000, **PARAMS).fit(
    X_fit, y_fit, eval_X=(X_val,), eval_y=(y_val,), callbacks=[lgb.early_stopping(200, verbose=False)]
)
print(f"validation_score: {mean_absolute_error(to_target(y_val), to_target(probe.predict(X_val))):.6f}")

n_trees = max(100, int(probe.best_iteration_ * 1.1))
final = lgb.LGBMRegressor(n_estimators=n_trees, **PARAMS).fit(X, y)
Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: to_target(final.predict(test[features]))}).to_csv(
    "submission/submission.csv", index=False
)
