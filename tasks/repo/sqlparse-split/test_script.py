"""Checker for the sqlparse-split task.

process: output/statements.json exists and is a JSON list of objects, each with an integer
         "index" and string "type" and "statement" fields.
result:  exact field match with the ground truth: same number of statements, same "index"
         and "type" values in order, and the same "statement" text once runs of whitespace
         are collapsed to one space and the ends stripped.
Usage: python test_script.py --output DIR --groundtruth DIR --result RESULT_JSON
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

NAME = "statements.json"


def load(path: Path) -> tuple[list[dict[str, Any]] | None, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None, f"{NAME} is missing or not UTF-8 text"
    except json.JSONDecodeError as exc:
        return None, f"{NAME} is not valid JSON: {exc}"
    if not isinstance(data, list) or not data:
        return None, f"{NAME} must hold a non-empty JSON list"
    for position, record in enumerate(data):
        if not (isinstance(record, dict)
                and isinstance(record.get("index"), int) and not isinstance(record.get("index"), bool)
                and isinstance(record.get("type"), str)
                and isinstance(record.get("statement"), str)):
            return None, f"entry {position} lacks an integer 'index' or string 'type'/'statement'"
    return data, ""


def squash(text: str) -> str:
    return " ".join(text.split())


def check(output: Path, groundtruth: Path) -> tuple[bool, bool, str]:
    got, problem = load(output / NAME)
    if got is None:
        return False, False, problem
    want, problem = load(groundtruth / NAME)
    if want is None:
        return True, False, f"ground truth unusable: {problem}"
    if len(got) != len(want):
        return True, False, f"{len(got)} statements, expected {len(want)}"
    for position, (a, b) in enumerate(zip(got, want)):
        if a["index"] != b["index"]:
            return True, False, f"entry {position}: index {a['index']}, expected {b['index']}"
        if a["type"] != b["type"]:
            return True, False, f"entry {position}: type {a['type']!r}, expected {b['type']!r}"
        if squash(a["statement"]) != squash(b["statement"]):
            return True, False, f"entry {position}: statement text differs from the ground truth"
    return True, True, f"all {len(want)} statements match"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", default="output")
    parser.add_argument("--groundtruth", default="groundtruth")
    parser.add_argument("--result", default=None)
    args, _ = parser.parse_known_args()
    try:
        process, result, comments = check(Path(args.output), Path(args.groundtruth))
    except Exception as exc:  # a checker must never crash on odd output
        process, result, comments = False, False, f"checker error: {type(exc).__name__}: {exc}"
    verdict = {"process": process, "result": result, "comments": comments}
    line = json.dumps(verdict)
    if args.result:
        try:
            Path(args.result).parent.mkdir(parents=True, exist_ok=True)
            Path(args.result).write_text(line + "\n", encoding="utf-8")
        except OSError as exc:
            verdict["comments"] += f" (could not write result file: {exc})"
            line = json.dumps(verdict)
    print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
