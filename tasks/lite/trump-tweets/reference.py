"""Reference: logistic regression on TF-IDF word and character n-grams of the tweet text,
plus one-hot hour of day (UTC), weekday, link/picture and quote flags, and log engagement."""

import os
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler

TARGET = "android"


def side_features(frame: pd.DataFrame) -> pd.DataFrame:
    when = pd.to_datetime(frame["created_at"])
    text = frame["text"].fillna("")
    return pd.DataFrame({
        "hour": when.dt.hour.astype(str),
        "weekday": when.dt.day_of_week.astype(str),
        "has_link": text.str.contains("https://t.co", regex=False).astype(str),
        "starts_quote": text.str.startswith('"').astype(str),
    })


class Model:
    def fit(self, frame: pd.DataFrame, y: pd.Series) -> "Model":
        text = frame["text"].fillna("")
        self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=False)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True)
        self.onehot = OneHotEncoder(handle_unknown="ignore")
        self.scale = StandardScaler()
        X = self._matrix(frame, text, fit=True)
        self.model = LogisticRegression(C=4.0, max_iter=3000).fit(X, y)
        return self

    def _matrix(self, frame: pd.DataFrame, text: pd.Series, fit: bool = False):
        counts = np.log1p(frame[["retweet_count", "favorite_count"]].to_numpy(dtype=float))
        side = side_features(frame)
        if fit:
            return hstack([self.words.fit_transform(text), self.chars.fit_transform(text),
                           self.onehot.fit_transform(side), csr_matrix(self.scale.fit_transform(counts))]).tocsr()
        return hstack([self.words.transform(text), self.chars.transform(text),
                       self.onehot.transform(side), csr_matrix(self.scale.transform(counts))]).tocsr()

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        return self.model.predict_proba(self._matrix(frame, frame["text"].fillna("")))[:, 1]


train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")
y = train[TARGET]

fit, val = train_test_split(train, test_size=0.2, random_state=0, stratify=y)
print(f"validation_score: {roc_auc_score(val[TARGET], Model().fit(fit, fit[TARGET]).predict(val)):.6f}")

Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: Model().fit(train, y).predict(test)}).to_csv(
    "submission/submission.csv", index=False
)
