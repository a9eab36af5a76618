"""Checker for the markdown-html task.

process: output/field-guide.html exists, is non-empty UTF-8 text and contains HTML tags.
result:  similarity with the ground truth of at least 0.95. Both documents are split into
         tokens (each tag, and each text run with whitespace collapsed) and compared with
         difflib.SequenceMatcher.ratio(), so formatting-only differences are tolerated while
         missing tables, code blocks, heading anchors or the table of contents are not.
Usage: python test_script.py --output DIR --groundtruth DIR --result RESULT_JSON
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
from pathlib import Path

NAME = "field-guide.html"
THRESHOLD = 0.95


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def tokens(html: str) -> list[str]:
    pieces = (" ".join(piece.split()) for piece in re.findall(r"<[^>]*>|[^<]+", html))
    return [piece for piece in pieces if piece]


def check(output: Path, groundtruth: Path) -> tuple[bool, bool, str]:
    got = read_text(output / NAME)
    if got is None:
        return False, False, f"{NAME} is missing or not UTF-8 text"
    if not got.strip():
        return False, False, f"{NAME} is empty"
    if not re.search(r"<[A-Za-z][^>]*>", got):
        return False, False, f"{NAME} contains no HTML tags"
    want = read_text(groundtruth / NAME)
    if want is None:
        return True, False, f"ground truth {NAME} is missing"
    ratio = difflib.SequenceMatcher(None, tokens(got), tokens(want), autojunk=False).ratio()
    verdict = "passes" if ratio >= THRESHOLD else "below"
    return True, ratio >= THRESHOLD, f"token similarity {ratio:.4f} {verdict} threshold {THRESHOLD}"


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
