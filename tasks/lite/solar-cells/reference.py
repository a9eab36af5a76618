"""Reference: pretrained MobileNetV2 features (Starling's zoo) of each image and of its mirror
image, averaged, plus the cell type, into a tuned logistic regression."""

from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from starling_zoo import image_features

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")
Path("working").mkdir(exist_ok=True)


def mirrored(path: str) -> str:
    target = Path("working") / Path(path).name
    if not target.exists():
        Image.open(path).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(target)
    return str(target)


def features(frame: pd.DataFrame, folder: str) -> np.ndarray:
    paths = [f"input/{folder}/{i}.png" for i in frame["id"]]
    both = (image_features(paths) + image_features([mirrored(p) for p in paths])) / 2
    return np.column_stack([both, (frame["cell_type"] == "mono").to_numpy(dtype=float)])


X, y, X_test = features(train, "train"), train["defect"], features(test, "test")


def model():
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.02, max_iter=5000))


X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
print(f"validation_score: {accuracy_score(y_val, model().fit(X_fit, y_fit).predict(X_val)):.6f}")
Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], "defect": model().fit(X, y).predict(X_test)}).to_csv("submission/submission.csv", index=False)
