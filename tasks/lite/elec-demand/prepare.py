"""Victoria half-hourly electricity demand, 2014 (fpp2/elecdemand): forecast the last 4 weeks.

The source is a bare series; its timestamps are rebuilt as 2014-01-01 00:00 plus 30 minutes
per row. Ids run in time order; the test is the last 4 weeks (1,344 half-hours)."""

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import load_rdataset, parse_out, tail_split, write_task  # noqa: E402

TEST_ROWS = 4 * 7 * 48


def main() -> None:
    out = parse_out()
    frame = load_rdataset("fpp2", "elecdemand")
    if len(frame) != 365 * 48:
        raise ValueError(f"expected one year of half-hours, got {len(frame)} rows")
    stamps = pd.date_range("2014-01-01 00:00", periods=len(frame), freq="30min")
    frame.insert(0, "timestamp", stamps.strftime("%Y-%m-%d %H:%M"))
    frame = frame[["timestamp", "WorkDay", "Temperature", "Demand"]]
    train, test = tail_split(frame, TEST_ROWS)
    write_task(out, train, test, targets=["Demand"], constants={"Demand": 4.6})


if __name__ == "__main__":
    main()
