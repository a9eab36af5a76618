"""An example episode against Starling's gym server, standard library only.

    starling serve --port 8080 &
    python3 clients/python/example_episode.py --url http://127.0.0.1:8080 --task wa-churn

It reads the task's metadata, validates and executes a baseline that copies the sample
submission (valid for every task), executes a script that stops after loading the data to show
partial credit, optionally executes your own script (--code), looks at the history, and submits
the best execution to learn its real test score.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from starling_dojo import DojoClient, StepResult  # noqa: E402

SAMPLE_COPY = """\
import os, shutil
os.makedirs("submission", exist_ok=True)
shutil.copy("input/sample_submission.csv", "submission/submission.csv")
"""

STOPS_AFTER_LOADING = """\
import csv
rows = list(csv.reader(open("input/train.csv")))
raise RuntimeError(f"stopping on purpose after reading {len(rows)} rows")
"""


def show(label: str, result: StepResult) -> None:
    info = result.info
    stages = info.get("stages") or {}
    reached = [name for name, done in stages.items() if done]
    line = f"step {info.get('step')} {label}: {result.observation['action_status']} reward {result.reward:.3f}"
    if info.get("partial_credit") is not None:
        line += f" partial_credit {info['partial_credit']:.2f} stages [{', '.join(reached)}]"
    if info.get("raw_score") is not None:
        line += f" dev score {info['raw_score']:.5g}"
    print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--task", default="wa-churn")
    parser.add_argument("--code", help="a solution script of your own to execute as well")
    args = parser.parse_args()

    client = DojoClient(args.url)
    print("server:", client.health()["status"])
    with client.make(args.task, max_steps=8) as env:
        print(f"environment {env.id} for {args.task}")
        metadata = env.request_info("metadata")
        show("request_info metadata", metadata)
        print("  " + metadata.observation["feedback"].splitlines()[0])
        show("validate_code sample copy", env.validate_code(SAMPLE_COPY))
        show("execute_code sample copy", env.execute_code(SAMPLE_COPY))
        show("execute_code stops after loading", env.execute_code(STOPS_AFTER_LOADING))
        if args.code:
            with open(args.code) as handle:
                show(f"execute_code {args.code}", env.execute_code(handle.read()))
        history = env.get_history()
        show("get_history", history)
        print(f"  {len(history.observation['content']['steps'])} earlier steps in the history")
        final = env.submit()
        show("submit", final)
        grade = final.info["final"]
        print(f"final test score: {grade['test_score']} (from step {grade['step']}, terminated={final.terminated})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
