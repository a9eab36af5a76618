"""Checker for the pygments-html task.

process: output/inventory.html and output/style.css exist and are non-empty UTF-8 text;
         the HTML contains tags and the CSS contains at least one rule.
result:  both are right.
         inventory.html: similarity with the ground truth of at least 0.95, where both are
         split into tokens (each tag, and each text run with whitespace collapsed) and compared
         with difflib.SequenceMatcher.ratio().
         style.css: exact match of the rule set: comments removed, each rule read as
         selector -> set of declarations (whitespace normalised), order ignored.
Usage: python test_script.py --output DIR --groundtruth DIR --result RESULT_JSON
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
from pathlib import Path

HTML = "inventory.html"
CSS = "style.css"
THRESHOLD = 0.95


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def tokens(html: str) -> list[str]:
    pieces = (" ".join(piece.split()) for piece in re.findall(r"<[^>]*>|[^<]+", html))
    return [piece for piece in pieces if piece]


def rules(css: str) -> dict[str, frozenset[str]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    parsed: dict[str, frozenset[str]] = {}
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = {" ".join(d.split()) for d in body.split(";")}
        key = " ".join(selector.split())
        parsed[key] = frozenset(d for d in declarations if d) | parsed.get(key, frozenset())
    return parsed


def check(output: Path, groundtruth: Path) -> tuple[bool, bool, str]:
    got_html, got_css = read_text(output / HTML), read_text(output / CSS)
    for name, text in ((HTML, got_html), (CSS, got_css)):
        if text is None:
            return False, False, f"{name} is missing or not UTF-8 text"
        if not text.strip():
            return False, False, f"{name} is empty"
    got_html, got_css = got_html or "", got_css or ""  # both non-empty here; narrows the types
    if not re.search(r"<[A-Za-z][^>]*>", got_html):
        return False, False, f"{HTML} contains no HTML tags"
    got_rules = rules(got_css)
    if not got_rules:
        return False, False, f"{CSS} contains no CSS rules"
    want_html, want_css = read_text(groundtruth / HTML), read_text(groundtruth / CSS)
    if want_html is None or want_css is None:
        return True, False, "ground truth files are missing"
    ratio = difflib.SequenceMatcher(None, tokens(got_html), tokens(want_html), autojunk=False).ratio()
    want_rules = rules(want_css)
    css_ok = got_rules == want_rules
    if css_ok:
        css_note = f"{CSS}: all {len(want_rules)} rules match"
    else:
        wrong = sorted(set(got_rules.items()) ^ set(want_rules.items()), key=lambda item: item[0])
        css_note = f"{CSS}: {len(wrong)} rules differ (first: {wrong[0][0]!r})"
    html_note = f"{HTML}: token similarity {ratio:.4f} (threshold {THRESHOLD})"
    return True, ratio >= THRESHOLD and css_ok, f"{html_note}; {css_note}"


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
