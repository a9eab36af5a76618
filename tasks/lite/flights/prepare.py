"""NYC flights 2013 (nycflights13/flights): will a flight arrive more than 15 minutes late?

Cancelled flights (no arrival delay) are dropped, then 30,000 flights are sampled with a
fixed seed and split 80/20 at random. Every column known only after departure is dropped."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import load_rdataset, parse_out, random_split, subsample, write_task  # noqa: E402

N_ROWS = 30_000
AFTER_DEPARTURE = ["dep_time", "dep_delay", "arr_time", "arr_delay", "air_time"]


def main() -> None:
    out = parse_out()
    frame = load_rdataset("nycflights13", "flights")
    frame = frame[frame["arr_delay"].notna()].reset_index(drop=True)
    delayed = (frame["arr_delay"] > 15).astype(int)
    frame = frame.drop(columns=AFTER_DEPARTURE + ["year"]).assign(delayed=delayed)
    train, test = random_split(subsample(frame, N_ROWS))
    write_task(out, train, test, targets=["delayed"], constants={"delayed": 0.5})


if __name__ == "__main__":
    main()
