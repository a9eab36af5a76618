#!/usr/bin/env python3
"""Slot utilisation while work is queued.

Queues sandboxed busy-loop scripts (mixed core requests) through Starling's SlotScheduler via
the hidden `starling bench-self slots` command and prints SlotScheduler.utilisation(): the share
of the core budget's seconds held by executions from the first start to the last finish. The
gap to 1 is what queueing and process start-up cost.

    python3 bench/slot_utilisation.py [--jobs 12] [--cores 2] [--job-cores 1,2,1] [--seconds 1]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starling", default=str(Path(__file__).resolve().parent.parent / ".build/debug/starling"))
    parser.add_argument("--jobs", type=int, default=12)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--job-cores", default="1,2,1")
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    command = [args.starling, "bench-self", "slots", "--jobs", str(args.jobs), "--cores", str(args.cores),
               "--job-cores", args.job_cores, "--seconds", str(args.seconds)]
    result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    print(f"slot utilisation: {result['utilisation']:.4f} of {args.cores} cores held over {result['wall_seconds']:.2f} s "
          f"({args.jobs} queued scripts asking for {args.job_cores} cores, {args.seconds:g} s each; "
          f"busy-loop share {result['busy_loop_share']:.4f}; {result['failed_jobs']} failed; sandbox: {result['isolation']})")
    return 0 if result["failed_jobs"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
