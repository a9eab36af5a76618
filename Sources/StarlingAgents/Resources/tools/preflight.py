"""Starling's pre-flight check: finds the mistakes small models make before an execution is
spent on them, and repairs the mechanical ones (arguments removed from the installed libraries)
in place, keeping the script's formatting. Reads a script and the data profile.

Usage: python preflight.py SCRIPT.py PROFILE.json
Prints one JSON object: {"findings": [...], "fixes": [...], "fixed_source": str | null}.
Each finding: {"severity": "error"|"warning", "line": N, "message": "..."}; findings are about
the fixed script. Errors block execution and go to the debug step with their message.
"""

from __future__ import annotations

import ast
import difflib
import json
import sys
from typing import Any

# Keyword arguments removed from the installed libraries, with what to write instead.
REMOVED_KEYWORDS = {
    ("OneHotEncoder", "sparse"): "OneHotEncoder(sparse=...) was removed; use sparse_output=False",
    ("mean_squared_error", "squared"): "mean_squared_error(squared=False) was removed; use root_mean_squared_error(y_true, y_pred)",
    ("XGBClassifier", "use_label_encoder"): "XGBClassifier(use_label_encoder=...) was removed; drop it",
    ("LogisticRegression", "multi_class"): "LogisticRegression(multi_class=...) was removed; drop it",
}
REMOVED_FIT_KEYWORDS = {
    "early_stopping_rounds": "fit(early_stopping_rounds=...) was removed from LightGBM; use callbacks=[lightgbm.early_stopping(50)] or drop it",
    "verbose": "fit(verbose=...) was removed from LightGBM; drop it",
}


def lightgbm_models(tree: ast.AST) -> set[str]:
    """Names bound to LightGBM estimators (`model = lgb.LGBMClassifier(...)`)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and call_name(node.value).startswith("LGBM"):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def is_lightgbm_fit(node: ast.Call, models: set[str]) -> bool:
    if call_name(node) != "fit" or not isinstance(node.func, ast.Attribute):
        return False
    receiver = node.func.value
    if isinstance(receiver, ast.Name) and receiver.id in models:
        return True
    if isinstance(receiver, ast.Call) and call_name(receiver).startswith("LGBM"):
        return True
    return "lgb" in ast.unparse(node.func).lower()


def call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def string_constants(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


# Keyword arguments that can simply be renamed or dropped without changing what the script means.
RENAMED_KEYWORDS = {("OneHotEncoder", "sparse"): "sparse_output"}
DROPPED_KEYWORDS = {("XGBClassifier", "use_label_encoder"), ("XGBRegressor", "use_label_encoder"),
                    ("LogisticRegression", "multi_class")}
DROPPED_LGB_FIT_KEYWORDS = {"verbose", "early_stopping_rounds"}


def autofix(source: str) -> tuple[str, list[str]]:
    """Drops or renames removed keyword arguments by editing their exact source spans."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source, []
    lines = source.encode("utf-8").split(b"\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    data = source.encode("utf-8")

    def offset(line: int, col: int) -> int:
        return starts[line - 1] + col

    edits: list[tuple[int, int, bytes, str]] = []
    models = lightgbm_models(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = call_name(node)
        is_lgb_fit = is_lightgbm_fit(node, models)
        for keyword in node.keywords:
            if keyword.arg is None or not hasattr(keyword, "end_col_offset"):
                continue
            start, end = offset(keyword.lineno, keyword.col_offset), offset(keyword.end_lineno, keyword.end_col_offset)
            if (name, keyword.arg) in RENAMED_KEYWORDS:
                new = RENAMED_KEYWORDS[(name, keyword.arg)]
                edits.append((start, start + len(keyword.arg), new.encode(), f"line {keyword.lineno}: {name}({keyword.arg}=...) → {new}="))
            elif (name, keyword.arg) in DROPPED_KEYWORDS or (is_lgb_fit and keyword.arg in DROPPED_LGB_FIT_KEYWORDS):
                # Remove the argument with the comma before it (or after it, when it is first).
                before = data.rfind(b",", 0, start)
                between = data[before + 1:start] if before >= 0 else b"x"
                if before >= 0 and between.strip() == b"":
                    start = before
                else:
                    after = data.find(b",", end)
                    if after >= 0 and data[end:after].strip() == b"":
                        end = after + 1
                edits.append((start, end, b"", f"line {keyword.lineno}: dropped {keyword.arg}=... from {name}() (removed from the installed library)"))
    if not edits:
        return source, []
    edits.sort(key=lambda e: e[0], reverse=True)
    for start, end, new, _ in edits:
        data = data[:start] + new + data[end:]
    fixed = data.decode("utf-8", errors="replace")
    try:
        ast.parse(fixed)
    except SyntaxError:
        return source, []
    return fixed, [e[3] for e in reversed(edits)]


def main() -> None:
    script_path, profile_path = sys.argv[1], sys.argv[2]
    original = open(script_path, encoding="utf-8", errors="replace").read()
    source, fixes = autofix(original)
    profile: dict[str, Any] = json.load(open(profile_path))
    findings: list[dict[str, Any]] = []

    def add(severity: str, node: ast.AST | None, message: str) -> None:
        findings.append({"severity": severity, "line": getattr(node, "lineno", 0), "message": message})

    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        add("error", None, f"SyntaxError: {error.msg} (line {error.lineno})")
        print(json.dumps({"findings": findings, "fixes": [], "fixed_source": None}))
        return

    lgb_models = lightgbm_models(tree)
    columns_by_file = {f["file"]: set(f.get("column_names", [])) for f in profile["files"]}
    all_columns = set().union(*columns_by_file.values()) if columns_by_file else set()
    targets = set(profile.get("target_columns", []))
    test_columns = columns_by_file.get("test.csv", set())

    # Variables that hold test.csv, and names the script creates as columns.
    test_vars: set[str] = set()
    created: set[str] = set()
    string_literals: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            string_literals.add(node.value)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and call_name(node.value) == "read_csv" \
                and "test" in ast.unparse(node.value):
            test_vars.update(t.id for t in node.targets if isinstance(t, ast.Name))
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            created.update(string_constants(node.slice))
        if isinstance(node, ast.Call) and call_name(node) == "DataFrame":
            # pd.DataFrame({"name": values}) and pd.DataFrame(array, columns=["name", ...]) create columns.
            if node.args and isinstance(node.args[0], ast.Dict):
                created.update(k.value for k in node.args[0].keys if isinstance(k, ast.Constant) and isinstance(k.value, str))
            for keyword in node.keywords:
                if keyword.arg == "columns":
                    created.update(string_constants(keyword.value))
        if isinstance(node, ast.Call) and call_name(node) in ("rename", "assign"):
            for keyword in node.keywords:
                if keyword.arg:
                    created.add(keyword.arg)
                if isinstance(keyword.value, ast.Dict):
                    created.update(v.value for v in keyword.value.values if isinstance(v, ast.Constant) and isinstance(v.value, str))

    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            keys = string_constants(node.slice)
            base = node.value.id if isinstance(node.value, ast.Name) else None
            for key in keys:
                if base in test_vars and key in targets and key not in test_columns:
                    add("error", node, f"test.csv has no column '{key}': it is the target, which you must predict; "
                        f"read the target only from train.csv")
                elif all_columns and key not in all_columns and key not in created and base not in ("os", "environ") \
                        and not key.startswith(("input", "submission", "working")) and "/" not in key and "." not in key \
                        and base is not None and base.lower() not in ("params", "config", "args", "kwargs", "results", "scores"):
                    close = difflib.get_close_matches(key, sorted(all_columns), n=3, cutoff=0.5)
                    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                    add("error", node, f"column '{key}' does not exist in the data files.{hint}")
        if isinstance(node, ast.Call):
            name = call_name(node)
            for keyword in node.keywords:
                message = REMOVED_KEYWORDS.get((name, keyword.arg))
                if message:
                    add("error", node, message)
                if keyword.arg in REMOVED_FIT_KEYWORDS and is_lightgbm_fit(node, lgb_models):
                    add("error", node, REMOVED_FIT_KEYWORDS[keyword.arg])
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.startswith(("/kaggle", "../input", "/input", "/data")):
                add("error", node, f"path '{node.value}' does not exist: the data is in ./input/ (e.g. input/train.csv)")

    if not any("submission" in s and s.endswith(".csv") for s in string_literals):
        add("error", None, "the script never writes submission/submission.csv: "
            "end with os.makedirs('submission', exist_ok=True); predictions.to_csv('submission/submission.csv', index=False)")
    if "validation_score" not in source:
        add("warning", None, "the script does not print 'validation_score: <float>'")
    print(json.dumps({"findings": findings, "fixes": fixes, "fixed_source": source if fixes else None}))


if __name__ == "__main__":
    main()
