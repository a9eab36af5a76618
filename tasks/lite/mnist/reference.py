"""Reference: RBF support vector machine on PCA-whitened pixels, with training images
augmented by one-pixel shifts (cheap translation invariance)."""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")
pixels = [c for c in train.columns if c.startswith("pixel_")]
X, y = train[pixels].to_numpy() / 255.0, train["label"].to_numpy()


def shifted(images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    grids = images.reshape(-1, 28, 28)
    out, out_labels = [images], [labels]
    for dy, dx in [(1, 0), (-1, 0), (0, 1), (0, -1)]:
        moved = np.roll(grids, (dy, dx), axis=(1, 2))
        out.append(moved.reshape(len(images), -1))
        out_labels.append(labels)
    return np.vstack(out), np.concatenate(out_labels)


def fit_predict(X_fit: np.ndarray, y_fit: np.ndarray, X_other: np.ndarray) -> np.ndarray:
    X_aug, y_aug = shifted(X_fit, y_fit)
    model = make_pipeline(PCA(n_components=50, whiten=True, random_state=0), SVC(C=5.0, gamma="scale"))
    return model.fit(X_aug, y_aug).predict(X_other)


X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
print(f"validation_score: {accuracy_score(y_val, fit_predict(X_fit, y_fit, X_val)):.6f}")

Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], "label": fit_predict(X, y, test[pixels].to_numpy() / 255.0)}).to_csv(
    "submission/submission.csv", index=False
)
