"""Baseline: logistic regression on each clip's 256 band energies (the magnitude spectrum of the
whole clip averaged in 256 bands) and the voice."""

from pathlib import Path

import numpy as np
import pandas as pd
import soundfile
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")


def bands(path: str) -> np.ndarray:
    samples = soundfile.read(path, dtype="float32", always_2d=True)[0].mean(axis=1)
    return np.array([band.mean() for band in np.array_split(np.abs(np.fft.rfft(samples)), 256)])


def features(frame: pd.DataFrame, folder: str) -> np.ndarray:
    energies = np.stack([bands(f"input/{folder}/{i}.ogg") for i in frame["id"]])
    return np.column_stack([energies, (frame["voice"] == "a").to_numpy(dtype=float)])


X, y, X_test = features(train, "train"), train["tone"], features(test, "test")


def model():
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=3000))


X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
print(f"validation_score: {accuracy_score(y_val, model().fit(X_fit, y_fit).predict(X_val)):.6f}")
Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], "tone": model().fit(X, y).predict(X_test)}).to_csv("submission/submission.csv", index=False)
