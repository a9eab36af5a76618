"""Checker for the sqlparse-format task.

process: output/formatted.sql exists, is a non-empty UTF-8 text file.
result:  exact match with the ground truth after normalising whitespace: trailing
         whitespace is stripped from every line and blank lines are dropped (the blank
         lines the formatter leaves between statements are cosmetic).
Usage: python test_script.py --output DIR --groundtruth DIR --result RESULT_JSON
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

NAME = "formatted.sql"


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def clip(line: str, width: int = 60) -> str:
    return line if len(line) <= width else line[: width - 3] + "..."


def normalise(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def check(output: Path, groundtruth: Path) -> tuple[bool, bool, str]:
    got = read_text(output / NAME)
    if got is None:
        return False, False, f"{NAME} is missing or not UTF-8 text"
    if not got.strip():
        return False, False, f"{NAME} is empty"
    want = read_text(groundtruth / NAME)
    if want is None:
        return True, False, f"ground truth {NAME} is missing"
    got_lines, want_lines = normalise(got), normalise(want)
    for number, (a, b) in enumerate(zip(got_lines, want_lines), start=1):
        if a != b:
            return True, False, f"non-blank line {number} differs: got {clip(a)!r}, expected {clip(b)!r}"
    if len(got_lines) != len(want_lines):
        return True, False, f"{len(got_lines)} non-blank lines, expected {len(want_lines)}"
    return True, True, f"{NAME} matches the ground truth ({len(want_lines)} non-blank lines)"


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
