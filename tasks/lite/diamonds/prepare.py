"""Diamond prices (ggplot2/diamonds): predict the price. 80/20 random split."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import load_rdataset, parse_out, random_split, write_task  # noqa: E402


def main() -> None:
    out = parse_out()
    frame = load_rdataset("ggplot2", "diamonds")
    frame = frame[[c for c in frame.columns if c != "price"] + ["price"]]
    train, test = random_split(frame)
    write_task(out, train, test, targets=["price"], constants={"price": 2400})


if __name__ == "__main__":
    main()
