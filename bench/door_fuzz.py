#!/usr/bin/env python3
"""Runs the door fuzz suites at a larger size than the tests do and prints each door's count.

The suites (Tests/*DoorTests.swift) take a fixed seed and a few hundred cases in the ordinary
test run; STARLING_FUZZ_CASES raises the count. Build first with `swift build --build-tests`.

    python3 bench/door_fuzz.py --cases 5000
    python3 bench/door_fuzz.py --cases 2000 --doors repo-tools,llm-replies
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

SUITES = {
    "task-folders": "TaskFolderDoorTests",
    "gym-server": "GymServerDoorTests",
    "llm-replies": "LLMReplyDoorTests",
    "edit-replies": "EditReplyDoorTests",
    "repo-tools": "RepoToolsDoorTests",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=3000, help="cases per door (the tests run 320-400)")
    parser.add_argument("--doors", default=",".join(SUITES), help="comma-separated: " + ", ".join(SUITES))
    arguments = parser.parse_args()
    doors = [name.strip() for name in arguments.doors.split(",") if name.strip()]
    unknown = [name for name in doors if name not in SUITES]
    if unknown:
        parser.error(f"unknown door(s) {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    environment = dict(os.environ, STARLING_FUZZ_CASES=str(arguments.cases))
    failed = []
    for door in doors:
        started = time.time()
        run = subprocess.run(["swift", "test", "--disable-xctest", "--skip-build", "--filter", SUITES[door]],
                             env=environment, capture_output=True, text=True)
        lines = [line for line in (run.stdout + run.stderr).splitlines() if line.startswith("door ") or "✘" in line]
        print("\n".join(lines) or f"door {door}: no summary printed (is the build current?)")
        print(f"  {door}: {'passed' if run.returncode == 0 else 'FAILED'} in {time.time() - started:.0f} s")
        if run.returncode != 0:
            failed.append(door)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
