"""Baseline: logistic regression on TF-IDF of single words."""

from pathlib import Path

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

train = pd.read_csv("input/train.csv")
test = pd.read_csv("input/test.csv")


def model():
    return make_pipeline(TfidfVectorizer(min_df=2), LogisticRegression(C=1.0, max_iter=2000))


fit, val = train_test_split(train, test_size=0.2, random_state=0, stratify=train["fresh"])
score = roc_auc_score(val["fresh"], model().fit(fit["text"], fit["fresh"]).predict_proba(val["text"])[:, 1])
print(f"validation_score: {score:.6f}")
Path("submission").mkdir(exist_ok=True)
final = model().fit(train["text"], train["fresh"])
pd.DataFrame({"id": test["id"], "fresh": final.predict_proba(test["text"])[:, 1]}).to_csv("submission/submission.csv", index=False)
