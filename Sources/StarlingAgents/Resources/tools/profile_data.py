"""Describes a task's data folder for the LLM: every file, every column with its dtype, missing
share, distinct count and a few values; which columns are the target and the id.

Usage: python profile_data.py DATA_DIR ID_COLUMN TARGET[,TARGET...] > profile.json
Runs in the solution environment inside Starling's sandbox.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

import pandas as pd

MAX_FILES = 20
WIDE = 60  # above this many columns, numbered columns (pixel0, pixel1, ...) are grouped


def describe_column(series: pd.Series) -> dict[str, Any]:
    non_null = series.dropna()
    kind = "number" if pd.api.types.is_numeric_dtype(series) else "string"
    if kind == "number" and pd.api.types.is_integer_dtype(non_null) or (
        kind == "number" and len(non_null) and (non_null % 1 == 0).all()
    ):
        kind = "integer" if kind == "number" else kind
    examples = [str(v)[:40] for v in non_null.drop_duplicates().head(4).tolist()]
    info: dict[str, Any] = {
        "name": str(series.name),
        "dtype": kind,
        "missing": round(float(series.isna().mean()), 4),
        "unique": int(non_null.nunique()),
        "examples": examples,
    }
    if kind == "string":
        lengths = non_null.astype(str).str.len()
        if len(lengths) and lengths.mean() > 40:
            info["text"] = True
            info["mean_length"] = round(float(lengths.mean()), 1)
    else:
        if len(non_null):
            info["min"] = float(non_null.min())
            info["max"] = float(non_null.max())
    return info


def group_wide(columns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(columns) <= WIDE:
        return columns
    groups: dict[str, list[dict[str, Any]]] = {}
    order: list[str] = []
    for column in columns:
        match = re.fullmatch(r"(.*?)(\d+)", column["name"])
        key = match.group(1) + "#" if match else column["name"]
        if key not in groups:
            order.append(key)
        groups.setdefault(key, []).append(column)
    out = []
    for key in order:
        members = groups[key]
        if len(members) == 1:
            out.extend(members)
            continue
        out.append({
            "name": f"{members[0]['name']} … {members[-1]['name']}",
            "group": len(members),
            "dtype": members[0]["dtype"],
            "missing": max(m["missing"] for m in members),
            "min": min(m.get("min", 0) for m in members),
            "max": max(m.get("max", 0) for m in members),
        })
    return out


def main() -> None:
    folder, id_column, targets = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    files = []
    for name in sorted(os.listdir(folder))[:MAX_FILES]:
        path = os.path.join(folder, name)
        entry: dict[str, Any] = {"file": name, "bytes": os.path.getsize(path)}
        if os.path.isdir(path):
            # A folder of per-row files (images, audio): how many, and a few names to show the naming.
            names = []
            for root, _, found in os.walk(path):
                names.extend(os.path.relpath(os.path.join(root, f), folder) for f in found)
                if len(names) > 200000:
                    break
            entry["folder_files"] = len(names)
            entry["examples"] = sorted(names)[:3]
        elif name.endswith(".csv"):
            try:
                frame = pd.read_csv(path, low_memory=False)
                entry["rows"] = int(len(frame))
                sample = frame.sample(min(len(frame), 20000), random_state=0) if len(frame) > 20000 else frame
                entry["columns"] = group_wide([describe_column(sample[c]) for c in frame.columns])
                entry["column_names"] = [str(c) for c in frame.columns]
            except Exception as error:  # report, do not fail: the LLM should know the file is odd
                entry["error"] = f"{type(error).__name__}: {error}"
        files.append(entry)
    print(json.dumps({"id_column": id_column, "target_columns": targets, "files": files}))


if __name__ == "__main__":
    main()
