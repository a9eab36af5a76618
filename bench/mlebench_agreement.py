#!/usr/bin/env python3
"""Scores the synthetic Lite checks with MLE-bench's own graders, for the agreement fixtures.

For every competition folder written by tasks/mlebench-lite/synthesize.py, each file in
checks/ (perfect, sample, random, invalid-*) is read the way MLE-bench reads a submission and
passed to the competition's `grade` function from a checkout of openai/mle-bench. The raw score
(before MLE-bench's 5-digit rounding) or the exception that made the submission invalid is
written as JSON; Starling's tests compare their own grades with it.

    python -m venv /tmp/mlevenv && /tmp/mlevenv/bin/pip install 'scikit-learn==1.5.2' 'pandas==2.2.3' \
        'numpy<2.1' scipy pyyaml py7zr tqdm appdirs
    /tmp/mlevenv/bin/python bench/mlebench_agreement.py --mlebench ~/src/mle-bench LITE_DIR \
        > Tests/StarlingBenchTests/Fixtures/mlebench-lite-agreement.json
"""

import argparse
import importlib
import json
import sys
from pathlib import Path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lite", type=Path, help="folder written by synthesize.py")
    parser.add_argument("--mlebench", type=Path, required=True, help="a checkout of openai/mle-bench")
    args = parser.parse_args()
    sys.path.insert(0, str(args.mlebench.resolve()))
    import numpy
    import pandas
    import sklearn
    import yaml
    from mlebench.utils import load_answers, read_csv

    commit = "unknown"
    head = args.mlebench / ".git" / "HEAD"
    if head.exists():
        ref = head.read_text().strip()
        commit = (args.mlebench / ".git" / ref[5:]).read_text().strip() if ref.startswith("ref: ") else ref
    result = {
        "mlebench_commit": commit,
        "versions": {"pandas": pandas.__version__, "scikit-learn": sklearn.__version__, "numpy": numpy.__version__},
        "competitions": {},
    }
    for folder in sorted(p for p in args.lite.iterdir() if (p / "checks").is_dir()):
        config = yaml.safe_load((args.mlebench / "mlebench" / "competitions" / folder.name / "config.yaml").read_text())
        module_name, function_name = config["grader"]["grade_fn"].split(":")
        grade = getattr(importlib.import_module(module_name), function_name)
        answers_path = folder / "prepared" / config["dataset"]["answers"].split("/prepared/", 1)[1]
        entries = {}
        for check in sorted((folder / "checks").glob("*.csv")):
            answers = load_answers(answers_path)
            try:
                submission = read_csv(check)
                score = float(grade(submission, answers))
                entries[check.stem] = {"score": score}
            except Exception as error:  # MLE-bench counts every exception as an invalid submission
                entries[check.stem] = {"invalid": f"{type(error).__name__}: {error}"[:300]}
        result["competitions"][folder.name] = {"grader": config["grader"]["name"], "checks": entries}
    json.dump(result, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
