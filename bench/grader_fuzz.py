#!/usr/bin/env python3
"""Differential fuzzing of Starling's graders against MLE-bench's own, on the 22 Lite competitions.

From each competition's perfect and random submissions (written by
tasks/mlebench-lite/synthesize.py) it writes mutated files: row order, dropped, duplicated and
unknown ids, id and number spellings, NaN/inf/empty/text values, out-of-range and not-summing
probabilities, label spellings, header case and order, missing, extra and duplicated columns,
BOM, CRLF, quoting, empty and header-only files, megabytes of garbage. Each file is graded by
MLE-bench's `grade_csv` path (its `read_csv`, then the competition's grader; an exception while
reading counts as a refusal, as `validate_submission` counts it) and by `starling tasks grade`,
and the verdicts are compared: both refuse, or both score within 1e-9.

Steps (each can run on its own; `all` runs them in order):

    python3 bench/grader_fuzz.py mutate LITE_DIR OUT           # standard library only
    /tmp/mlevenv/bin/python bench/grader_fuzz.py mlebench --mlebench ~/src/mle-bench LITE_DIR OUT
    python3 bench/grader_fuzz.py starling --starling .build/debug/starling --tasks-dir TASKS OUT
    python3 bench/grader_fuzz.py compare OUT                   # writes OUT/table.md

    python3 bench/grader_fuzz.py all --mlebench-python /tmp/mlevenv/bin/python \
        --mlebench ~/src/mle-bench --starling .build/debug/starling OUT

`all` synthesizes the data, imports the tasks and runs every step. The MLE-bench environment is
pinned in bench/grader_fuzz-requirements.txt (the versions tasks/mlebench-lite/agreement.json
was recorded with). `record` writes MLE-bench's verdicts of every mutation into
tasks/mlebench-lite/fuzz-verdicts.json, which the tests compare Starling's grades with.
"""

import argparse
import csv
import io
import json
import random
import subprocess
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SYNTHESIZE = REPO / "tasks" / "mlebench-lite" / "synthesize.py"
VERDICTS = REPO / "tasks" / "mlebench-lite" / "fuzz-verdicts.json"
TOLERANCE = 1e-9


# ---------------------------------------------------------------- the base files


class Base:
    """One submission, parsed: header, rows, which column is the id and which are targets."""

    def __init__(self, path, id_column, targets):
        with open(path, newline="", encoding="utf-8") as handle:
            table = list(csv.reader(handle))
        self.header = table[0]
        self.rows = table[1:]
        self.id = self.header.index(id_column) if id_column in self.header else 0
        self.targets = [self.header.index(t) for t in targets if t in self.header]
        values = [row[c] for row in self.rows for c in self.targets]
        self.numeric = all(is_number(v) for v in values)
        self.integers = self.numeric and all(v.lstrip("-").isdigit() for v in values)
        self.integer_ids = all(row[self.id].isdigit() for row in self.rows)
        self.labels = sorted({v for v in values}) if not self.numeric or self.integers else []

    def copy_rows(self):
        return [list(row) for row in self.rows]


def is_number(text):
    try:
        float(text)
        return text.strip().lower() not in ("nan", "inf", "-inf", "infinity")
    except ValueError:
        return False


def write(header, rows, newline="\n", quoting=csv.QUOTE_MINIMAL, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline, quoting=quoting, delimiter=delimiter)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------- the mutations
# Each takes (base, rng) and returns the file's bytes, or None where it does not apply.


def set_cells(base, rng, value, count=1):
    rows = base.copy_rows()
    for r in rng.sample(range(len(rows)), min(count, len(rows))):
        rows[r][rng.choice(base.targets)] = value(rows[r][rng.choice(base.targets)]) if callable(value) else value
    return write(base.header, rows)


def map_targets(base, function):
    rows = base.copy_rows()
    for row in rows:
        for c in base.targets:
            row[c] = function(row[c])
    return write(base.header, rows)


def map_ids(base, function, count=None, rng=None):
    rows = base.copy_rows()
    picked = range(len(rows)) if count is None else rng.sample(range(len(rows)), min(count, len(rows)))
    for r in picked:
        rows[r][base.id] = function(rows[r][base.id])
    return write(base.header, rows)


def reorder_columns(base, order):
    return write([base.header[c] for c in order], [[row[c] for c in order] for row in base.rows])


def number_spelling(spell):
    def mutate(base, rng):
        if not base.numeric:
            return None
        return map_targets(base, spell)
    return mutate


def label_spelling(spell):
    def mutate(base, rng):
        if not base.labels:
            return None
        return map_targets(base, spell)
    return mutate


def spelled_float(text):
    return repr(float(text))


def hex_number(text):
    value = float(text)
    return hex(int(value)) if value == int(value) else text


MUTATIONS = {
    # rows
    "rows-shuffled": lambda b, rng: write(b.header, rng.sample(b.rows, len(b.rows))),
    "rows-reversed": lambda b, rng: write(b.header, b.rows[::-1]),
    "row-dropped": lambda b, rng: write(b.header, drop_one(b, rng)),
    "row-last-dropped": lambda b, rng: write(b.header, b.rows[:-1]),
    "row-duplicated": lambda b, rng: write(b.header, b.rows + [list(rng.choice(b.rows))]),
    "rows-all-duplicated": lambda b, rng: write(b.header, b.rows + b.copy_rows()),
    "id-unknown": lambda b, rng: map_ids(b, lambda i: i + "x9", 1, rng),
    "row-unknown-added": lambda b, rng: write(b.header, b.rows + [[("99999999" if k == b.id else row_value) for k, row_value in enumerate(b.rows[0])]]),
    "rows-only-first": lambda b, rng: write(b.header, b.rows[:1]),
    # id spelling
    "id-spaces": lambda b, rng: map_ids(b, lambda i: " " + i + " ", 1, rng),
    "id-trailing-space": lambda b, rng: map_ids(b, lambda i: i + " ", 1, rng),
    "id-float": lambda b, rng: map_ids(b, lambda i: i + ".0", 1, rng) if b.integer_ids else None,
    "id-zero-padded": lambda b, rng: map_ids(b, lambda i: "0" + i, 1, rng) if b.integer_ids else None,
    "id-all-float": lambda b, rng: map_ids(b, lambda i: i + ".0") if b.integer_ids else None,
    "id-upper": lambda b, rng: map_ids(b, str.upper, 1, rng) if any(c.isalpha() for r in b.rows for c in r[b.id]) else None,
    "id-quoted-all": lambda b, rng: write(b.header, b.rows, quoting=csv.QUOTE_ALL),
    "id-empty": lambda b, rng: map_ids(b, lambda i: "", 1, rng),
    # number spelling
    "num-scientific": number_spelling(lambda v: "%e" % float(v)),
    "num-plus-sign": number_spelling(lambda v: v if v.startswith("-") else "+" + v),
    "num-hex": number_spelling(hex_number),
    "num-spaces": number_spelling(lambda v: " " + v + " "),
    "num-decimal-comma": number_spelling(lambda v: v.replace(".", ",")),
    "num-underscore": number_spelling(lambda v: v[0] + "_" + v[1:] if len(v) > 1 and v[1].isdigit() else v),
    "num-as-float": number_spelling(spelled_float),
    "num-long-digits": number_spelling(lambda v: "%.17f" % float(v)),
    "num-leading-dot": number_spelling(lambda v: v[1:] if v.startswith("0.") else v),
    # values
    "cell-nan": lambda b, rng: set_cells(b, rng, "nan"),
    "cell-NaN": lambda b, rng: set_cells(b, rng, "NaN"),
    "cell-NA": lambda b, rng: set_cells(b, rng, "NA"),
    "cell-null": lambda b, rng: set_cells(b, rng, "null"),
    "cell-None": lambda b, rng: set_cells(b, rng, "None"),
    "cell-inf": lambda b, rng: set_cells(b, rng, "inf"),
    "cell-minus-inf": lambda b, rng: set_cells(b, rng, "-inf"),
    "cell-empty": lambda b, rng: set_cells(b, rng, ""),
    "cell-text": lambda b, rng: set_cells(b, rng, "abc"),
    "cells-all-empty": lambda b, rng: map_targets(b, lambda v: ""),
    "cell-huge": lambda b, rng: set_cells(b, rng, "1e308") if b.numeric else None,
    # probabilities
    "prob-above-one": lambda b, rng: set_cells(b, rng, "1.5") if b.numeric else None,
    "prob-negative": lambda b, rng: set_cells(b, rng, "-0.1") if b.numeric else None,
    "prob-halved": lambda b, rng: map_targets(b, lambda v: repr(float(v) / 2)) if b.numeric else None,
    "prob-all-zero-row": lambda b, rng: zero_row(b, rng) if b.numeric else None,
    "prob-constant": lambda b, rng: map_targets(b, lambda v: "0.5") if b.numeric else None,
    # label spellings
    "label-lower": label_spelling(str.lower),
    "label-upper": label_spelling(str.upper),
    "label-as-float": label_spelling(lambda v: v + ".0" if v.lstrip("-").isdigit() else v),
    "label-true-false": label_spelling(lambda v: {"0": "False", "1": "True"}.get(v, v)),
    "label-padded": label_spelling(lambda v: " " + v),
    "label-unknown-class": lambda b, rng: set_cells(b, rng, "zzz_unknown") if b.labels else None,
    "label-stray-text": lambda b, rng: set_cells(b, rng, "T") if b.labels else None,
    # header
    "header-upper": lambda b, rng: write([h.upper() for h in b.header], b.rows),
    "header-spaces": lambda b, rng: write([" " + h for h in b.header], b.rows),
    "header-reversed": lambda b, rng: reorder_columns(b, list(range(len(b.header)))[::-1]),
    "header-id-last": lambda b, rng: reorder_columns(b, [c for c in range(len(b.header)) if c != b.id] + [b.id]),
    "column-target-missing": lambda b, rng: reorder_columns(b, [c for c in range(len(b.header)) if c != b.targets[-1]]),
    "column-id-missing": lambda b, rng: reorder_columns(b, [c for c in range(len(b.header)) if c != b.id]),
    "column-extra": lambda b, rng: write(b.header + ["extra"], [row + ["1"] for row in b.rows]),
    "column-duplicated": lambda b, rng: write(b.header + [b.header[b.targets[0]]], [row + [row[b.targets[0]]] for row in b.rows]),
    "header-missing": lambda b, rng: write(None, b.rows),
    "header-renamed": lambda b, rng: write([h + "_" if i == b.targets[0] else h for i, h in enumerate(b.header)], b.rows),
    # file
    "bom": lambda b, rng: b"\xef\xbb\xbf" + write(b.header, b.rows),
    "crlf": lambda b, rng: write(b.header, b.rows, newline="\r\n"),
    "quote-all": lambda b, rng: write(b.header, b.rows, quoting=csv.QUOTE_ALL),
    "empty": lambda b, rng: b"",
    "header-only": lambda b, rng: write(b.header, []),
    "garbage-megabytes": lambda b, rng: rng.randbytes(512 * 1024) * 4,
    "garbage-text": lambda b, rng: ("\n".join("".join(rng.choice("abc,;\"\n 0123") for _ in range(60)) for _ in range(200))).encode(),
    "blank-lines-trailing": lambda b, rng: write(b.header, b.rows) + b"\n\n\n",
    "blank-line-middle": lambda b, rng: blank_middle(b, rng),
    "semicolons": lambda b, rng: write(b.header, b.rows, delimiter=";"),
    "tabs": lambda b, rng: write(b.header, b.rows, delimiter="\t"),
    "no-final-newline": lambda b, rng: write(b.header, b.rows).rstrip(b"\n"),
    "trailing-comma": lambda b, rng: b"\n".join(line + b"," for line in write(b.header, b.rows).splitlines()) + b"\n",
    "row-ragged-long": lambda b, rng: ragged(b, rng, extra=True),
    "row-ragged-short": lambda b, rng: ragged(b, rng, extra=False),
    "nul-byte": lambda b, rng: write(b.header, b.rows).replace(b"\n", b"\x00\n", 1),
    "invalid-utf8": lambda b, rng: write(b.header, b.rows) + b"\xff\xfe,\xc3\n",
    "latin1-id": lambda b, rng: map_ids(b, lambda i: i + "\u00e9", 1, rng),
}


def drop_one(base, rng):
    gone = rng.randrange(len(base.rows))
    return [row for i, row in enumerate(base.rows) if i != gone]


def zero_row(base, rng):
    rows = base.copy_rows()
    row = rng.choice(rows)
    for c in base.targets:
        row[c] = "0"
    return write(base.header, rows)


def blank_middle(base, rng):
    lines = write(base.header, base.rows).split(b"\n")
    at = 1 + rng.randrange(max(1, len(lines) - 2))
    return b"\n".join(lines[:at] + [b""] + lines[at:])


def ragged(base, rng, extra):
    rows = base.copy_rows()
    row = rng.choice(rows)
    if extra:
        row.append("1")
    else:
        row.pop()
    return write(base.header, rows)


# Kinds that change values (not only spelling): applied to the random submission as well, so
# that their scores are not all the perfect one.
ON_RANDOM = {name for name in MUTATIONS if name.split("-")[0] in ("rows", "row", "id", "num", "cell", "prob", "label", "header", "column")}


def competitions(lite):
    return sorted(p.name for p in Path(lite).iterdir() if (p / "checks" / "checks.json").is_file())


def mutate(lite, out):
    """Writes every mutation of every competition into OUT/<competition>/ and OUT/manifest.json."""
    manifest = {}
    for competition in competitions(lite):
        checks = Path(lite) / competition / "checks"
        facts = json.loads((checks / "checks.json").read_text())
        rng = random.Random(zlib.crc32(("fuzz:" + competition).encode()))
        folder = Path(out) / competition
        folder.mkdir(parents=True, exist_ok=True)
        entries = []
        for base_name in ("perfect", "random"):
            base = Base(checks / f"{base_name}.csv", facts["id_column"], facts["targets"])
            for kind, function in MUTATIONS.items():
                if base_name == "random" and kind not in ON_RANDOM:
                    continue
                data = function(base, rng)
                if data is None:
                    continue
                name = f"{base_name}.{kind}.csv"
                (folder / name).write_bytes(data)
                entries.append(name)
        manifest[competition] = entries
    Path(out, "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    total = sum(len(v) for v in manifest.values())
    print(f"wrote {total} files for {len(manifest)} competitions into {out}", file=sys.stderr)
    return manifest


# ---------------------------------------------------------------- the two graders


def grade_mlebench(mlebench, lite, out):
    """MLE-bench's verdict of every file: its score (before rounding) or why it refused the file."""
    sys.path.insert(0, str(Path(mlebench).resolve()))
    import importlib
    import logging
    import math

    import yaml
    from mlebench.utils import load_answers, read_csv

    logging.disable(logging.CRITICAL)
    manifest = json.loads(Path(out, "manifest.json").read_text())
    verdicts = {}
    for competition, files in sorted(manifest.items()):
        config = yaml.safe_load((Path(mlebench) / "mlebench" / "competitions" / competition / "config.yaml").read_text())
        module_name, function_name = config["grader"]["grade_fn"].split(":")
        grade = getattr(importlib.import_module(module_name), function_name)
        answers_path = Path(lite) / competition / "prepared" / config["dataset"]["answers"].split("/prepared/", 1)[1]
        answers = load_answers(answers_path)
        verdicts[competition] = {}
        for name in files:
            try:
                submission = read_csv(Path(out) / competition / name)
                score = float(grade(submission, answers.copy()))
                verdicts[competition][name] = {"score": score} if math.isfinite(score) else {"score": str(score)}
            except Exception as error:  # grade_csv counts every exception as an invalid submission
                verdicts[competition][name] = {"invalid": f"{type(error).__name__}: {error}"[:200]}
    Path(out, "mlebench.json").write_text(json.dumps(verdicts, indent=1, sort_keys=True))
    return verdicts


def grade_starling(starling, tasks_dir, out):
    """Starling's verdict of every file, from `starling tasks grade --json`."""
    manifest = json.loads(Path(out, "manifest.json").read_text())
    verdicts = {}
    for competition, files in sorted(manifest.items()):
        verdicts[competition] = {}
        for name in files:
            path = Path(out) / competition / name
            run = subprocess.run(
                [starling, "tasks", "grade", "--tasks-dir", str(tasks_dir), competition, str(path), "--json",
                 "--report", str(path.with_suffix(".grade.json"))],
                capture_output=True, text=True, timeout=60)
            try:
                report = json.loads(run.stdout)
            except ValueError:
                verdicts[competition][name] = {"crash": f"exit {run.returncode}: {run.stderr.strip()[-200:]}"}
                continue
            if report.get("valid_submission") and report.get("score") is not None:
                verdicts[competition][name] = {"score": report["score"]}
            else:
                verdicts[competition][name] = {"invalid": (report.get("error") or "invalid")[:200]}
    Path(out, "starling.json").write_text(json.dumps(verdicts, indent=1, sort_keys=True))
    return verdicts


# ---------------------------------------------------------------- the comparison


def agree(ours, theirs):
    if "score" in ours and "score" in theirs:
        a, b = ours["score"], theirs["score"]
        if isinstance(a, str) or isinstance(b, str):
            return str(a) == str(b)
        return abs(a - b) <= TOLERANCE * max(1.0, abs(b))
    return "invalid" in ours and "invalid" in theirs


def disagreement_class(ours, theirs):
    if "crash" in ours:
        return "Starling crashed"
    if "score" in ours and "invalid" in theirs:
        return "Starling scores, MLE-bench refuses"
    if "invalid" in ours and "score" in theirs:
        return "Starling refuses, MLE-bench scores"
    return "both score, differently"


def compare(out):
    ours = json.loads(Path(out, "starling.json").read_text())
    theirs = json.loads(Path(out, "mlebench.json").read_text())
    rows, by_kind, differences = [], {}, []
    total = agreed = 0
    for competition in sorted(theirs):
        n = a = 0
        for name, verdict in sorted(theirs[competition].items()):
            mine = ours[competition][name]
            kind = name.split(".")[1]
            same = agree(mine, verdict)
            n += 1
            a += same
            k = by_kind.setdefault(kind, [0, 0])
            k[0] += 1
            k[1] += same
            if not same:
                differences.append((disagreement_class(mine, verdict), competition, name, mine, verdict))
        rows.append((competition, n, a))
        total += n
        agreed += a
    lines = ["# Starling's graders against MLE-bench's, on mutated submissions", ""]
    lines.append(f"**{agreed} of {total} files agree ({100 * agreed / max(total, 1):.2f}%)**; "
                 f"{sum(1 for d in differences if d[0] == 'Starling scores, MLE-bench refuses')} scored by Starling and refused by MLE-bench.")
    lines += ["", "| competition | files | agree |", "| --- | --- | --- |"]
    lines += [f"| {c} | {n} | {a} |" for c, n, a in rows]
    lines += ["", "| mutation | files | agree |", "| --- | --- | --- |"]
    lines += [f"| {k} | {n} | {a} |" for k, (n, a) in sorted(by_kind.items())]
    lines += ["", "## Every disagreement", ""]
    for cls, competition, name, mine, verdict in sorted(differences):
        lines.append(f"- **{cls}** · {competition} · `{name}` · Starling: {json.dumps(mine)[:160]} · MLE-bench: {json.dumps(verdict)[:160]}")
    Path(out, "table.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:3]))
    return agreed, total, differences


def record(out):
    """Copies MLE-bench's verdicts into the fixture the tests read."""
    theirs = json.loads(Path(out, "mlebench.json").read_text())
    lines = []
    for competition in sorted(theirs):
        entries = [f"  {json.dumps(name)}: {json.dumps(verdict, sort_keys=True)}" for name, verdict in sorted(theirs[competition].items())]
        lines.append(f" {json.dumps(competition)}: {{\n" + ",\n".join(entries) + "\n }")
    VERDICTS.write_text("{\n" + ",\n".join(lines) + "\n}\n")
    print(f"recorded {sum(len(v) for v in theirs.values())} verdicts in {VERDICTS}", file=sys.stderr)


def everything(args):
    out = Path(args.out)
    lite, tasks = out / "lite", out / "tasks"
    subprocess.run([sys.executable, str(SYNTHESIZE), str(lite)], check=True, capture_output=True)
    for competition in competitions(lite):
        if not (tasks / competition).exists():
            subprocess.run([args.starling, "tasks", "import-mlebench", str(lite / competition), str(lite / competition),
                            "--out", str(tasks)], check=True, capture_output=True)
    files = out / "files"
    mutate(lite, files)
    subprocess.run([args.mlebench_python, __file__, "mlebench", "--mlebench", args.mlebench, str(lite), str(files)], check=True)
    grade_starling(args.starling, tasks, files)
    compare(files)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    p = steps.add_parser("mutate")
    p.add_argument("lite")
    p.add_argument("out")
    p = steps.add_parser("mlebench")
    p.add_argument("--mlebench", required=True)
    p.add_argument("lite")
    p.add_argument("out")
    p = steps.add_parser("starling")
    p.add_argument("--starling", required=True)
    p.add_argument("--tasks-dir", required=True)
    p.add_argument("out")
    p = steps.add_parser("compare")
    p.add_argument("out")
    p = steps.add_parser("record")
    p.add_argument("out")
    p = steps.add_parser("all")
    p.add_argument("--mlebench", required=True)
    p.add_argument("--mlebench-python", required=True)
    p.add_argument("--starling", required=True)
    p.add_argument("out")
    args = parser.parse_args()
    if args.step == "mutate":
        mutate(args.lite, args.out)
    elif args.step == "mlebench":
        grade_mlebench(args.mlebench, args.lite, args.out)
    elif args.step == "starling":
        grade_starling(args.starling, args.tasks_dir, args.out)
    elif args.step == "compare":
        compare(args.out)
    elif args.step == "record":
        record(args.out)
    else:
        everything(args)


if __name__ == "__main__":
    main()
