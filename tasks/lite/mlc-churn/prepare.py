"""Mobile carrier churn (modeldata/mlc_churn): will the customer leave? 80/20 random split."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import load_rdataset, parse_out, random_split, write_task  # noqa: E402


def main() -> None:
    out = parse_out()
    frame = load_rdataset("modeldata", "mlc_churn")
    frame["churn"] = (frame.pop("churn") == "yes").astype(int)
    train, test = random_split(frame)
    write_task(out, train, test, targets=["churn"], constants={"churn": 0.5})


if __name__ == "__main__":
    main()
