"""Makes a copy of a data folder whose train.csv has its target columns shuffled, for Starling's
label-shuffle leakage check: a script that scores well on shuffled labels is reading the answer
from somewhere other than the features.

Usage: python shuffle_labels.py SOURCE_DIR OUT_DIR TARGET[,TARGET...]
"""

from __future__ import annotations

import os
import shutil
import sys

import numpy as np
import pandas as pd


def main() -> None:
    source, out, targets = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(source):
        if name != "train.csv":
            shutil.copy(os.path.join(source, name), os.path.join(out, name))
    train = pd.read_csv(os.path.join(source, "train.csv"), low_memory=False)
    order = np.random.default_rng(12345).permutation(len(train))
    for column in targets:
        train[column] = train[column].to_numpy()[order]
    train.to_csv(os.path.join(out, "train.csv"), index=False)


if __name__ == "__main__":
    main()
