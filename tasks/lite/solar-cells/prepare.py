"""Solar-cell defects (ELPV): how defective is each electroluminescence image of a solar cell?

2,624 greyscale 300x300 PNG images of cells cut from photovoltaic modules, each rated by
experts with a defect probability of 0, 1/3, 2/3 or 1; the label is that level as 0-3. The
images ship inside the `elpv-dataset` wheel (downloaded and checked, never installed). The
images keep their bytes; they are stored in train.zip / test.zip under their row ids.
80/20 random split.
"""

import sys
import zipfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import fetch, parse_out, random_split, write_file_task  # noqa: E402

WHEEL = ("https://files.pythonhosted.org/packages/f3/3f/22e4483e0aa5bcc4295751e1d55112481991ca64cf97e82e88bdcb1f0afe/"
         "elpv_dataset-1.0.0.post1-py3-none-any.whl")
WHEEL_SHA256 = "85e31c1126ee9b48e62d3a0232c58f58b2d189b0814a45c13642fa0415af4a4c"


def main() -> None:
    out = parse_out()
    with zipfile.ZipFile(fetch(WHEEL, WHEEL_SHA256)) as wheel:
        rows = [line.split() for line in wheel.read("elpv_dataset/data/labels.csv").decode().splitlines() if line.strip()]
        images = {path: wheel.read(f"elpv_dataset/data/{path}") for path, _, _ in rows}
    frame = pd.DataFrame({"source": [r[0] for r in rows],
                          "cell_type": [r[2] for r in rows],
                          "defect": [int(round(float(r[1]) * 3)) for r in rows]})
    train, test = random_split(frame)
    write_file_task(out, train, test, images, ".png", targets=["defect"], constants={"defect": 0})


if __name__ == "__main__":
    main()
