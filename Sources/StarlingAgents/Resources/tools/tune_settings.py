"""Finds a script's model settings and writes variants of it with other settings, for Starling's
tuning action (no LLM): the settings are the keyword arguments of the first `NAME = dict(...)`
assignment in the script's `fit_predict` (the model cards' `params = dict(...)`).

Usage: python tune_settings.py SCRIPT.py --keys
         prints {"name": "params", "keys": [...], "values": {key: literal or null},
                 "space": {key: [literal, ...]}, "error": null}
         where "space" is the script's own search space, a top-level
         `SEARCH_SPACE = dict(key=[values], ...)` (or a {"key": [values]} literal), when it has one
       python tune_settings.py SCRIPT.py --apply SETTINGS.json OUT.py
         writes OUT.py: SCRIPT with `NAME.update({...})` right after that assignment;
         prints {"error": null}
`error` says why the script cannot be tuned (no `fit_predict`, no `dict(...)` of settings).
"""

from __future__ import annotations

import ast
import json
import sys


def settings_assignment(tree: ast.Module):
    """The first `NAME = dict(k=v, ...)` in `fit_predict`, or an error text."""
    function = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "fit_predict"), None)
    if function is None:
        return None, "the script has no top-level fit_predict function"
    for node in ast.walk(function):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name) and node.value.func.id == "dict"
                and node.value.keywords and all(k.arg for k in node.value.keywords)):
            return node, None
    return None, "fit_predict sets no model settings as NAME = dict(key=value, ...)"


def literal(node: ast.AST):
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, (int, float, str, bool)) else None


def declared_space(tree: ast.Module) -> dict:
    """The script's top-level SEARCH_SPACE: lists of plain values by setting; others are left out."""
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "SEARCH_SPACE"):
            continue
        value = node.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict":
            pairs = [(k.arg, k.value) for k in value.keywords if k.arg]
        elif isinstance(value, ast.Dict):
            pairs = [(literal(k), v) for k, v in zip(value.keys, value.values) if k is not None]
        else:
            return {}
        space = {}
        for key, item in pairs:
            if not isinstance(key, str) or not isinstance(item, (ast.List, ast.Tuple)):
                continue
            values = [literal(element) for element in item.elts]
            values = [v for v in values if v is not None and not isinstance(v, bool)]
            if values:
                space[key] = values
        return space
    return {}


def main() -> None:
    path, mode = sys.argv[1], sys.argv[2]
    source = open(path, encoding="utf-8").read()
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        print(json.dumps({"error": f"the script does not parse: {error}"}))
        return
    node, error = settings_assignment(tree)
    if node is None:
        print(json.dumps({"error": error, "keys": [], "values": {}, "name": None}))
        return
    name = node.targets[0].id
    if mode == "--keys":
        keywords = node.value.keywords
        print(json.dumps({"error": None, "name": name, "keys": [k.arg for k in keywords],
                          "values": {k.arg: literal(k.value) for k in keywords}, "space": declared_space(tree)}))
        return
    settings = json.load(open(sys.argv[3], encoding="utf-8"))
    lines = source.split("\n")
    indent = " " * node.col_offset
    update = f"{indent}{name}.update({settings!r})  # settings chosen by Starling's tuning (cross-validated)"
    lines.insert(node.end_lineno, update)
    variant = "\n".join(lines)
    ast.parse(variant)
    open(sys.argv[4], "w", encoding="utf-8").write(variant)
    print(json.dumps({"error": None}))


if __name__ == "__main__":
    main()
