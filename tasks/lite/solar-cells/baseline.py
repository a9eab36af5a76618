"""Baseline: multinomial logistic regression on each image shrunk to 16x16 grey levels, plus the cell type."""

from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")


def features(frame: pd.DataFrame, folder: str) -> np.ndarray:
    pixels = [np.asarray(Image.open(f"input/{folder}/{i}.png").convert("L").resize((16, 16)), dtype=float).ravel() / 255
              for i in frame["id"]]
    return np.column_stack([np.stack(pixels), (frame["cell_type"] == "mono").to_numpy(dtype=float)])


X, y, X_test = features(train, "train"), train["defect"], features(test, "test")


def model():
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=3000))


X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
print(f"validation_score: {accuracy_score(y_val, model().fit(X_fit, y_fit).predict(X_val)):.6f}")
Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], "defect": model().fit(X, y).predict(X_test)}).to_csv("submission/submission.csv", index=False)
