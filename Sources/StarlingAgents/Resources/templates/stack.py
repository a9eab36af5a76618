"""A stack made by Starling with no LLM call: the scripts below each run as they are, in a folder
of their own under working/, and their submissions are blended with the weights that ensemble
selection chose on their out-of-fold predictions.

Rules (the same as Starling's own scoring of the blend): class labels take a weighted vote (a tie
goes to the label the earlier script voted for first); numbers and probabilities take a weighted
mean, of ranks (0..1] for AUC.

A calibration (for log loss, fitted on out-of-fold predictions) is applied last: probabilities are
kept inside [FLOOR, 1 - FLOOR]; one column takes sigmoid(slope * logit(p) + shift), several take
p ** slope normalised over the row.
"""
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd

RULE = "__RULE__"  # vote | mean | rank_mean
MEMBERS = json.loads(r'''__MEMBERS__''')
CALIBRATION = json.loads(r'''__CALIBRATION__''')  # null, or {"slope": s, "shift": b}
FLOOR = 1e-6


def run_member(number: int, member: dict) -> pd.DataFrame:
    """Runs one script in working/member_<number>/ (its input/ is ours) and reads its submission."""
    folder = os.path.abspath(f"working/member_{number}")
    os.makedirs(folder, exist_ok=True)
    link = os.path.join(folder, "input")
    if not os.path.lexists(link):
        os.symlink(os.path.realpath("input"), link)
    with open(os.path.join(folder, "solution.py"), "w") as handle:
        handle.write(member["code"])
    print(f"member {number} (node {member['node']}, weight {member['weight']:.3f})", flush=True)
    subprocess.run([sys.executable, "solution.py"], cwd=folder, check=True)
    return pd.read_csv(os.path.join(folder, "submission", "submission.csv"), dtype=str, keep_default_na=False)


def blend(frames: list, weights: list, sample: pd.DataFrame) -> pd.DataFrame:
    id_column = sample.columns[0]
    ids = sample[id_column].astype(str)
    out = pd.DataFrame({id_column: sample[id_column]})
    aligned = [frame.set_index(frame[id_column].astype(str)).loc[ids] for frame in frames]
    for column in sample.columns[1:]:
        if RULE == "vote":
            values = [frame[column].to_numpy() for frame in aligned]
            chosen = []
            for row in range(len(ids)):
                tally = {}
                for member, weight in enumerate(weights):
                    label = values[member][row]
                    tally[label] = tally.get(label, 0.0) + weight
                best = max(tally.values())
                chosen.append(next(label for label, total in tally.items() if total >= best - 1e-12))
            out[column] = chosen
        else:
            total = np.zeros(len(ids))
            for frame, weight in zip(aligned, weights):
                values = frame[column].astype(float)
                if RULE == "rank_mean":
                    values = values.rank(method="average") / len(values)
                total += weight * values.to_numpy()
            out[column] = total / sum(weights)
    return out


def calibrate(out: pd.DataFrame, sample: pd.DataFrame) -> pd.DataFrame:
    columns = list(sample.columns[1:])
    p = np.clip(out[columns].astype(float).to_numpy(), FLOOR, 1 - FLOOR)
    if len(columns) == 1:
        q = 1 / (1 + np.exp(-(CALIBRATION["slope"] * np.log(p / (1 - p)) + CALIBRATION["shift"])))
    else:
        q = p ** CALIBRATION["slope"]
        q = q / q.sum(axis=1, keepdims=True)
    out[columns] = q
    return out


os.makedirs("submission", exist_ok=True)
os.makedirs("working", exist_ok=True)
sample = pd.read_csv("input/sample_submission.csv", dtype=str, keep_default_na=False)
frames = [run_member(number, member) for number, member in enumerate(MEMBERS, start=1)]
result = blend(frames, [member["weight"] for member in MEMBERS], sample)
if CALIBRATION is not None:
    result = calibrate(result, sample)
result.to_csv("submission/submission.csv", index=False)
