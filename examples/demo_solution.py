"""A small real solution script, used by `make demo` until the agent runs end to end.

It trains a gradient-boosting classifier on scikit-learn's bundled breast-cancer data (no
network needed), prints its validation AUC, and writes a submission file.
"""

import os

import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

data = load_breast_cancer(as_frame=True)
x_train, x_valid, y_train, y_valid = train_test_split(data.data, data.target, test_size=0.25, random_state=0)
model = HistGradientBoostingClassifier(max_iter=200, random_state=0).fit(x_train, y_train)
probabilities = model.predict_proba(x_valid)[:, 1]
print(f"threads: {os.environ.get('OMP_NUM_THREADS')}")
print(f"validation_score: {roc_auc_score(y_valid, probabilities):.5f}")
os.makedirs("submission", exist_ok=True)
pd.DataFrame({"id": x_valid.index, "target": probabilities}).to_csv("submission/submission.csv", index=False)
print("wrote submission/submission.csv")
