"""Reference: logistic regression on TF-IDF word (1-2) and character (2-5) n-grams."""

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

TARGET = "great"


def fit_predict(fit: pd.DataFrame, other: pd.DataFrame) -> np.ndarray:
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True)
    text_fit, text_other = fit["review"].fillna(""), other["review"].fillna("")
    X_fit = hstack([words.fit_transform(text_fit), chars.fit_transform(text_fit)]).tocsr()
    X_other = hstack([words.transform(text_other), chars.transform(text_other)]).tocsr()
    model = LogisticRegression(C=4.0, max_iter=3000).fit(X_fit, fit[TARGET])
    return model.predict_proba(X_other)[:, 1]


train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")

fit, val = train_test_split(train, test_size=0.2, random_state=0, stratify=train[TARGET])
print(f"validation_score: {roc_auc_score(val[TARGET], fit_predict(fit, val)):.6f}")

Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], TARGET: fit_predict(train, test)}).to_csv("submission/submission.csv", index=False)
