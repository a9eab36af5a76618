"""Credit scoring (modeldata/credit_data): is the applicant a bad credit risk? 80/20 random split."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import load_rdataset, parse_out, random_split, write_task  # noqa: E402


def main() -> None:
    out = parse_out()
    frame = load_rdataset("modeldata", "credit_data")
    frame["bad_credit"] = (frame.pop("Status") == "bad").astype(int)
    train, test = random_split(frame)
    write_task(out, train, test, targets=["bad_credit"], constants={"bad_credit": 0.5})


if __name__ == "__main__":
    main()
