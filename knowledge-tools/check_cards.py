"""Checks the knowledge-base model cards: format, and that every card's example script
really runs and writes a valid submission on every prepared task of a matching task type.

Run with the SOLUTION environment's python (stdlib + that environment only):
    ~/.cache/starling/python/bin/python knowledge-tools/check_cards.py \
        --tasks /tmp/kb-tasks [--prepare] [--card lightgbm-tabular] [--task wa-churn] [--json out.json]

Tasks are folders under --tasks, each with public/{train,test,sample_submission}.csv and
private/answers.csv. A task's config.yaml (task_type, grader, id_column) is read from the
folder itself (fixtures written by make_fixtures.py) or from the lite suite (--suite).
--prepare first runs every suite task's prepare.py (data environment) that is not prepared yet.

For each (card, task) the example runs in a fresh temporary folder holding `input` (a link
to the task's public folder), `submission/` and `working/`, with STARLING_N_JOBS=1 and a
timeout. It passes when it exits 0, prints `validation_score: <float>`, and writes
submission/submission.csv with sample_submission's columns, test.csv's ids in test.csv's
order and no missing value. Passing runs are then scored against private/answers.csv.
Exit status: 0 when every card is well-formed and every run passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn import metrics

REPO = Path(__file__).resolve().parent.parent
CARDS = REPO / "Sources" / "StarlingAgents" / "Resources" / "knowledge"
HOME = Path(os.environ.get("STARLING_HOME", Path.home() / ".cache" / "starling"))
SOLUTION_PYTHON = HOME / "python" / "bin" / "python"
DATA_PYTHON = HOME / "data-env" / "bin" / "python"
SUITE = Path("/work/wt-tasks/tasks/lite")

TASK_TYPES = {
    "binary_classification",
    "multiclass_classification",
    "regression",
    "text_classification",
    "image_classification",
    "time_series_forecasting",
}
REQUIRED_KEYS = ["id", "name", "task_types", "keywords", "library"]
SECTIONS = ["## When to use", "## Pitfalls", "## Example"]
ALLOWED_IMPORTS = {
    "__future__", "os", "sys", "re", "math", "json", "time", "pathlib", "warnings", "collections",
    "itertools", "functools", "typing", "dataclasses", "numpy", "pandas", "scipy", "sklearn",
    "lightgbm", "xgboost", "catboost",
}
SCORE_LINE = re.compile(r"^validation_score: (\S+)\s*$", re.MULTILINE)


@dataclass
class Card:
    path: Path
    meta: dict[str, object]
    example: str
    problems: list[str] = field(default_factory=list)


@dataclass
class Task:
    name: str
    root: Path
    task_type: str
    metric: str
    id_column: str


@dataclass
class RunResult:
    card: str
    task: str
    ok: bool
    seconds: float
    cpu_seconds: float = 0.0
    validation: float | None = None
    test_score: float | None = None
    metric: str = ""
    problem: str = ""


# --- cards -------------------------------------------------------------------------------


def parse_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Reads the `key: value` / `key: [a, b]` header between the leading `---` lines."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError("card does not start with a `---` front-matter line")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise ValueError("front matter has no closing `---` line") from None
    meta: dict[str, object] = {}
    for line in lines[1:end]:
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"front-matter line without `key:`: {line!r}")
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            meta[key.strip()] = [item.strip() for item in value[1:-1].split(",") if item.strip()]
        else:
            meta[key.strip()] = value
    return meta, "\n".join(lines[end + 1 :])


def load_card(path: Path) -> Card:
    text = path.read_text()
    try:
        meta, body = parse_front_matter(text)
    except ValueError as error:
        return Card(path, {}, "", [str(error)])
    card = Card(path, meta, "")
    for key in REQUIRED_KEYS:
        if not meta.get(key):
            card.problems.append(f"front matter lacks `{key}`")
    if meta.get("id") != path.stem:
        card.problems.append(f"id {meta.get('id')!r} differs from the file name {path.stem!r}")
    types = meta.get("task_types", [])
    if not isinstance(types, list) or not types or set(types) - TASK_TYPES:
        card.problems.append(f"task_types {types!r} must be a non-empty list drawn from {sorted(TASK_TYPES)}")
    if not isinstance(meta.get("keywords"), list):
        card.problems.append("keywords must be a [list]")
    positions = [body.find(section) for section in SECTIONS]
    if -1 in positions or positions != sorted(positions):
        card.problems.append(f"body must hold the sections {SECTIONS} in that order")
        return card
    example_section = body[positions[2] :]
    blocks = re.findall(r"```python\n(.*?)\n```", example_section, re.DOTALL)
    if len(blocks) != 1:
        card.problems.append(f"## Example must hold exactly one ```python block, found {len(blocks)}")
        return card
    card.example = blocks[0] + "\n"
    try:
        tree = ast.parse(card.example)
    except SyntaxError as error:
        card.problems.append(f"example does not parse: line {error.lineno}: {error.msg}")
        return card
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            if name.split(".")[0] not in ALLOWED_IMPORTS:
                card.problems.append(f"example imports {name!r}, which the solution environment lacks")
    if "STARLING_N_JOBS" not in card.example:
        card.problems.append("example does not read STARLING_N_JOBS")
    return card


# --- tasks -------------------------------------------------------------------------------


def config_value(text: str, key: str) -> str | None:
    match = re.search(rf"^\s*{key}:\s*(\S+)", text, re.MULTILINE)
    return match.group(1) if match else None


def grader_name(config_text: str) -> str:
    match = re.search(r"^grader:\s*\n\s+name:\s*(\S+)", config_text, re.MULTILINE)
    return match.group(1) if match else ""


def prepare_suite(suite: Path, tasks_root: Path) -> None:
    for prepare in sorted(suite.glob("*/prepare.py")):
        out = tasks_root / prepare.parent.name
        if (out / "public" / "sample_submission.csv").exists():
            continue
        print(f"preparing {prepare.parent.name} ...", flush=True)
        run = subprocess.run([str(DATA_PYTHON), str(prepare), "--out", str(out)], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"  prepare failed: {run.stderr.strip().splitlines()[-1:]}", flush=True)


def load_tasks(tasks_root: Path, suite: Path) -> list[Task]:
    tasks = []
    for root in sorted(p for p in tasks_root.iterdir() if (p / "public" / "sample_submission.csv").exists()):
        config = root / "config.yaml"
        if not config.exists():
            config = suite / root.name / "config.yaml"
        if not config.exists():
            print(f"skipping {root.name}: no config.yaml here or in {suite}", file=sys.stderr)
            continue
        text = config.read_text()
        tasks.append(
            Task(
                name=root.name,
                root=root,
                task_type=config_value(text, "task_type") or "",
                metric=grader_name(text),
                id_column=config_value(text, "id_column") or "id",
            )
        )
    return tasks


# --- scoring -----------------------------------------------------------------------------


def score(metric: str, truth: pd.DataFrame, pred: pd.DataFrame) -> float:
    """Both frames hold only the target columns, aligned row by row."""
    y, p = truth.to_numpy(), pred.to_numpy()
    if metric in ("accuracy", "balanced_accuracy", "f1", "f1_macro", "f1_micro"):
        y_s, p_s = y.ravel().astype(str), p.ravel().astype(str)
        if metric == "accuracy":
            return metrics.accuracy_score(y_s, p_s)
        if metric == "balanced_accuracy":
            return metrics.balanced_accuracy_score(y_s, p_s)
        average = {"f1": "binary", "f1_macro": "macro", "f1_micro": "micro"}[metric]
        return metrics.f1_score(y_s, p_s, average=average)
    if metric == "roc_auc":
        return metrics.roc_auc_score(y.ravel().astype(float), p.ravel().astype(float))
    if metric == "roc_auc_column_mean":
        return float(np.mean([metrics.roc_auc_score(y[:, i], p[:, i].astype(float)) for i in range(y.shape[1])]))
    if metric == "log_loss":
        return metrics.log_loss(y.ravel().astype(float), p.ravel().astype(float))
    if metric == "rmse":
        return metrics.root_mean_squared_error(y.astype(float), p.astype(float))
    if metric == "rmsle":
        return metrics.root_mean_squared_log_error(y.astype(float), np.clip(p.astype(float), 0, None))
    if metric == "mae":
        return metrics.mean_absolute_error(y.astype(float), p.astype(float))
    if metric == "r2":
        return metrics.r2_score(y.astype(float), p.astype(float))
    raise ValueError(f"metric {metric!r} is not handled by check_cards.py")


def check_submission(task: Task, path: Path) -> tuple[str, float | None]:
    """Returns (problem, test score); problem is "" when the submission is valid."""
    if not path.exists():
        return "no submission/submission.csv", None
    sample = pd.read_csv(task.root / "public" / "sample_submission.csv")
    test = pd.read_csv(task.root / "public" / "test.csv")
    try:
        sub = pd.read_csv(path)
    except Exception as error:  # noqa: BLE001 - any unreadable file is the finding
        return f"submission unreadable: {error}", None
    if list(sub.columns) != list(sample.columns):
        return f"columns {list(sub.columns)} != sample {list(sample.columns)}", None
    if len(sub) != len(sample):
        return f"{len(sub)} rows, sample has {len(sample)}", None
    id_column = sample.columns[0]
    ids = test[id_column] if id_column in test.columns else sample[id_column]
    if sub[id_column].astype(str).tolist() != ids.astype(str).tolist():
        same_set = set(sub[id_column].astype(str)) == set(ids.astype(str))
        return ("ids in another order than test.csv" if same_set else "ids differ from test.csv"), None
    if sub.isna().any().any():
        return f"missing values in {sub.columns[sub.isna().any()].tolist()}", None
    answers = pd.read_csv(task.root / "private" / "answers.csv")
    pred = sub.set_index(id_column).loc[answers[id_column]]
    try:
        return "", score(task.metric, answers.set_index(id_column)[pred.columns], pred)
    except Exception as error:  # noqa: BLE001 - a scoring failure is reported, not fatal
        return f"scoring failed ({task.metric}): {error}", None


# --- running -----------------------------------------------------------------------------


def child_cpu_seconds() -> float:
    """CPU time of finished children: on a shared machine it, not wall time, shows the
    one-core runtime the examples must keep under ~60 s."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_example(card: Card, task: Task, timeout: float) -> RunResult:
    result = RunResult(card=card.path.stem, task=task.name, ok=False, seconds=0.0, metric=task.metric)
    with tempfile.TemporaryDirectory(prefix="kb-check-") as folder:
        work = Path(folder)
        (work / "input").symlink_to(task.root / "public", target_is_directory=True)
        (work / "working").mkdir()
        script = work / "working" / "solution.py"
        script.write_text(card.example)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(work),
            "STARLING_N_JOBS": "1",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        start = time.monotonic()
        cpu_start = child_cpu_seconds()
        try:
            run = subprocess.run(
                [str(SOLUTION_PYTHON), str(script)], cwd=work, env=env, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            result.seconds = time.monotonic() - start
            result.cpu_seconds = child_cpu_seconds() - cpu_start
            result.problem = f"timed out after {timeout:.0f} s"
            return result
        result.seconds = time.monotonic() - start
        result.cpu_seconds = child_cpu_seconds() - cpu_start
        if run.returncode != 0:
            tail = [line for line in run.stderr.strip().splitlines() if line.strip()][-1:] or ["(no stderr)"]
            result.problem = f"exit {run.returncode}: {tail[0][:200]}"
            return result
        matches = SCORE_LINE.findall(run.stdout)
        if len(matches) != 1:
            result.problem = f"expected one `validation_score: <float>` line, found {len(matches)}"
            return result
        try:
            result.validation = float(matches[0])
        except ValueError:
            result.problem = f"validation_score {matches[0]!r} is not a float"
            return result
        if not math.isfinite(result.validation):
            result.problem = f"validation_score is {matches[0]}"
            return result
        result.problem, result.test_score = check_submission(task, work / "submission" / "submission.csv")
        result.ok = not result.problem
    return result


def fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def main() -> int:
    parser = argparse.ArgumentParser(description="Checks knowledge-base cards and runs their examples.")
    parser.add_argument("--cards", type=Path, default=CARDS, help="folder of *.md cards")
    parser.add_argument("--tasks", type=Path, default=Path("/tmp/kb-tasks"), help="folder of prepared tasks")
    parser.add_argument("--suite", type=Path, default=SUITE, help="lite suite folder holding each task's config.yaml")
    parser.add_argument("--prepare", action="store_true", help="prepare missing suite tasks with the data env first")
    parser.add_argument("--card", action="append", default=[], help="only this card id (repeatable)")
    parser.add_argument("--task", action="append", default=[], help="only this task name (repeatable)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per example run")
    parser.add_argument("--format-only", action="store_true", help="check card format, run nothing")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    cards = [load_card(path) for path in sorted(args.cards.glob("*.md"))]
    if args.card:
        cards = [card for card in cards if card.path.stem in args.card]
    failures = 0
    for card in cards:
        for problem in card.problems:
            failures += 1
            print(f"FORMAT {card.path.name}: {problem}")
    if args.format_only:
        print(f"{len(cards)} cards, {failures} format problems")
        return 1 if failures else 0

    if args.prepare:
        prepare_suite(args.suite, args.tasks)
    tasks = load_tasks(args.tasks, args.suite)
    if args.task:
        tasks = [task for task in tasks if task.name in args.task]

    results: list[RunResult] = []
    print("| card | task | result | validation | test score (metric) | wall s | cpu s |")
    print("|---|---|---|---|---|---|---|")
    for card in cards:
        if card.problems:
            continue
        for task in tasks:
            if task.task_type not in card.meta["task_types"]:
                continue
            result = run_example(card, task, args.timeout)
            results.append(result)
            failures += not result.ok
            status = "ok" if result.ok else f"FAILED: {result.problem}"
            print(
                f"| {result.card} | {result.task} | {status} | {fmt(result.validation)} | "
                f"{fmt(result.test_score)} ({result.metric}) | {result.seconds:.1f} | {result.cpu_seconds:.1f} |",
                flush=True,
            )
    print(f"\n{len(results)} runs, {sum(r.ok for r in results)} ok, {failures} problems")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
