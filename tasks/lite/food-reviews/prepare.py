"""Amazon fine food reviews (modeldata/training_data + testing_data): is the review score
"great"? The two source parts are pooled, then split 80/20 at random."""

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import load_rdataset, parse_out, random_split, write_task  # noqa: E402


def main() -> None:
    out = parse_out()
    frame = pd.concat(
        [load_rdataset("modeldata", "training_data"), load_rdataset("modeldata", "testing_data")],
        ignore_index=True,
    )
    frame["great"] = (frame.pop("score") == "great").astype(int)
    train, test = random_split(frame)
    write_task(out, train, test, targets=["great"], constants={"great": 0.5})


if __name__ == "__main__":
    main()
