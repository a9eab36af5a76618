"""Recall and precision of `starling repo refs` against a token-level grep, on real source distributions.

For each entity, the truth is every line of every Python file where the entity's name appears as a
code token (not in a string or comment, but inside an f-string's braces) directly followed by "("
(a call) or directly after "@" (a decorator), minus its own definition and import lines. `starling repo refs --limit 0` lists call
sites as `path:line in caller -> name`; recall is the share of truth lines it lists, precision the
share of its lines that are truth lines. Only sites of the entity itself count (`refs` of a class also
lists calls of its methods, which are not uses of the class's name). Names are picked to be unique
enough that grep is a fair judge; what grep cannot see (an alias such as `f = fields; f(A)`,
`mutable = define`) shows as a listed line outside the truth, and the table names a few.

    python3 bench/repo_refs_recall.py [--starling .build/debug/starling] [--work /tmp/refs-recall]

Downloads the sdists with `pip download --no-binary :all: --no-deps` (pinned below) and prints a
table (markdown) with one row per entity and a total per repository.
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import tarfile
import tokenize
from pathlib import Path

CASES = {
    # src layout: every module lives under src/requests, the tests import `requests`.
    "requests==2.32.3": ["requests.utils.to_key_val_list", "requests.utils.get_auth_from_url", "requests.utils.super_len",
                         "requests.utils.requote_uri", "requests.models.PreparedRequest"],
    # descriptors: hundreds of class-level `x = Typed(...)` calls.
    "openpyxl==3.1.5": ["openpyxl.descriptors.base.Typed", "openpyxl.utils.cell.get_column_letter",
                        "openpyxl.utils.cell.coordinate_to_tuple", "openpyxl.descriptors.sequence.NestedSequence"],
    # src layout, class decorators with and without a call (`@define`, `@attr.s(...)`).
    "attrs==24.2.0": ["attr._next_gen.define", "attr._make.fields", "attr._make.make_class", "attr.validators.instance_of"],
}


def truth(root: Path, name: str) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8", errors="replace")).readline))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            continue
        code = [t for t in tokens if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)]
        for token in code:  # Python < 3.12 keeps an f-string as one token: look inside its braces
            if token.type == tokenize.STRING and token.string[:2].lower() in ("f'", 'f"', "rf", "fr") and re.search(rf"\{{[^}}]*\b{re.escape(name)}\s*\(", token.string):
                found.add((relative, token.start[0]))
        for index, token in enumerate(code):
            if token.type != tokenize.NAME or token.string != name:
                continue
            before = code[index - 1].string if index else ""
            after = code[index + 1].string if index + 1 < len(code) else ""
            line_text = token.line.strip()
            if before in ("def", "class") or line_text.startswith(("import ", "from ")) or (before == "," and line_text.endswith(",") and "(" not in line_text):
                continue  # a definition, or a name in an import list
            decorated = before == "@" or (before == "." and _decorator_chain(code, index))
            if after == "(" or decorated:
                found.add((relative, token.start[0]))
    return found


def _decorator_chain(code: list[tokenize.TokenInfo], index: int) -> bool:
    """Whether `a.b.name` at `index` is preceded by `@` (a dotted decorator)."""
    position = index - 1
    while position >= 1 and code[position].string == "." and code[position - 1].type == tokenize.NAME:
        position -= 2
    return position >= 0 and code[position].string == "@"


def listed(starling: str, root: Path, entity: str) -> tuple[set[tuple[str, int]], str]:
    run = subprocess.run([starling, "repo", "refs", str(root), entity, "--limit", "0"], capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        return set(), (run.stderr or run.stdout).strip().splitlines()[-1][:200]
    sites = set()
    name = entity.rsplit(".", 1)[-1]
    for line in run.stdout.splitlines():
        match = re.match(r"^(\S+\.py):(\d+) in .* → (\S+)$", line)
        if match and match.group(3) == name:
            sites.add((match.group(1), int(match.group(2))))
    return sites, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--starling", default=".build/debug/starling")
    parser.add_argument("--work", type=Path, default=Path("/tmp/refs-recall"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print("| repository | entity | truth lines | listed | found | recall | precision |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    overall = [0, 0, 0]
    for requirement, entities in CASES.items():
        name, version = requirement.split("==")
        root = next(iter(sorted(args.work.glob(f"{name}-{version}"))), None)
        if root is None:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps", "-q", "-d", str(args.work), requirement], check=True)
            archive = next(args.work.glob(f"{name}-{version}.tar.gz"))
            with tarfile.open(archive) as tar:
                tar.extractall(args.work, filter="data")
            root = args.work / f"{name}-{version}"
        totals = [0, 0, 0]
        for entity in entities:
            truth_lines = truth(root, entity.rsplit(".", 1)[-1])
            sites, error = listed(args.starling, root, entity)
            found = len(sites & truth_lines)
            totals = [totals[0] + len(truth_lines), totals[1] + len(sites), totals[2] + found]
            recall = found / len(truth_lines) if truth_lines else 1.0
            precision = found / len(sites) if sites else 1.0
            extra = f" ({error})" if error else ""
            print(f"| {requirement} | `{entity}`{extra} | {len(truth_lines)} | {len(sites)} | {found} | {recall:.1%} | {precision:.1%} |")
            missed = sorted(truth_lines - sites)[:3]
            wrong = sorted(sites - truth_lines)[:3]
            if missed or wrong:
                print(f"|  |  missed e.g. {missed}; not in grep e.g. {wrong} | | | | | |")
        overall = [overall[i] + totals[i] for i in range(3)]
        print(f"| **{requirement}** | all | {totals[0]} | {totals[1]} | {totals[2]} | **{totals[2] / max(1, totals[0]):.1%}** | **{totals[2] / max(1, totals[1]):.1%}** |")
    print(f"| **all** | | {overall[0]} | {overall[1]} | {overall[2]} | **{overall[2] / max(1, overall[0]):.1%}** | **{overall[2] / max(1, overall[1]):.1%}** |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
