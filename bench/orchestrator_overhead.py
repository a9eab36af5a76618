#!/usr/bin/env python3
"""Orchestrator overhead: Starling's own CPU time as a share of a run's wall time.

Starts `starling run TASK` and samples /proc/<pid>/stat (utime + stime of the starling process
and all its threads, but not of its children: the sandboxed scripts and llama-server are not
Starling's overhead) until it exits. Prints one ratio measured in one run.

    python3 bench/orchestrator_overhead.py [--task wa-churn] [--time 3m] [-- extra run options]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of a live process, in seconds; None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # fields 14 and 15 of stat(5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starling", default=str(Path(__file__).resolve().parent.parent / ".build/debug/starling"))
    parser.add_argument("--task", default="wa-churn")
    parser.add_argument("--time", default="3m")
    parser.add_argument("--out", help="run folder (default: a temporary one, removed afterwards)")
    parser.add_argument("extra", nargs="*", help="further `starling run` options, after --")
    args = parser.parse_args()

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="starling-overhead-")) / "run"
    command = [args.starling, "run", args.task, "--time", args.time, "--out", str(out), *args.extra]
    print("$", " ".join(command), file=sys.stderr)
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    last = 0.0
    while process.poll() is None:
        sample = cpu_seconds(process.pid)
        if sample is not None:
            last = sample
        time.sleep(0.1)
    wall = time.monotonic() - start
    if not args.out:
        shutil.rmtree(out.parent, ignore_errors=True)
    ratio = last / wall if wall > 0 else float("nan")
    print(f"orchestrator overhead: {last:.2f} s of Starling CPU over {wall:.1f} s of run wall time = {ratio:.4f} "
          f"({ratio * 100:.2f}% of one core; run exit status {process.returncode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
