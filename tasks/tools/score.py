"""Scores a submission against answers.csv with scikit-learn (solution environment).

A developer's cross-check of the lite tasks, not Starling's grader:
    python tasks/tools/score.py METRIC ANSWERS.csv SUBMISSION.csv [--id id]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd
from sklearn import metrics


def score(metric: str, truth: pd.DataFrame, pred: pd.DataFrame) -> float:
    """Both frames are aligned on the id and hold only the target columns."""
    y, p = truth.to_numpy(), pred.to_numpy()
    if metric == "accuracy":
        return metrics.accuracy_score(y.ravel().astype(str), p.ravel().astype(str))
    if metric == "balanced_accuracy":
        return metrics.balanced_accuracy_score(y.ravel().astype(str), p.ravel().astype(str))
    if metric in ("f1", "f1_macro", "f1_micro"):
        average = {"f1": "binary", "f1_macro": "macro", "f1_micro": "micro"}[metric]
        return metrics.f1_score(y.ravel().astype(str), p.ravel().astype(str), average=average)
    if metric == "roc_auc":
        return metrics.roc_auc_score(y.ravel().astype(float), p.ravel().astype(float))
    if metric == "roc_auc_column_mean":
        return float(np.mean([metrics.roc_auc_score(y[:, i], p[:, i]) for i in range(y.shape[1])]))
    if metric == "log_loss":
        return metrics.log_loss(y.ravel().astype(float), p.ravel().astype(float))
    if metric == "rmse":
        return metrics.root_mean_squared_error(y.astype(float), p.astype(float))
    if metric == "rmsle":
        return metrics.root_mean_squared_log_error(y.astype(float), np.clip(p.astype(float), 0, None))
    if metric == "mae":
        return metrics.mean_absolute_error(y.astype(float), p.astype(float))
    if metric == "r2":
        return metrics.r2_score(y.astype(float), p.astype(float))
    if metric == "quadratic_weighted_kappa":
        return metrics.cohen_kappa_score(y.ravel(), p.ravel(), weights="quadratic")
    raise ValueError(f"metric {metric!r} not handled by this cross-check")


def score_files(metric: str, answers: str, submission: str, id_column: str = "id") -> float:
    truth = pd.read_csv(answers)
    pred = pd.read_csv(submission)
    if list(pred.columns) != list(truth.columns):
        raise ValueError(f"submission header {list(pred.columns)} != answers header {list(truth.columns)}")
    if len(pred) != len(truth) or set(pred[id_column]) != set(truth[id_column]):
        raise ValueError("submission ids differ from answers ids")
    if pred.drop(columns=[id_column]).isna().any().any():
        raise ValueError("submission has missing predictions")
    pred = pred.set_index(id_column).loc[truth[id_column]]
    return score(metric, truth.set_index(id_column), pred)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("metric")
    parser.add_argument("answers")
    parser.add_argument("submission")
    parser.add_argument("--id", default="id")
    args = parser.parse_args()
    try:
        print(f"{score_files(args.metric, args.answers, args.submission, args.id):.6f}")
    except ValueError as error:
        sys.exit(f"score: {error}")


if __name__ == "__main__":
    main()
