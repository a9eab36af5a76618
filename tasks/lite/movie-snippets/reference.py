"""Reference: pretrained sentence embeddings (all-MiniLM-L6-v2 from Starling's zoo) beside TF-IDF
word (1-2) and character (2-5) n-grams, into one logistic regression."""

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from starling_zoo import text_embeddings

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")
EMBEDDED = dict(zip(pd.concat([train["id"], test["id"]]), text_embeddings(pd.concat([train["text"], test["text"]]).tolist())))


def fit_predict(fit: pd.DataFrame, other: pd.DataFrame) -> np.ndarray:
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True)
    scale = StandardScaler()
    e_fit, e_other = (np.stack([EMBEDDED[i] for i in f["id"]]) for f in (fit, other))
    X_fit = hstack([words.fit_transform(fit["text"]), chars.fit_transform(fit["text"]), csr_matrix(scale.fit_transform(e_fit) * 0.3)]).tocsr()
    X_other = hstack([words.transform(other["text"]), chars.transform(other["text"]), csr_matrix(scale.transform(e_other) * 0.3)]).tocsr()
    return LogisticRegression(C=4.0, max_iter=4000).fit(X_fit, fit["fresh"]).predict_proba(X_other)[:, 1]


fit, val = train_test_split(train, test_size=0.2, random_state=0, stratify=train["fresh"])
print(f"validation_score: {roc_auc_score(val['fresh'], fit_predict(fit, val)):.6f}")
Path("submission").mkdir(exist_ok=True)
pd.DataFrame({"id": test["id"], "fresh": fit_predict(train, test)}).to_csv("submission/submission.csv", index=False)
