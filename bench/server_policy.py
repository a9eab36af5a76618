"""Compares local-server policies over whole runs: for each policy, one `starling run` of the same
task and budget (one after another, so they do not share the machine), then a table of what the
model got done — LLM calls, calls per minute, LLM-written scripts written / ran / valid, share of
wall time waiting on the model, and the final score.

A policy is NAME=THREADS/BATCH_THREADS/SPEC, e.g. `t1=1/2/ngram-mod` (generation threads,
prompt-processing threads, `--spec-type` or `none`); it reaches the server through
STARLING_LLM_THREADS, STARLING_LLM_BATCH_THREADS and STARLING_LLM_SPEC. Each run starts its own
server (any running one is stopped first), so no policy inherits another's cache.

Usage:
    python3 bench/server_policy.py --task wa-churn --time 6m t1=1/2/ngram-mod t2=2/2/ngram-mod
Prints one line per policy and the ratio of LLM calls of the later policies over the first.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("policies", nargs="+", help="NAME=THREADS/BATCH_THREADS/SPEC")
    parser.add_argument("--task", default="wa-churn")
    parser.add_argument("--time", default="6m")
    parser.add_argument("--strategy", default="mle-star")
    parser.add_argument("--starling", default=".build/debug/starling")
    parser.add_argument("--out", default="bench/out/server-policy")
    args = parser.parse_args()

    rows = []
    for policy in args.policies:
        name, _, spec = policy.partition("=")
        try:
            threads, batch, speculative = spec.split("/")
        except ValueError:
            print(f"cannot read policy {policy!r}: write NAME=THREADS/BATCH_THREADS/SPEC, e.g. t1=1/2/ngram-mod", file=sys.stderr)
            return 2
        folder = Path(args.out) / f"{args.task}-{name}-{int(time.time())}"
        subprocess.run([args.starling, "llm", "stop"], capture_output=True)
        env = dict(os.environ, STARLING_LLM_THREADS=threads, STARLING_LLM_BATCH_THREADS=batch, STARLING_LLM_SPEC=speculative)
        started = time.monotonic()
        subprocess.run([args.starling, "run", args.task, "--time", args.time, "--strategy", args.strategy,
                        "--cache", "off", "--out", str(folder)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.monotonic() - started
        subprocess.run([args.starling, "llm", "stop"], capture_output=True)
        summary_file = folder / "summary.json"
        if not summary_file.exists():
            print(f"{name}: the run wrote no summary.json; see {folder}", file=sys.stderr)
            continue
        summary = json.loads(summary_file.read_text())
        work = summary.get("modelWork") or {}
        rows.append({
            "policy": name, "spec": spec, "wall_s": round(wall), "llm_calls": summary["llm"]["calls"],
            "calls_per_min": round(work.get("llmCallsPerMinute", 0), 2),
            "written": work.get("scriptsWritten", 0), "ran": work.get("scriptsRan", 0), "valid": work.get("scriptsValid", 0),
            "wait_share": round(work.get("llmWaitShare", 0), 2), "final_score": summary.get("finalScore"),
            "submitted": work.get("submittedOrigin"), "folder": str(folder),
        })
        print(json.dumps(rows[-1]), flush=True)
    if len(rows) >= 2 and rows[0]["llm_calls"]:
        for row in rows[1:]:
            print(f"llm_calls {row['policy']}/{rows[0]['policy']}: {row['llm_calls'] / rows[0]['llm_calls']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
