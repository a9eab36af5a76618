"""Starling's grounded repairs: fixes a script's misplaced imports and attributes from the index
of the installed libraries (api_index.py), with no LLM call, and finds the real signature of a
callable that was given an unknown keyword argument. Edits keep the script's formatting.

Usage: python code_repair.py SCRIPT.py API_INDEX.json [ERROR.txt [PROFILE.json]]
Prints one JSON object: {"fixed_source": str | null, "fixes": [...], "kinds": [...], "hints": [...]}.
Without ERROR.txt only imports are checked (what the pre-flight check does); with it, the error
decides what is repaired (ImportError, ModuleNotFoundError, AttributeError on a module, and with
the data profile arithmetic on string columns inside a function) and what is explained
(TypeError: unexpected keyword argument).
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import json
import re
import sys
from typing import Any

Index = dict[str, dict[str, str]]


def load_index(path: str) -> Index:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["modules"]


def where_defined(name: str, index: Index, near: str = "") -> list[str]:
    """Public modules that export `name`, best first: same top-level package as `near`,
    then the shortest path (the documented location is usually the shortest)."""
    top = near.split(".")[0]
    found = [m for m, names in index.items() if name in names and names[name] != "module"
             and not any(p.startswith("_") for p in m.split("."))]
    return sorted(found, key=lambda m: (m.split(".")[0] != top, m.count("."), len(m), m))


def module_known(module: str, index: Index) -> bool:
    return module in index


def package_indexed(module: str, index: Index) -> bool:
    return module.split(".")[0] in index


def line_offsets(source: str) -> list[int]:
    starts = [0]
    for line in source.split("\n")[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def fix_imports(source: str, index: Index) -> tuple[str, list[str]]:
    """Rewrites `from M import N` statements whose N does not live in M (or whose M does not
    exist inside an indexed package) to import N from where the index finds it."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source, []
    starts = line_offsets(source)
    edits: list[tuple[int, int, str, list[str]]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level != 0 or not node.module:
            continue
        module = node.module
        if not package_indexed(module, index):
            continue
        known = module_known(module, index)
        kept: list[ast.alias] = []
        moved: list[tuple[ast.alias, str]] = []
        for alias in node.names:
            name = alias.name
            if name == "*":
                kept.append(alias)
                continue
            present = known and name in index[module]
            submodule = f"{module}.{name}" in index
            if present or submodule:
                kept.append(alias)
                continue
            homes = where_defined(name, index, near=module)
            if homes:
                moved.append((alias, homes[0]))
            else:
                kept.append(alias)
        if not moved:
            continue
        indent = " " * node.col_offset
        lines = []
        if kept:
            lines.append(f"from {module} import " + ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in kept))
        for alias, home in moved:
            lines.append(f"from {home} import {alias.name}" + (f" as {alias.asname}" if alias.asname else ""))
        start = starts[node.lineno - 1] + node.col_offset
        end = starts[node.end_lineno - 1] + node.end_col_offset
        fixes = [f"line {node.lineno}: {a.name} is not in {module}; imported from {home}" for a, home in moved]
        edits.append((start, end, ("\n" + indent).join(lines), fixes))
    return apply(source, edits)


def after_imports(tree: ast.Module, source: str) -> int:
    """Where a new import goes: after the script's last top-level import (or its docstring)."""
    last = 0
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)) or (
                isinstance(statement, ast.Expr) and isinstance(getattr(statement, "value", None), ast.Constant) and last == 0):
            last = statement.end_lineno
    starts = line_offsets(source)
    return starts[last] if last < len(starts) else len(source)


def apply(source: str, edits: list[tuple[int, int, str, list[str]]]) -> tuple[str, list[str]]:
    if not edits:
        return source, []
    fixes: list[str] = []
    for start, end, text, notes in sorted(edits, key=lambda e: e[0], reverse=True):
        source = source[:start] + text + source[end:]
    for _, _, _, notes in sorted(edits, key=lambda e: e[0]):
        fixes.extend(notes)
    try:
        ast.parse(source)
    except SyntaxError:
        return "", []
    return source, fixes


# The conventional short names of libraries, for `np` used without `import numpy as np`.
CONVENTIONAL_ALIASES = {"np": "numpy", "pd": "pandas", "lgb": "lightgbm", "xgb": "xgboost", "cb": "catboost", "sp": "scipy"}


def bound_names(tree: ast.AST) -> set[str]:
    """Every name the script binds anywhere (assignments, defs, parameters, imports, loop and
    comprehension targets, `except ... as`, `with ... as`, globals)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.MatchAs) and node.name:
            names.add(node.name)
    return names


def fix_undefined_names(source: str, index: Index, only: set[str] | None = None) -> tuple[str, list[str]]:
    """Imports names the script uses but never defines, from where the index finds them
    (`RandomForestClassifier` → `from sklearn.ensemble import RandomForestClassifier`), and the
    conventional library aliases (`np`, `pd`, ...). Names found nowhere are left alone."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source, []
    bound = bound_names(tree) | set(dir(builtins))
    used = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - bound)
    lines: list[str] = []
    fixes: list[str] = []
    for name in used:
        if only is not None and name not in only:
            continue
        if name in CONVENTIONAL_ALIASES and CONVENTIONAL_ALIASES[name] in index:
            lines.append(f"import {CONVENTIONAL_ALIASES[name]} as {name}")
            fixes.append(f"{name} was used but never imported; added import {CONVENTIONAL_ALIASES[name]} as {name}")
            continue
        homes = where_defined(name, index)
        if homes:
            lines.append(f"from {homes[0]} import {name}")
            fixes.append(f"{name} was used but never imported; added from {homes[0]} import {name}")
    if not lines:
        return source, []
    position = after_imports(tree, source)
    return apply(source, [(position, position, "\n".join(lines) + "\n", fixes)])


def module_aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> module, for `import a.b as x`, `import a` and `from a import b` (b a module)."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    aliases[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def fix_attribute(source: str, module: str, name: str, index: Index) -> tuple[str, list[str]]:
    """`module.name` where the module has no such attribute: import the module the index
    finds it in and use that instead, at every place the script wrote it."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source, []
    homes = [h for h in where_defined(name, index, near=module) if h != module]
    if not homes:
        return source, []
    home = homes[0]
    local = "_" + home.replace(".", "_")
    aliases = {k: v for k, v in module_aliases(tree).items() if v == module}
    starts = line_offsets(source)
    edits: list[tuple[int, int, str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == name and isinstance(node.value, ast.Name) and node.value.id in aliases:
            start = starts[node.lineno - 1] + node.col_offset
            end = starts[node.end_lineno - 1] + node.end_col_offset
            edits.append((start, end, f"{local}.{name}", [f"line {node.lineno}: {node.value.id}.{name} → {home}.{name}"]))
    if not edits:
        return source, []
    position = after_imports(tree, source)
    edits.append((position, position, f"import {home} as {local}\n", []))
    return apply(source, edits)


def signature_of(qualified: str, index: Index, source: str) -> str | None:
    """The live signature of `Class.method` or `function`, found through the index."""
    parts = qualified.split(".")
    head, rest = parts[0], parts[1:]
    for home in where_defined(head, index):
        try:
            obj: Any = getattr(importlib.import_module(home), head)
            for part in rest:
                obj = getattr(obj, part)
            return f"{home}.{qualified}{inspect.signature(obj)}"
        except Exception:  # noqa: BLE001
            continue
    return None


def from_error(source: str, error: str, index: Index, profile: str = "") -> tuple[str, list[str], list[str], list[str]]:
    """Repairs (source, fixes, kinds) and hints for one error message."""
    hints: list[str] = []
    fixed, fixes = fix_imports(source, index)
    if fixes:
        return fixed, fixes, ["import"], hints
    if profile and STRING_ARITHMETIC.search(error):
        fixed, fixes = drop_string_arithmetic(source, error, string_columns(profile))
        if fixes:
            return fixed, fixes, ["string-arithmetic"], hints
    missing = set(re.findall(r"NameError: name '(\w+)' is not defined", error))
    if missing:
        fixed, fixes = fix_undefined_names(source, index, only=missing)
        if fixes:
            return fixed, fixes, ["name"], hints
    for match in re.finditer(r"AttributeError: module '([\w.]+)' has no attribute '(\w+)'", error):
        fixed, fixes = fix_attribute(source, match.group(1), match.group(2), index)
        if fixes:
            return fixed, fixes, ["attribute"], hints
        homes = where_defined(match.group(2), index)
        hints.append(f"{match.group(1)} has no attribute {match.group(2)}"
                     + (f"; it is defined in {', '.join(homes[:3])}" if homes else "; no installed library defines it"))
    for match in re.finditer(r"No module named '([\w.]+)'", error):
        top = match.group(1).split(".")[0]
        if top not in index:
            hints.append(f"the library '{top}' is not installed and cannot be installed; use one of: "
                         + ", ".join(sorted(m for m in index if "." not in m and m in KNOWN_ML)))
    for match in re.finditer(r"([\w.]+)\(\) got an unexpected keyword argument '(\w+)'", error):
        qualified = match.group(1).replace(".__init__", "")
        signature = signature_of(qualified, index, source) or signature_of(qualified.split(".")[-1], index, source)
        if signature:
            hints.append(f"{qualified} takes no argument '{match.group(2)}'. Its real signature: {signature}")
    return source, [], [], hints


STRING_ARITHMETIC = re.compile(r"unsupported operand type\(s\) for [^:]+: '(str|float|int)' and '(str|float|int)'"
                               r"|can only concatenate str \(not \"(int|float)\"\) to str"
                               r"|unsupported operand type\(s\) for .*'str'")


def string_columns(profile_path: str) -> set[str]:
    """Columns of train.csv and test.csv that the profile reads as strings."""
    try:
        with open(profile_path, encoding="utf-8") as handle:
            files = json.load(handle)["files"]
    except (OSError, ValueError, KeyError):
        return set()
    return {c["name"] for f in files if f.get("file") in ("train.csv", "test.csv")
            for c in f.get("columns") or [] if c.get("dtype") == "string"}


def arithmetic_operands(expr: ast.AST) -> set[str]:
    """Column names read with `X["name"]` inside `+ - * / // % **` or a unary minus in `expr`."""
    names: set[str] = set()
    for node in ast.walk(expr):
        if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.AugAssign)):
            for part in ast.walk(node):
                if isinstance(part, ast.Subscript) and isinstance(part.slice, ast.Constant) \
                        and isinstance(part.slice.value, str):
                    names.add(part.slice.value)
    return names


def drop_string_arithmetic(source: str, error: str, strings: set[str]) -> tuple[str, list[str]]:
    """Removes the new-column assignments that do arithmetic on a string column from the function
    where the traceback fails (small models turn every column into a ratio, text included); the
    function keeps its other lines, so the features that make sense survive."""
    frames = re.findall(r'File "[^"]*solution\.py", line (\d+), in (\w+)', error)
    if not strings or not frames or frames[-1][1] == "<module>":
        return source, []
    function = frames[-1][1]
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source, []
    target = next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == function), None)
    if target is None:
        return source, []
    doomed: list[tuple[int, int, str]] = []
    for node in ast.walk(target):
        if isinstance(node, (ast.Assign, ast.AugAssign)) and getattr(node, "end_lineno", None):
            value = node.value if isinstance(node, ast.Assign) else node
            used = arithmetic_operands(value) & strings
            if used:
                doomed.append((node.lineno, node.end_lineno, sorted(used)[0]))
    if not doomed:
        return source, []
    lines = source.split("\n")
    drop = {line for first, last, _ in doomed for line in range(first, last + 1)}
    kept = [line for number, line in enumerate(lines, 1) if number not in drop]
    fixed = "\n".join(kept)
    try:
        ast.parse(fixed)  # a block left empty would not parse: leave that to the LLM
    except SyntaxError:
        return source, []
    columns = sorted({column for _, _, column in doomed})
    return fixed, [f"removed {len(doomed)} line(s) of `{function}` that do arithmetic on string columns "
                   f"({', '.join(columns[:6])}{', …' if len(columns) > 6 else ''})"]


KNOWN_ML = {"numpy", "pandas", "scipy", "sklearn", "lightgbm", "xgboost", "catboost", "statsmodels", "polars", "torch"}


def main() -> None:
    script, index_path = sys.argv[1], sys.argv[2]
    error = open(sys.argv[3], encoding="utf-8", errors="replace").read() if len(sys.argv) > 3 else ""
    profile = sys.argv[4] if len(sys.argv) > 4 else ""
    source = open(script, encoding="utf-8", errors="replace").read()
    index = load_index(index_path)
    if error:
        fixed, fixes, kinds, hints = from_error(source, error, index, profile)
    else:
        fixed, fixes = fix_imports(source, index)
        kinds, hints = (["import"] if fixes else []), []
        named, name_fixes = fix_undefined_names(fixed, index)
        if name_fixes:
            fixed, fixes, kinds = named, fixes + name_fixes, kinds + ["name"]
    print(json.dumps({"fixed_source": fixed if fixes and fixed else None, "fixes": fixes if fixed else [],
                      "kinds": kinds if fixed else [], "hints": hints}))


if __name__ == "__main__":
    main()
