"""HPC job classes (modeldata/hpc_data): predict a job's run-time class (VF, F, M, L). 80/20 random split."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import load_rdataset, parse_out, random_split, write_task  # noqa: E402


def main() -> None:
    out = parse_out()
    frame = load_rdataset("modeldata", "hpc_data")
    frame = frame[[c for c in frame.columns if c != "class"] + ["class"]]
    train, test = random_split(frame)
    write_task(out, train, test, targets=["class"], constants={"class": "VF"})


if __name__ == "__main__":
    main()
