"""Chicago L ridership at Clark/Lake (modeldata/Chicago): forecast the last 60 days.

The source's 20 station columns are each station's ridership 14 days earlier; inside a
60-day test window they would reveal earlier test answers (Clark_Lake(t) = ridership(t-14)),
so they are dropped. Weather and sports-schedule columns are kept as known covariates.
Ids run in time order; the test is the last 60 days (2016-06-30 to 2016-08-28)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import load_rdataset, parse_out, tail_split, write_task  # noqa: E402

TEST_DAYS = 60
LAGGED_STATIONS = [
    "Austin", "Quincy_Wells", "Belmont", "Archer_35th", "Oak_Park", "Western", "Clark_Lake",
    "Clinton", "Merchandise_Mart", "Irving_Park", "Washington_Wells", "Harlem", "Monroe", "Polk",
    "Ashland", "Kedzie", "Addison", "Jefferson_Park", "Montrose", "California",
]


def main() -> None:
    out = parse_out()
    frame = load_rdataset("modeldata", "Chicago").drop(columns=LAGGED_STATIONS)
    frame = frame.sort_values("date").reset_index(drop=True)
    columns = ["date", *[c for c in frame.columns if c not in ("date", "ridership")], "ridership"]
    train, test = tail_split(frame[columns], TEST_DAYS)
    write_task(out, train, test, targets=["ridership"], constants={"ridership": 14.0})


if __name__ == "__main__":
    main()
