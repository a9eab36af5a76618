#!/usr/bin/env python3
"""Ray executor overhead: what running a bench cell as a Ray job adds to it, against the local executor.

Runs the same `starling bench` grid twice, one after the other: with `--executor local`, then
with `--executor ray` (on the head at --ray-address; when none answers, a single-node head is
started with `starling ray up` and stopped afterwards). Each cell's overhead is its wall time
minus its run's own clock (`overheadSeconds` in results.json): process start for a local cell;
submission, queueing, job start-up and status polling for a Ray cell. Prints both, cell by
cell, with their job ids, and the difference of the means.

    python3 bench/ray_overhead.py --tasks wa-churn,ames,credit-data --strategies mle-star --time 5m [--out DIR]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path


def answers(address: str) -> bool:
    try:
        with urllib.request.urlopen(address.rstrip("/") + "/api/version", timeout=3) as reply:
            return reply.status == 200
    except OSError:
        return False


def bench(starling: str, out: Path, args: argparse.Namespace, extra: list[str]) -> list[dict]:
    command = [starling, "bench", "--tasks", args.tasks, "--strategies", args.strategies, "--time", args.time,
               "--out", str(out), *extra]
    if args.llm:
        command += ["--llm", args.llm]
    print("$", " ".join(command), file=sys.stderr, flush=True)
    subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    return json.loads((out / "results.json").read_text())["cells"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starling", default=str(Path(__file__).resolve().parent.parent / ".build/debug/starling"))
    parser.add_argument("--tasks", default="wa-churn,ames,credit-data")
    parser.add_argument("--strategies", default="mle-star")
    parser.add_argument("--time", default="5m")
    parser.add_argument("--llm", help="model for every role (default: the local model)")
    parser.add_argument("--ray-address", default="http://127.0.0.1:8265")
    parser.add_argument("--out", help="folder for both benches (default: a temporary one, kept)")
    args = parser.parse_args()

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="starling-ray-overhead-"))
    started = False
    if not answers(args.ray_address):
        subprocess.run([args.starling, "ray", "up"], check=True, stdout=sys.stderr)
        started = True
    try:
        local = bench(args.starling, out / "local", args, ["--executor", "local"])
        ray = bench(args.starling, out / "ray", args, ["--executor", "ray", "--ray-address", args.ray_address])
    finally:
        if started:
            subprocess.run([args.starling, "ray", "down"], check=False, stdout=sys.stderr)

    def label(cell: dict) -> str:
        return f"{cell['cell']['task']}/{cell['cell']['strategy']}/s{cell['cell']['seed']}"

    rows = {label(c): {"local": c} for c in local}
    for cell in ray:
        rows.setdefault(label(cell), {})["ray"] = cell
    print(f"{'cell':32} {'local wall':>10} {'overhead':>9}   {'ray wall':>9} {'overhead':>9}  job (node)")
    for name, pair in rows.items():
        l, r = pair.get("local", {}), pair.get("ray", {})
        placement = r.get("placement") or {}
        print(f"{name:32} {l.get('wallSeconds', float('nan')):9.1f}s {l.get('overheadSeconds') or float('nan'):8.1f}s"
              f"   {r.get('wallSeconds', float('nan')):8.1f}s {r.get('overheadSeconds') or float('nan'):8.1f}s"
              f"  {placement.get('jobID', '-')} ({placement.get('node', '-')})")
    local_over = [c["overheadSeconds"] for c in local if c.get("overheadSeconds") is not None]
    ray_over = [c["overheadSeconds"] for c in ray if c.get("overheadSeconds") is not None]
    if not local_over or not ray_over:
        print("no overhead measured (cells failed before their runs ended?); see", out)
        return 1
    added = statistics.mean(ray_over) - statistics.mean(local_over)
    print(f"ray executor overhead: mean {statistics.mean(ray_over):.1f} s per cell (n={len(ray_over)}) vs local "
          f"{statistics.mean(local_over):.1f} s (n={len(local_over)}): Ray adds {added:.1f} s per cell; benches in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
