#!/usr/bin/env python3
"""Grader speed against scikit-learn on 1M rows: ROC AUC, log loss and RMSE.

Writes a seeded CSV (y: 0/1 label, p: probability of 1, t: regression truth, q: prediction),
times scikit-learn on the same arrays, runs `starling bench-self metrics` on the file, checks
that both give the same values, and prints scikit-learn time / Starling time per metric (above
1 means Starling is faster). Run it with the solution environment's Python, which has numpy,
pandas and scikit-learn:

    ~/.cache/starling/python/bin/python bench/grader_speed.py [--rows 1000000]
"""
from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import log_loss, mean_squared_error, roc_auc_score


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return float(value), time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starling", default=str(Path(__file__).resolve().parent.parent / ".build/debug/starling"))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    y = rng.integers(0, 2, args.rows)
    # Probabilities rounded to 4 decimals so ties occur, as real submissions have them.
    p = np.clip(np.round(0.35 * y + 0.65 * rng.random(args.rows), 4), 0, 1)
    t = rng.normal(100, 15, args.rows)
    q = t + rng.normal(0, 5, args.rows)
    with tempfile.TemporaryDirectory(prefix="starling-grader-") as folder:
        csv = Path(folder) / "preds.csv"
        pd.DataFrame({"y": y, "p": p, "t": t, "q": q}).to_csv(csv, index=False, float_format="%.17g")
        start = time.perf_counter()
        frame = pd.read_csv(csv)
        pandas_read = time.perf_counter() - start
        y, p, t, q = (frame[c].to_numpy() for c in "yptq")
        sk = {
            "roc_auc": timed(lambda: roc_auc_score(y, p)),
            "log_loss": timed(lambda: log_loss(y, p)),
            "rmse": timed(lambda: math.sqrt(mean_squared_error(t, q))),
        }
        out = subprocess.run([args.starling, "bench-self", "metrics", str(csv)], check=True, capture_output=True, text=True)
        ours = json.loads(out.stdout)

    print(f"grader speed on {args.rows:,} rows (ratio = scikit-learn seconds / Starling seconds; above 1: Starling is faster)")
    worst = 0.0
    for name, (value, seconds) in sk.items():
        mine = ours[name]
        diff = abs(mine["value"] - value) / max(abs(value), 1e-300)
        worst = max(worst, diff)
        ratio = seconds / mine["seconds"] if mine["seconds"] > 0 else float("inf")
        print(f"  {name:9s} Starling {mine['value']:.15g} in {mine['seconds']:.3f} s | scikit-learn {value:.15g} in "
              f"{seconds:.3f} s | ratio {ratio:.2f} | relative difference {diff:.1e}")
    read = ours["read_seconds"] + ours["parse_seconds"]
    print(f"  CSV read   Starling {read:.2f} s (CSVTable + number parsing) | pandas {pandas_read:.2f} s | ratio {pandas_read / read:.2f}")
    same = worst < 1e-9
    print(f"values {'agree' if same else 'DIFFER'} (largest relative difference {worst:.1e})")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
