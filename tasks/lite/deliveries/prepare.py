"""Food delivery times (modeldata/deliveries): predict minutes to delivery. 80/20 random split."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import load_rdataset, parse_out, random_split, write_task  # noqa: E402


def main() -> None:
    out = parse_out()
    frame = load_rdataset("modeldata", "deliveries")
    frame = frame[[c for c in frame.columns if c != "time_to_delivery"] + ["time_to_delivery"]]
    train, test = random_split(frame)
    write_task(out, train, test, targets=["time_to_delivery"], constants={"time_to_delivery": 25.0})


if __name__ == "__main__":
    main()
