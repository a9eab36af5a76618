"""Hotel room rates (modeldata/hotel_rates): predict the average daily rate. 80/20 random split."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import load_rdataset, parse_out, random_split, write_task  # noqa: E402


def main() -> None:
    out = parse_out()
    frame = load_rdataset("modeldata", "hotel_rates")
    frame = frame[[c for c in frame.columns if c != "avg_price_per_room"] + ["avg_price_per_room"]]
    train, test = random_split(frame)
    write_task(out, train, test, targets=["avg_price_per_room"], constants={"avg_price_per_room": 82.0})


if __name__ == "__main__":
    main()
