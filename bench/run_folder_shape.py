"""Compares the shape of two run folders: which files they hold and which keys their JSON files
have, with node numbers, fold numbers and seeds folded together. A refactoring that should not
change what a run writes is checked by running the same short run before and after it:

    python3 bench/run_folder_shape.py runs/before runs/after

Prints what one side has and the other lacks, and exits 1 when the shapes differ. Files whose
presence depends on how the run went (a failed node has no submission) are listed by pattern, so
two runs of the same task and strategy, with no model or with a cached one, compare cleanly.
"""

import json
import os
import re
import sys

# Paths that vary from run to run without meaning anything for the layout.
VARIABLE = [
    (re.compile(r"(^|/)\d+(?=/|$)"), r"\1N"),         # nodes/12/, cv/3/, folds/2/
    (re.compile(r"(^|/)seed-\d+"), r"\1seed-N"),
    (re.compile(r"(^|/)step-\d+"), r"\1step-N"),
    (re.compile(r"(^|/)previous-attempt-\d+"), r"\1previous-attempt-N"),
]
# What the scripts themselves write below their working folder is theirs, not the layout's.
SCRIPT_OWNED = re.compile(r"(^|/)(working|\.home|\.tmp)/.+")


def normalise(path):
    for pattern, replacement in VARIABLE:
        path = pattern.sub(replacement, path)
    return SCRIPT_OWNED.sub(r"\1\2/…", path)


def key_paths(value, prefix=""):
    """Every key path of a JSON value; list items fold into `[]`."""
    paths = set()
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{prefix}.{key}" if prefix else key
            if re.fullmatch(r"\d+", key):
                name = f"{prefix}.N" if prefix else "N"
            paths.add(name)
            paths |= key_paths(item, name)
    elif isinstance(value, list):
        for item in value:
            paths |= key_paths(item, prefix + "[]")
    return paths


def shape(folder):
    files, keys = set(), {}
    for root, directories, names in os.walk(folder):
        directories.sort()
        for name in names:
            full = os.path.join(root, name)
            relative = normalise(os.path.relpath(full, folder))
            files.add(relative)
            if name.endswith(".json") and os.path.isfile(full):
                try:
                    with open(full) as handle:
                        keys.setdefault(relative, set()).update(key_paths(json.load(handle)))
                except (OSError, ValueError):
                    keys.setdefault(relative, set()).add("(unreadable)")
    return files, keys


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().split("\n\n")[1])
        return 2
    before, after = sys.argv[1], sys.argv[2]
    for folder in (before, after):
        if not os.path.isfile(os.path.join(folder, "journal.sqlite")):
            print(f"{folder} is not a run folder (no journal.sqlite)")
            return 2
    files_before, keys_before = shape(before)
    files_after, keys_after = shape(after)
    differences = 0
    for name in sorted(files_before - files_after):
        print(f"only before: {name}")
        differences += 1
    for name in sorted(files_after - files_before):
        print(f"only after:  {name}")
        differences += 1
    for name in sorted(set(keys_before) & set(keys_after)):
        for key in sorted(keys_before[name] - keys_after[name]):
            print(f"{name}: key only before: {key}")
            differences += 1
        for key in sorted(keys_after[name] - keys_before[name]):
            print(f"{name}: key only after:  {key}")
            differences += 1
    print(f"{len(files_before)} file patterns before, {len(files_after)} after; "
          f"{sum(map(len, keys_before.values()))} JSON key paths before, {sum(map(len, keys_after.values()))} after; "
          f"{differences} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
