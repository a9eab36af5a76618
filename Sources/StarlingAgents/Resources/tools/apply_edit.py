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
`--transplant OTHER.py FUNC BASE_LABEL OTHER_LABEL` prints {"source", "base_function",
"other_function", "error"}: BASE with OTHER's model function FUNC (and what it needs) added as
FUNC_OTHER_LABEL, BASE's own FUNC renamed FUNC_BASE_LABEL, and a new FUNC that calls only the
latter: a script that runs as BASE does, where a merge is a short rewrite of FUNC.
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
    """Fenced code blocks (python or unlabelled), or the whole reply when it has none; each
    cleaned of what a small model's reply that ran away leaves behind (see `salvage`)."""
    blocks = [body for lang, body in FENCE.findall(reply) if lang.lower() in ("", "python", "py", "python3")]
    truncated = reply.count("```") % 2 == 1
    return [salvage(block, truncated and i == len(blocks) - 1) for i, block in enumerate(blocks)] or [reply]


def salvage(block: str, truncated: bool) -> str:
    """Small models fall into loops (the same line dozens of times until the token limit cuts
    the reply). A line repeated three or more times in a row is kept once, and the unfinished
    last line of a cut-off block is dropped."""
    lines = block.split("\n")
    if truncated and lines:
        lines = lines[:-1]
    kept: list[str] = []
    run = 0
    for line in lines:
        if kept and line == kept[-1] and line.strip():
            run += 1
            continue
        run = 0
        kept.append(line)
    return "\n".join(kept)


def normalise(source: str) -> str:
    """Equal up to whitespace: trailing spaces and blank lines do not count."""
    return "\n".join(line.rstrip() for line in source.strip().splitlines() if line.strip())


def top_level_functions(tree: ast.Module) -> dict[str, ast.stmt]:
    return {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def span(node: ast.stmt) -> tuple[int, int]:
    """First and last line (1-based, inclusive), decorators included."""
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return first, node.end_lineno or node.lineno


def parse_reply_functions(reply: str) -> tuple[list[tuple[str, str, ast.stmt]], list[str], int, str | None]:
    """(name, source, node) of each top-level def in the reply, its import lines, how many other
    top-level statements it has (lines outside any function, which are not used), and a parse error."""
    error = None
    for block in code_blocks(reply):
        text = block.strip("\n")
        try:
            tree = ast.parse(text)
        except SyntaxError as problem:
            error = f"your reply does not parse: SyntaxError: {problem.msg} (line {problem.lineno} of your code)"
            continue
        lines = text.split("\n")
        defs, imports, loose = [], [], 0
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                first, last = span(node)
                defs.append((node.name, "\n".join(lines[first - 1:last]), node))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append("\n".join(lines[node.lineno - 1:node.end_lineno]))
            elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
                loose += 1
        if defs:
            return defs, imports, loose, None
    return [], [], 0, error


def apply_function(base: str, reply: str) -> dict:
    tree = ast.parse(base)
    existing = top_level_functions(tree)
    defs, imports, loose, error = parse_reply_functions(reply)
    if not defs:
        names = ", ".join(existing) or "(none)"
        return {"error": error or f"your reply holds no complete function definition (def NAME(...): ...). "
                f"Answer with the whole new version of one of the script's functions: {names}"}
    replaced = [(name, text) for name, text, _ in defs if name in existing]
    added = [(name, text) for name, text, _ in defs if name not in existing]
    if not replaced:
        return {"error": f"your reply defines {', '.join(n for n, _ in added)}, but the script has no function of that name; "
                f"rewrite one of the script's functions under its own name: {', '.join(existing)}"}
    for name, text in replaced:
        problem = signature_change(existing[name], text)
        if problem:
            return {"error": problem}
    lines = base.split("\n")
    # Replace from the bottom up so earlier line numbers stay valid.
    order = sorted(replaced, key=lambda item: span(existing[item[0]])[0], reverse=True)
    first_replaced = min(span(existing[name])[0] for name, _ in replaced)
    for name, text in order:
        first, last = span(existing[name])
        indent = existing[name].col_offset
        text = keep_final_return(existing[name], text, base)
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
    result = finish(base, source, [n for n, _ in replaced], [n for n, _ in added], new_imports)
    if result.get("identical") and loose:
        # The change was written outside the function, where it is dropped: say so.
        names = ", ".join(f"`{n}`" for n, _ in replaced)
        return {"error": f"the function {names} you returned is unchanged, and the {loose} statement(s) after it are outside "
                f"any function, so they are not used. Put the change inside the body of {names}."}
    return result


def parameters(node: ast.stmt) -> tuple[list[str], int]:
    """A function's positional and keyword parameter names, and how many of them are required."""
    args = node.args
    positional = args.posonlyargs + args.args
    required = len(positional) - len(args.defaults) + sum(1 for d in args.kw_defaults if d is None)
    return [a.arg for a in positional + args.kwonlyargs], required


def signature_change(old: ast.stmt, new_text: str) -> str | None:
    """Why a replacement breaks the script's calls: a parameter dropped or renamed, or a new
    required one (the rest of the script calls the function as before). New optional
    parameters are fine."""
    if not isinstance(old, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    try:
        new = ast.parse(new_text).body[0]
    except (SyntaxError, IndexError):
        return None
    if not isinstance(new, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    old_names, old_required = parameters(old)
    new_names, new_required = parameters(new)
    if new_names[:len(old_names)] == old_names and new_required <= old_required:
        return None
    return (f"your `{old.name}` has the parameters ({', '.join(new_names)}), but the rest of the script calls it as "
            f"`{old.name}({', '.join(old_names)})`. Keep exactly these parameters (you may add new ones only with "
            f"default values) and make the change inside the body.")


def keep_final_return(old: ast.stmt, new_text: str, base: str) -> str:
    """A reply cut off before its function's last line loses the `return`: when the old
    function ended in `return NAME` and the new one returns nothing, that line is put back."""
    if not isinstance(old, (ast.FunctionDef, ast.AsyncFunctionDef)) or not isinstance(old.body[-1], ast.Return):
        return new_text
    try:
        new = ast.parse(new_text).body[0]
    except (SyntaxError, IndexError):
        return new_text
    if not isinstance(new, (ast.FunctionDef, ast.AsyncFunctionDef)) or any(isinstance(n, ast.Return) for n in ast.walk(new)):
        return new_text
    final = old.body[-1]
    if not isinstance(final.value, ast.Name):
        return new_text
    indent = " " * new.body[0].col_offset
    return new_text.rstrip("\n") + "\n" + indent + ast.unparse(final)


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
        if len(line) > 200:  # a reply of one endless line must not come back whole in the next prompt
            line = line[:200] + " …"
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
        functions.append({"name": name, "first": first, "last": last, "doc": doc, "head": head_end(node)})
    return {"functions": functions}


def head_end(node: ast.stmt) -> int | None:
    """The last line of a function's `def` line and docstring (what an edit keeps as it is), or
    None when the body starts on the `def` line or there is no body."""
    body = getattr(node, "body", None)
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not body:
        return None
    if ast.get_docstring(node, clean=False) is not None:
        end = body[0].end_lineno
        return end if len(body) > 1 and body[1].lineno > end else None
    return body[0].lineno - 1 if body[0].lineno > node.lineno else None


def skeleton(base: str, focus: str, elide_focus: bool = False) -> dict:
    """BASE cut down for a prompt about FOCUS: imports, one-line assignments (constants, data
    reads) and every statement that mentions FOCUS stay; other functions keep their signature
    and docstring; the rest of the main code becomes one comment line per run of cut lines.
    With ELIDE_FOCUS, FOCUS is cut down like the others (the prompt shows it whole after the
    outline), so prompts about different functions of one script share the outline's text; and
    the outline is drawn so that scripts which differ only in their models share its text up to
    the first model part (see `near_use`): the module docstring is left out, and an import that
    only functions use stands just above the first of them. A candidate edit of the second card
    then finds the first card's outline cached up to its model, and an edit that imports
    something new changes the outline only from the function that uses it. (Moving the docstring
    and imports to the end instead, below the main code, went with longer replies and fewer
    calls in three 10-minute wa-churn runs: 12, 15, 13 calls against 17-19 without it.)
    With ELIDE_FOCUS the outline also ends at FOCUS (see `below_focus`): what comes after it is
    one comment line, but for what FOCUS reads and the statements that call it."""
    try:
        tree = ast.parse(base)
    except SyntaxError:
        return {"skeleton": base}
    lines = base.split("\n")
    target = next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == focus), None)
    hidden = below_focus(tree, target) if elide_focus and target is not None else []
    cuts = near_use(tree, lines, hidden) if elide_focus else []
    if hidden:
        names = [f"`{n.name}`" for n in hidden if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        main = len(names) < len(hidden)
        parts = names + (["the main code"] if main else [])
        what = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        cuts.append((span(target)[1], span(target)[1], f"\n\n# ... (below, not shown: {what})"))
    doc = docstring_node(tree) if elide_focus else None  # near_use leaves it out
    for node in tree.body:
        first, last = span(node)
        if node is doc:
            continue
        if node in hidden:
            cuts.append((first - 1, last, ""))
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if (node.name == focus and not elide_focus) or not node.body:
                continue
            indent = " " * node.body[0].col_offset
            doc = (ast.get_docstring(node) or "").strip().split("\n")[0].replace('"' * 3, "'" * 3)
            text = (indent + '"' * 3 + doc + '"' * 3 + "\n" if doc else "") + indent + "...  # body not shown"
            cuts.append((node.body[0].lineno - 1, node.end_lineno, text))
        elif isinstance(node, (ast.Import, ast.ImportFrom, ast.ClassDef)):
            continue
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.Expr)) and first == last:
            continue
        elif any(isinstance(n, ast.Name) and n.id == focus for n in ast.walk(node)):
            continue
        else:
            cuts.append((first - 1, last, None))
    # Neighbouring cut statements of the main code share one comment line.
    merged = []
    for start, end, text in sorted(cuts):
        if text is None and merged and merged[-1][2] is None and all(not l.strip() or l.lstrip().startswith("#") for l in lines[merged[-1][1]:start]):
            merged[-1] = (merged[-1][0], end, None)
        else:
            merged.append((start, end, text))
    for start, end, text in sorted(merged, key=lambda cut: (cut[0], cut[1]), reverse=True):
        lines[start:end] = [text if text is not None else "# ... (main code not shown: it calls the functions above and writes the submission)"] if text != "" else []
    text = "\n".join(lines)
    if elide_focus:
        text = re.sub(r"\n{4,}", "\n\n\n", text).strip("\n") + "\n"
    return {"skeleton": text}


def docstring_node(tree: ast.Module) -> ast.stmt | None:
    first = tree.body[0] if tree.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first
    return None


def below_focus(tree: ast.Module, focus: ast.stmt) -> list[ast.stmt]:
    """The statements after FOCUS that a prompt about it leaves out: the functions and main code
    below it, which call it and write the submission. A function FOCUS calls, a statement that
    binds a name FOCUS reads (a global such as `STRINGS`) and a statement that calls FOCUS stay.
    Imports are left to `near_use`. Every card example ends with the same `predict`,
    `validation_metric` and main code: about a quarter of what a wa-churn edit prompt holds that
    the server has not processed before, and unrelated to the change asked for."""
    own = {n.id for n in ast.walk(focus) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    own |= {a.arg for a in ast.walk(focus) if isinstance(a, ast.arg)}
    reads = {n.id for n in ast.walk(focus) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - own
    name = getattr(focus, "name", None)
    hidden = []
    for node in tree.body:
        if span(node)[0] <= span(focus)[1] or isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name in reads:
                continue
        else:
            bound = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            if bound & reads or any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node)):
                continue
        hidden.append(node)
    return hidden


def near_use(tree: ast.Module, lines: list[str], hidden: list[ast.stmt] | None = None) -> list[tuple[int, int, str]]:
    """Cuts that draw the module's imports where a prompt's outline shares most with the outlines
    of similar scripts: an import that the main code or a constant uses stays where it is, one
    that only functions use moves to just above the first of them the outline shows (not in
    HIDDEN), an unused one (and the module docstring) is left out. As (start, end, text) line
    cuts: "" removes lines, an empty range inserts."""
    cuts: list[tuple[int, int, str]] = []
    doc = docstring_node(tree)
    if doc is not None:
        cuts.append((span(doc)[0] - 1, span(doc)[1], ""))
    functions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    module_level = [n for n in tree.body if n not in functions and not isinstance(n, (ast.Import, ast.ImportFrom))]
    shown = [f for f in functions if f not in (hidden or [])]
    above: dict[int, list[str]] = {}
    for node in tree.body:
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        bound = {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        if "*" in bound:
            continue  # what a star import binds is unknown: it stays where it is
        def uses(statement: ast.stmt) -> bool:
            return any(isinstance(n, ast.Name) and n.id in bound for n in ast.walk(statement))
        if any(uses(statement) for statement in module_level):
            continue
        first, last = span(node)
        cuts.append((first - 1, last, ""))
        user = next((f for f in shown if uses(f)), None)
        if user is not None:
            above.setdefault(span(user)[0] - 1, []).extend(lines[first - 1:last])
    for start, imports in above.items():
        cuts.append((start, start, "\n".join(imports + [""])))
    return cuts


def module_names(tree: ast.Module) -> dict[str, ast.stmt]:
    """Top-level functions, classes and single-name assignments, by name."""
    names: dict[str, ast.stmt] = dict(top_level_functions(tree))
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            names.setdefault(node.targets[0].id, node)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.setdefault(node.target.id, node)
    return names


def bound_by_imports(tree: ast.Module) -> dict[str, ast.stmt]:
    bound: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound[(alias.asname or alias.name).split(".")[0]] = node
    return bound


def frames_statement(tree: ast.Module) -> int | None:
    """Index of the main code's `x_all, x_test, STRINGS = clean_features(...)`, the frames every
    tabular card example hands to its model function."""
    for index, node in enumerate(tree.body):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Tuple):
            if [getattr(e, "id", None) for e in node.targets[0].elts] == ["x_all", "x_test", "STRINGS"]:
                return index
    return None


def strings_loops(tree: ast.Module, start: int) -> list[ast.stmt]:
    """The main code's loops over STRINGS right after the frames are made: how a script turns
    its string columns into what its model takes (pandas categories, integer codes)."""
    loops = []
    for node in tree.body[start + 1:]:
        if isinstance(node, ast.For) and isinstance(node.iter, ast.Name) and node.iter.id == "STRINGS":
            loops.append(node)
        elif isinstance(node, (ast.Expr,)) and isinstance(node.value, ast.Constant):
            continue
        else:
            break
    return loops


class Renamer(ast.NodeTransformer):
    def __init__(self, names: dict[str, str]):
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.Name:
        if node.id in self.names:
            node.id = self.names[node.id]
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        if node.name in self.names:
            node.name = self.names[node.name]
        self.generic_visit(node)
        return node


def free_name(wanted: str, taken: set[str]) -> str:
    name, number = wanted, 2
    while name in taken:
        name, number = f"{wanted}_{number}", number + 1
    taken.add(name)
    return name


def transplant(base: str, other: str, function: str, base_label: str, other_label: str) -> dict:
    """OTHER's FUNC made callable inside BASE. What FUNC uses from OTHER's module comes along:
    functions and constants BASE lacks keep their names, those BASE defines differently are
    renamed with OTHER_LABEL. Each script's main code prepares the frames its own way (strings,
    pandas categories, integer codes): the transplanted function first turns BASE's string
    columns back into strings and then runs OTHER's own loops over STRINGS on them."""
    try:
        base_tree, other_tree = ast.parse(base), ast.parse(other)
    except SyntaxError as problem:
        return {"error": f"a script does not parse ({problem.msg})"}
    base_names, other_names = module_names(base_tree), module_names(other_tree)
    base_frames, other_frames = frames_statement(base_tree), frames_statement(other_tree)
    if function not in base_names or function not in other_names or not isinstance(other_names[function], ast.FunctionDef):
        return {"error": f"both scripts must define `{function}`"}
    if base_frames is None or other_frames is None:
        return {"error": "both scripts must make their frames with `x_all, x_test, STRINGS = clean_features(...)`"}
    imports = bound_by_imports(base_tree)
    taken = set(base_names) | set(imports) | {n.id for n in ast.walk(base_tree) if isinstance(n, ast.Name)}
    # What FUNC needs from OTHER's module, transitively.
    needed: list[str] = []
    queue = [function]
    while queue:
        name = queue.pop()
        for node in ast.walk(other_names[name]):
            used = node.id if isinstance(node, ast.Name) else None
            if used and used in other_names and used != function and used not in needed:
                same = used in base_names and ast.dump(base_names[used]) == ast.dump(other_names[used])
                if not same:
                    needed.append(used)
                    queue.append(used)
    renames = {function: free_name(f"{function}_{other_label}", taken)}
    for name in needed:
        renames[name] = free_name(f"{name}_{other_label}", taken) if name in base_names or name in imports else free_name(name, taken)
    copied = [other_names[n] for n in sorted(needed, key=lambda n: other_names[n].lineno)]
    model = other_names[function]
    loops = strings_loops(other_tree, other_frames)
    if loops or strings_loops(base_tree, base_frames):
        # The frames as OTHER's main code would have made them from BASE's.
        first, third = model.args.args[0].arg, model.args.args[2].arg
        prelude = ast.parse(
            f"x_all, x_test = {first}.copy(), {third}.copy()\n"
            "for col in STRINGS:\n"
            "    x_all[col] = x_all[col].astype(str)\n"
            "    x_test[col] = x_test[col].astype(str)\n").body + loops + ast.parse(f"{first}, {third} = x_all, x_test\n").body
        doc = model.body[:1] if ast.get_docstring(model, clean=False) is not None else []
        model.body = doc + prelude + model.body[len(doc):]
    renamer = Renamer(renames)
    moved = [ast.fix_missing_locations(renamer.visit(node)) for node in copied + [model]]
    text = "\n\n\n".join(ast.unparse(node) for node in moved)
    # Imports the transplanted code uses that BASE does not bind.
    used = {n.id for node in moved for n in ast.walk(node) if isinstance(n, ast.Name)}
    other_imports = bound_by_imports(other_tree)
    new_imports = []
    for name in sorted(used):
        if name in other_imports and name not in imports:
            line = ast.unparse(other_imports[name])
            if line not in new_imports:
                new_imports.append(line)
    base_model = base_names[function]
    base_name = free_name(f"{function}_{base_label}", taken)
    signature = ast.unparse(base_model.args)
    returns = f" -> {ast.unparse(base_model.returns)}" if base_model.returns else ""
    call = ", ".join(a.arg for a in base_model.args.args)
    stub = (f"def {function}({signature}){returns}:\n"
            f'    """Predictions of this script\'s model `{base_name}`; `{renames[function]}` (another working\n'
            f'    solution\'s model) takes the same arguments and returns the same shape."""\n'
            f"    return {base_name}({call})")
    lines = base.split("\n")
    first, last = span(base_model)
    head = lines[:first - 1]
    own = lines[first - 1:last]
    own[base_model.lineno - first] = own[base_model.lineno - first].replace(f"def {function}(", f"def {base_name}(", 1)
    source = "\n".join(head + text.split("\n") + ["", ""] + own + ["", ""] + stub.split("\n") + lines[last:])
    if new_imports:
        source = insert_imports(source, new_imports)
    try:
        ast.parse(source)
    except SyntaxError as problem:
        return {"error": f"the merged script does not parse ({problem.msg})"}
    return {"source": source, "base_function": base_name, "other_function": renames[function], "error": None}


def main() -> None:
    base = open(sys.argv[1], encoding="utf-8").read()
    if sys.argv[2] == "--transplant":
        other = open(sys.argv[3], encoding="utf-8").read()
        result = transplant(base, other, sys.argv[4], sys.argv[5], sys.argv[6])
        for key in ("source", "base_function", "other_function"):
            result.setdefault(key, None)
        print(json.dumps(result))
        return
    if sys.argv[2] == "--outline":
        print(json.dumps(outline(base)))
        return
    if sys.argv[2] == "--skeleton":
        print(json.dumps(skeleton(base, sys.argv[3], elide_focus="--elide-focus" in sys.argv[4:])))
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
