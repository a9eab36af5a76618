"""Checks one lite task end to end (a developer tool; run it with the solution env's python):

1. runs prepare.py twice in the data env and demands byte-identical output;
2. with --write-checksums, writes the sha256 of every prepared file into config.yaml;
3. runs baseline.py and reference.py under the solution contract (input/ = public files,
   submission/submission.csv written, working/ scratch) and scores both with score.py.

    ~/.cache/starling/python/bin/python tasks/tools/check.py wa-churn [--write-checksums] [--skip-solutions]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from score import score_files  # noqa: E402

LITE = Path(__file__).resolve().parent.parent / "lite"
HOME = Path(os.environ.get("STARLING_HOME", Path.home() / ".cache" / "starling"))
DATA_PYTHON = HOME / "data-env" / "bin" / "python"
SOLUTION_PYTHON = HOME / "python" / "bin" / "python"


def config_value(text: str, key: str) -> str:
    match = re.search(rf"^\s*{key}:\s*(\S+)", text, re.MULTILINE)
    if not match:
        raise SystemExit(f"config.yaml has no {key}")
    return match.group(1)


def checksums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def prepare(task: Path, out: Path) -> dict[str, str]:
    subprocess.run([str(DATA_PYTHON), str(task / "prepare.py"), "--out", str(out)], check=True)
    return checksums(out)


def write_checksums(config: Path, sums: dict[str, str]) -> None:
    ordered = sorted(sums, key=lambda p: (not p.startswith("public/"), p))
    block = "".join(f"    {path}: {sums[path]}\n" for path in ordered)
    text = config.read_text()
    text, n = re.subn(r"(  checksums:\n)(?:    .*\n)*", lambda m: m.group(1) + block, text)
    if n != 1:
        raise SystemExit(f"{config}: no `  checksums:` block to fill")
    config.write_text(text)


def cpu_seconds() -> float:
    """User + system CPU time of finished children: a runtime that a busy machine does not inflate."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_solution(script: Path, public: Path, run_dir: Path) -> tuple[Path, float, float, str]:
    run_dir.mkdir(parents=True)
    (run_dir / "input").symlink_to(public)
    (run_dir / "working").mkdir()
    env = dict(os.environ, STARLING_N_JOBS="1", OMP_NUM_THREADS="1")
    start, cpu_start = time.monotonic(), cpu_seconds()
    result = subprocess.run(
        [str(SOLUTION_PYTHON), str(script)], cwd=run_dir, env=env, capture_output=True, text=True
    )
    elapsed, cpu = time.monotonic() - start, cpu_seconds() - cpu_start
    if result.returncode != 0:
        raise SystemExit(f"{script} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    if result.stderr.strip():
        print(f"{script.name} stderr:\n{result.stderr[-2000:]}")
    lines = [line for line in result.stdout.splitlines() if line.startswith("validation_score:")]
    return run_dir / "submission" / "submission.csv", elapsed, cpu, lines[-1] if lines else "no validation_score"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("task")
    parser.add_argument("--write-checksums", action="store_true")
    parser.add_argument("--skip-solutions", action="store_true")
    parser.add_argument("--only", choices=["baseline", "reference"])
    args = parser.parse_args()
    task = LITE / args.task
    config = task / "config.yaml"
    text = config.read_text()
    metric = config_value(text.split("grader:", 1)[1], "name")
    id_column = config_value(text, "id_column")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        first, second = prepare(task, tmp / "a"), prepare(task, tmp / "b")
        if first != second:
            raise SystemExit(f"{args.task}: prepare is not deterministic: {first} vs {second}")
        sizes = {p: (tmp / "a" / p).stat().st_size for p in first}
        print(f"{args.task}: prepare deterministic; sizes {sizes}")
        if args.write_checksums:
            write_checksums(config, first)
        else:
            recorded = dict(re.findall(r"^    (\S+): ([0-9a-f]{64})$", text, re.MULTILINE))
            if recorded != first:
                raise SystemExit(f"{args.task}: config.yaml checksums differ from prepared files (--write-checksums)")
        if args.skip_solutions:
            return
        for path in (tmp / "a" / "public").rglob("*"):
            path.chmod(0o444 if path.is_file() else 0o555)  # input/ is read-only under the contract
        for name in ["baseline", "reference"]:
            if args.only and name != args.only:
                continue
            submission, elapsed, cpu, line = run_solution(task / f"{name}.py", tmp / "a" / "public", tmp / name)
            value = score_files(metric, str(tmp / "a" / "private" / "answers.csv"), str(submission), id_column)
            print(f"{args.task} {name}: test {metric} = {value:.5f}  ({line}; {elapsed:.1f}s wall, {cpu:.1f}s cpu)")


if __name__ == "__main__":
    main()
