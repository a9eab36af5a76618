"""Reference: class-balanced multiclass LightGBM (macro-F1 rewards the rare slow classes),
trees picked by early stopping on a holdout, then refit on all rows."""

import os
from pathlib import Path

import lightgbm as lgb
import pandas as pd
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

TARGET = "class"
N_JOBS = int(os.environ.get("STARLING_N_JOBS", "1"))
PARAMS = dict(
    objective="multiclass", class_weight="balanced", learning_rate=0.03, num_leaves=15,
    min_child_samples=10, subsample=0.8, subsample_freq=1, colsample_bytree=0.8,
    n_jobs=N_JOBS, verbose=-1, random_state=0,
)

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")
features = [c for c in train.columns if c not in ("id", TARGET)]
for column in ["protocol", "day"]:
    dtype = pd.CategoricalDtype(sorted(train[column].unique()))
    train[column] = train[column].astype(dtype)
    test[column] = test[column].where(test[column].isin(dtype.categories)).astype(dtype)  # unseen -> NaN
labels = LabelEncoder().fit(train[TARGET])
X, y = train[features], labels.transform(train[TARGET])

X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
probe = lgb.LGBMClassifier(n_estimators=3000, **PARAMS).fit(
    X_fit, y_fit, eval_set=[(X_val, y_val)], callbacks=[lgb.early_stopping(100, verbose=False)]
)
print(f"validation_score: {f1_score(y_val, probe.predict(X_val), average='macro'):.6f}")

final = lgb.LGBMClassifier(n_estimators=max(50, int(probe.best_iteration_ * 1.1)), **PARAMS).fit(X, y)
Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: labels.inverse_transform(final.predict(test[features]))}).to_csv("submission/submission.csv", index=False)
