"""Applies an LLM's edit reply to a working script, so small models change a script that runs
instead of writing one from nothing.

Usage: python apply_edit.py BASE.py REPLY.txt FORMAT
       python apply_edit.py BASE.py --outline
       python apply_edit.py BASE.py --skeleton FOCUS
FORMAT is one of:
  function  the reply holds complete new versions of top-level functions of BASE (same names);
            each replaces its namesake, spliced by Python's ast. New helper functions go just
            before the first replaced one; new imports go after BASE's imports.
  diff      the reply holds SEARCH/REPLACE blocks (<<<<<<< SEARCH / ======= / >>>>>>> REPLACE);
            each SEARCH text must occur in BASE (exactly, or up to trailing spaces).
  whole     the reply's code block is the new script.
`--outline` prints {"functions": [{"name", "first", "last", "doc"}]}: BASE's top-level functions
and classes with their line spans and the first line of their docstrings.
`--skeleton FOCUS` prints {"skeleton": str}: BASE with every top-level function but FOCUS cut to
its signature and docstring (body `...`), so a prompt about one function stays short.
Otherwise prints one JSON object: {"source": str | null, "changed": [...], "added": [...], "imports": [...],
"identical": bool, "error": str | null}. `error` says why the edit does not apply, in words
meant for the model's next try.
"""

from __future__ import annotations

import ast
import json
import re
import sys

FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.S)


def code_blocks(reply: str) -> list[str]:
    """Fenced code blocks (python or unlabelled), or the whole reply when it has none."""
    blocks = [body for lang, body in FENCE.findall(reply) if lang.lower() in ("", "python", "py", "python3")]
    return blocks or [reply]


def normalise(source: str) -> str:
    """Equal up to whitespace: trailing spaces and blank lines do not count."""
    return "\n".join(line.rstrip() for line in source.strip().splitlines() if line.strip())


def top_level_functions(tree: ast.Module) -> dict[str, ast.stmt]:
    return {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def span(node: ast.stmt) -> tuple[int, int]:
    """First and last line (1-based, inclusive), decorators included."""
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return first, node.end_lineno or node.lineno


def parse_reply_functions(reply: str) -> tuple[list[tuple[str, str, ast.stmt]], list[str], str | None]:
    """(name, source, node) of each top-level def in the reply, its import lines, and a parse error."""
    error = None
    for block in code_blocks(reply):
        text = block.strip("\n")
        try:
            tree = ast.parse(text)
        except SyntaxError as problem:
            error = f"your reply does not parse: SyntaxError: {problem.msg} (line {problem.lineno} of your code)"
            continue
        lines = text.split("\n")
        defs, imports = [], []
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                first, last = span(node)
                defs.append((node.name, "\n".join(lines[first - 1:last]), node))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append("\n".join(lines[node.lineno - 1:node.end_lineno]))
        if defs:
            return defs, imports, None
    return [], [], error


def apply_function(base: str, reply: str) -> dict:
    tree = ast.parse(base)
    existing = top_level_functions(tree)
    defs, imports, error = parse_reply_functions(reply)
    if not defs:
        names = ", ".join(existing) or "(none)"
        return {"error": error or f"your reply holds no complete function definition (def NAME(...): ...). "
                f"Answer with the whole new version of one of the script's functions: {names}"}
    replaced = [(name, text) for name, text, _ in defs if name in existing]
    added = [(name, text) for name, text, _ in defs if name not in existing]
    if not replaced:
        return {"error": f"your reply defines {', '.join(n for n, _ in added)}, but the script has no function of that name; "
                f"rewrite one of the script's functions under its own name: {', '.join(existing)}"}
    lines = base.split("\n")
    # Replace from the bottom up so earlier line numbers stay valid.
    order = sorted(replaced, key=lambda item: span(existing[item[0]])[0], reverse=True)
    first_replaced = min(span(existing[name])[0] for name, _ in replaced)
    for name, text in order:
        first, last = span(existing[name])
        indent = existing[name].col_offset
        new = [(" " * indent + line) if line else line for line in text.split("\n")]
        lines[first - 1:last] = new
    if added:
        helper = []
        for _, text in added:
            helper += text.split("\n") + ["", ""]
        lines[first_replaced - 1:first_replaced - 1] = helper
    source = "\n".join(lines)
    new_imports = [line for line in imports if normalise(line) not in {normalise(l) for l in base.split("\n")}]
    if new_imports:
        source = insert_imports(source, new_imports)
    return finish(base, source, [n for n, _ in replaced], [n for n, _ in added], new_imports)


def insert_imports(source: str, imports: list[str]) -> str:
    tree = ast.parse(source)
    last = 0
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            last = node.end_lineno
        elif last:
            break
    lines = source.split("\n")
    lines[last:last] = imports
    return "\n".join(lines)


DIFF = re.compile(r"<{5,}\s*SEARCH\s*\n(.*?)\n?={5,}\s*\n(.*?)\n?>{5,}\s*REPLACE", re.S)


def apply_diff(base: str, reply: str) -> dict:
    blocks = DIFF.findall(reply)
    if not blocks:
        return {"error": "your reply holds no SEARCH/REPLACE block; write each change as\n<<<<<<< SEARCH\n"
                "(lines copied exactly from the script)\n=======\n(the new lines)\n>>>>>>> REPLACE"}
    source = base
    for number, (search, replace) in enumerate(blocks, 1):
        if search and search in source:
            source = source.replace(search, replace, 1)
            continue
        stripped = [line.rstrip() for line in search.split("\n")]
        lines = source.split("\n")
        found = -1
        for start in range(len(lines) - len(stripped) + 1):
            if [line.rstrip() for line in lines[start:start + len(stripped)]] == stripped:
                found = start
                break
        if not search.strip() or found < 0:
            return {"error": f"SEARCH block {number} is not in the script; copy the lines exactly as they are"}
        lines[found:found + len(stripped)] = replace.split("\n")
        source = "\n".join(lines)
    return finish(base, source, [], [], [])


def apply_whole(base: str, reply: str) -> dict:
    blocks = code_blocks(reply)
    return finish(base, max(blocks, key=len).strip("\n") + "\n", [], [], [])


def finish(base: str, source: str, changed: list[str], added: list[str], imports: list[str]) -> dict:
    try:
        ast.parse(source)
    except SyntaxError as problem:
        line = source.split("\n")[problem.lineno - 1].strip() if problem.lineno and problem.lineno <= source.count("\n") + 1 else ""
        return {"error": f"after applying your edit the script does not parse: SyntaxError: {problem.msg} at `{line}`"}
    return {"source": source, "changed": changed, "added": added, "imports": imports,
            "identical": normalise(source) == normalise(base), "error": None}


def outline(base: str) -> dict:
    try:
        tree = ast.parse(base)
    except SyntaxError:
        return {"functions": []}
    functions = []
    for name, node in top_level_functions(tree).items():
        first, last = span(node)
        doc = (ast.get_docstring(node) or "").strip().split("\n")[0][:160]
        functions.append({"name": name, "first": first, "last": last, "doc": doc})
    return {"functions": functions}


def skeleton(base: str, focus: str) -> dict:
    try:
        tree = ast.parse(base)
    except SyntaxError:
        return {"skeleton": base}
    lines = base.split("\n")
    cuts = []
    for name, node in top_level_functions(tree).items():
        if name == focus or isinstance(node, ast.ClassDef) or not node.body:
            continue
        body = node.body
        keep_until = body[0].end_lineno if ast.get_docstring(node) is not None else body[0].lineno - 1
        if keep_until >= node.end_lineno:
            continue
        indent = " " * (body[0].col_offset)
        cuts.append((keep_until, node.end_lineno, indent + "...  # body not shown"))
    for start, end, text in sorted(cuts, reverse=True):
        lines[start:end] = [text]
    return {"skeleton": "\n".join(lines)}


def main() -> None:
    base = open(sys.argv[1], encoding="utf-8").read()
    if sys.argv[2] == "--outline":
        print(json.dumps(outline(base)))
        return
    if sys.argv[2] == "--skeleton":
        print(json.dumps(skeleton(base, sys.argv[3])))
        return
    reply = open(sys.argv[2], encoding="utf-8", errors="replace").read()
    mode = sys.argv[3]
    try:
        ast.parse(base)
    except SyntaxError as problem:
        result = {"error": f"the script to edit does not parse ({problem.msg}); it must be rewritten whole"}
    else:
        result = {"function": apply_function, "diff": apply_diff, "whole": apply_whole}[mode](base, reply)
    result.setdefault("source", None)
    for key in ("changed", "added", "imports"):
        result.setdefault(key, [])
    result.setdefault("identical", False)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
