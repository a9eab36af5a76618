"""Parse a Python repository with the standard library's ast and print one JSON document.

Usage: repo_scan.py ROOT OUTPUT.json [--max-file-kb N] [--skip-tests] [--only RELATIVE_FILE]

The scan records, for every Python file under ROOT that is not skipped: its module name, size,
docstring head, imports (with relative levels, lines and whether they bind module-level names),
classes (bases, methods, the calls of their bodies and decorators, attributes that methods set to
a constructed object) and functions (parameters, return annotation, decorators, branch count, the
calls each makes as dotted text, including those of nested functions, local names bound to a
call's result or to another name). Decorators written without a call (`@cache`) are recorded as
references. Starling's Swift side resolves the calls and imports into graphs; this script only
reads. Folders such as .git, venvs and build output are skipped and listed with why. In a src
layout (`src/pkg/...` with no `src/__init__.py`) modules are named from below `src/`.
"""
from __future__ import annotations

import ast
import builtins
import configparser
import json
import os
import re
import sys
import time
from typing import Any

SKIPPED_FOLDERS = {
    ".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "env", ".env", ".tox", ".nox", "node_modules",
    "build", "dist", ".eggs", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", ".idea", ".vscode",
}
TEST_FOLDERS = {"tests", "test", "testing"}


def doc_head(node: ast.AST) -> str:
    try:
        doc = ast.get_docstring(node, clean=True)  # type: ignore[arg-type]
    except TypeError:
        return ""
    if not doc:
        return ""
    paragraph = doc.strip().split("\n\n")[0]
    return " ".join(paragraph.split())[:300]


def dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a name or attribute chain; `super.m` for super().m; None otherwise."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super":
        parts.append("super")
        return ".".join(reversed(parts))
    return None


def text(node: ast.AST | None, limit: int = 80) -> str | None:
    if node is None:
        return None
    try:
        value = ast.unparse(node)
    except Exception:
        return "?"
    return value if len(value) <= limit else value[: limit - 1] + "…"


def parameters(args: ast.arguments) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip(positional, defaults):
        found.append({"name": arg.arg, "kind": "positional", "annotation": text(arg.annotation), "default": text(default)})
    if args.vararg:
        found.append({"name": args.vararg.arg, "kind": "var_positional", "annotation": text(args.vararg.annotation), "default": None})
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        found.append({"name": arg.arg, "kind": "keyword_only", "annotation": text(arg.annotation), "default": text(default)})
    if args.kwarg:
        found.append({"name": args.kwarg.arg, "kind": "var_keyword", "annotation": text(args.kwarg.annotation), "default": None})
    return found


BRANCHES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith, ast.BoolOp, ast.IfExp, ast.comprehension, ast.ExceptHandler)


class BodyVisitor(ast.NodeVisitor):
    """Collects the calls, branches and bound names of one body. Calls inside nested functions and
    classes count as the body's own (the body runs them); the nested names are kept as local."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.unparsed = 0
        self.branches = 0
        self.bindings: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        self.local_defs: list[str] = []

    def references(self, decorators: list[ast.expr]) -> None:
        """A decorator written without a call (`@cache`, `@mod.register`) refers to what it names."""
        for decorator in decorators:
            if not isinstance(decorator, ast.Call):
                callee = dotted(decorator)
                if callee:
                    self.calls.append({"callee": callee, "line": decorator.lineno, "reference": True})

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.local_defs.append(node.name)
        self.references(node.decorator_list)
        for decorator in node.decorator_list:
            self.visit(decorator)
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            self.visit(default)
        for statement in node.body:
            self.visit(statement)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.local_defs.append(node.name)
        self.references(node.decorator_list)
        for part in node.decorator_list + node.bases:
            self.visit(part)
        for statement in node.body:
            self.visit(statement)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.generic_visit(node)

    def bind(self, target: ast.expr, value: ast.expr) -> None:
        """`v = Class(...)` types v; `alias = f` / `alias = mod.f` makes alias another name for f."""
        if not isinstance(target, ast.Name):
            return
        if isinstance(value, ast.Call):
            callee = dotted(value.func)
            if callee:
                self.bindings[target.id] = callee
                self.aliases.pop(target.id, None)
        elif isinstance(value, (ast.Name, ast.Attribute)):
            name = dotted(value)
            if name and name != target.id and not name.startswith(("self.", "cls.")):
                self.aliases[target.id] = name
                self.bindings.pop(target.id, None)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self.bind(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.bind(node.target, node.value)
        self.generic_visit(node)

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self.bind(item.optional_vars, item.context_expr)
        self.generic_visit(node)

    visit_AsyncWith = visit_With  # type: ignore[assignment]

    def visit_Call(self, node: ast.Call) -> None:
        callee = dotted(node.func)
        if callee is None:
            self.unparsed += 1
        else:
            self.calls.append({"callee": callee, "line": node.lineno})
        self.generic_visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        if isinstance(node, BRANCHES):
            self.branches += 1
        super().generic_visit(node)


def place(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, qualname: str) -> dict[str, Any]:
    """The name, qualified name, lines and docstring head every function and class record starts with."""
    return {
        "name": node.name,
        "qualname": qualname,
        "line": node.lineno,
        "end_line": getattr(node, "end_lineno", node.lineno) or node.lineno,
        "doc": doc_head(node),
    }


def function_record(node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str) -> dict[str, Any]:
    visitor = BodyVisitor()
    for statement in node.body:
        visitor.visit(statement)
    for decorator in node.decorator_list:
        visitor.visit(decorator)
    for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
        visitor.visit(default)
    return {
        **place(node, qualname),
        "params": parameters(node.args),
        "returns": text(node.returns),
        "decorators": [text(d, 60) or "?" for d in node.decorator_list],
        "is_async": isinstance(node, ast.AsyncFunctionDef),
        "branches": visitor.branches,
        "calls": visitor.calls,
        "unparsed_calls": visitor.unparsed,
        "bindings": visitor.bindings,
        "aliases": visitor.aliases,
        "local_defs": visitor.local_defs,
    }


def attribute_types(methods: list[ast.FunctionDef | ast.AsyncFunctionDef]) -> dict[str, str]:
    """`self.x = Foo(...)` in any method: x holds a Foo (the first such assignment wins)."""
    found: dict[str, str] = {}
    for method in methods:
        for node in ast.walk(method):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            value = getattr(node, "value", None)
            if not isinstance(value, ast.Call):
                continue
            callee = dotted(value.func)
            for target in targets:
                if (callee and isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                        and target.value.id == "self" and target.attr not in found):
                    found[target.attr] = callee
    return found


def class_record(node: ast.ClassDef, prefix: str) -> dict[str, Any]:
    qualname = f"{prefix}{node.name}"
    methods = []
    method_nodes = []
    nested = []
    attributes: list[str] = []
    body = BodyVisitor()  # the class body runs once, when the class is made: its calls are the class's
    body.references(node.decorator_list)
    for part in node.decorator_list + node.bases + [k.value for k in node.keywords]:
        body.visit(part)
    for statement in node.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            methods.append(function_record(statement, f"{qualname}.{statement.name}"))
            method_nodes.append(statement)
            body.references(statement.decorator_list)
        elif isinstance(statement, ast.ClassDef):
            nested.append(class_record(statement, f"{qualname}."))
        else:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                attributes.append(statement.target.id)
            elif isinstance(statement, ast.Assign):
                attributes += [t.id for t in statement.targets if isinstance(t, ast.Name)]
            body.visit(statement)
    return {
        **place(node, qualname),
        "bases": [dotted(b) or text(b, 60) or "?" for b in node.bases],
        "decorators": [text(d, 60) or "?" for d in node.decorator_list],
        "methods": methods,
        "classes": nested,
        "attributes": attributes[:40],
        "body_calls": body.calls,
        "body_unparsed_calls": body.unparsed,
        "attribute_types": attribute_types(method_nodes),
    }


def is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    names = [node.test.left] + list(node.test.comparators)
    return any(isinstance(n, ast.Name) and n.id == "__name__" for n in names) and any(
        isinstance(n, ast.Constant) and n.value == "__main__" for n in names)


def module_name(relative: str, src_layout: bool = False) -> str:
    """`pkg/sub/mod.py` -> `pkg.sub.mod`; in a src layout `src/pkg/mod.py` -> `pkg.mod` too."""
    parts = relative[:-3].split("/")
    if src_layout and len(parts) > 1 and parts[0] == "src":
        parts = parts[1:]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def top_level_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements that run at module level: the body, and the bodies of its if/try/with blocks."""
    found: list[ast.stmt] = []
    for statement in body:
        found.append(statement)
        if isinstance(statement, (ast.If, ast.While, ast.For, ast.AsyncFor)):
            found += top_level_statements(statement.body + statement.orelse)
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            found += top_level_statements(statement.body)
        elif isinstance(statement, ast.Try) or type(statement).__name__ == "TryStar":
            found += top_level_statements(statement.body + statement.orelse + statement.finalbody
                                          + [s for h in statement.handlers for s in h.body])
    return found


def scan_file(root: str, relative: str, source: str, src_layout: bool = False) -> dict[str, Any]:
    tree = ast.parse(source, filename=relative)
    imports: list[dict[str, Any]] = []
    classes: list[dict[str, Any]] = []
    functions: list[dict[str, Any]] = []
    top = BodyVisitor()
    has_main = False
    exported: list[str] | None = None
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append(function_record(statement, statement.name))
            top.references(statement.decorator_list)
        elif isinstance(statement, ast.ClassDef):
            classes.append(class_record(statement, ""))
        else:
            if is_main_guard(statement):
                has_main = True
            if isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in statement.targets):
                if isinstance(statement.value, (ast.List, ast.Tuple)):
                    exported = [e.value for e in statement.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            top.visit(statement)
    module_level = {id(statement) for statement in top_level_statements(tree.body)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                imports.append({"module": alias.name, "names": [], "asname": alias.asname, "level": 0, "line": node.lineno,
                                "top": id(node) in module_level})
        elif isinstance(node, ast.ImportFrom):
            imports.append({"module": node.module or "", "level": node.level, "line": node.lineno, "asname": None,
                            "names": [{"name": a.name, "asname": a.asname} for a in node.names], "top": id(node) in module_level})
    imports.sort(key=lambda item: (item["line"], item["module"]))
    return {
        "path": relative,
        "module": module_name(relative, src_layout),
        "is_package": relative.endswith("__init__.py"),
        "lines": source.count("\n") + 1,
        "bytes": len(source.encode("utf-8", "replace")),
        "doc": doc_head(tree),
        "has_main": has_main or relative.endswith("__main__.py"),
        "exports": exported,
        "imports": imports,
        "classes": classes,
        "functions": functions,
        "top_calls": top.calls,
        "top_bindings": top.bindings,
        "top_aliases": top.aliases,
        "top_unparsed_calls": top.unparsed,
    }


def declared_scripts(root: str) -> list[dict[str, str]]:
    """Console scripts from pyproject.toml, setup.cfg and setup.py (as `name = module:function`)."""
    found: list[dict[str, str]] = []
    pyproject = os.path.join(root, "pyproject.toml")
    if os.path.isfile(pyproject):
        try:
            import tomllib
            with open(pyproject, "rb") as handle:
                data = tomllib.load(handle)
            for name, target in (data.get("project", {}).get("scripts", {}) or {}).items():
                found.append({"name": name, "target": str(target), "from": "pyproject.toml"})
            poetry = data.get("tool", {}).get("poetry", {}).get("scripts", {}) or {}
            for name, target in poetry.items():
                found.append({"name": name, "target": str(target), "from": "pyproject.toml"})
        except Exception:
            pass
    setup_cfg = os.path.join(root, "setup.cfg")
    if os.path.isfile(setup_cfg):
        parser = configparser.ConfigParser()
        try:
            parser.read(setup_cfg, encoding="utf-8")
            block = parser.get("options.entry_points", "console_scripts", fallback="")
            for line in block.splitlines():
                if "=" in line:
                    name, target = line.split("=", 1)
                    found.append({"name": name.strip(), "target": target.strip(), "from": "setup.cfg"})
        except Exception:
            pass
    setup_py = os.path.join(root, "setup.py")
    if os.path.isfile(setup_py):
        with open(setup_py, encoding="utf-8", errors="replace") as handle:
            content = handle.read()
        for name, target in re.findall(r"['\"]\s*([\w.-]+)\s*=\s*([\w.]+:[\w.]+)\s*['\"]", content):
            found.append({"name": name, "target": target, "from": "setup.py"})
    return found


HISTORY_COMMITS = 1000
HISTORY_HALF_LIFE_DAYS = 90.0


def history(root: str) -> dict[str, float] | None:
    """How often and how recently each Python file changed, from git (RepoMaster's signal that a
    file is central): the sum over the last commits touching it of 0.5 ** (age / 90 days), age
    counted back from the newest commit so the same checkout always gives the same numbers.
    None when the folder is not in a git checkout or git is missing."""
    import subprocess

    try:
        run = subprocess.run(["git", "-C", root, "log", f"-n{HISTORY_COMMITS}", "--format=@%ct", "--name-only", "--relative", "--no-renames"],
                             capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if run.returncode != 0 or not run.stdout.strip():
        return None
    commits: list[tuple[int, list[str]]] = []
    for line in run.stdout.splitlines():
        if line.startswith("@") and line[1:].isdigit():
            commits.append((int(line[1:]), []))
        elif line.strip() and commits and line.endswith(".py"):
            commits[-1][1].append(line.strip())
    if not commits:
        return None
    newest = max(time_ for time_, _ in commits)
    scores: dict[str, float] = {}
    for when, paths in commits:
        weight = 0.5 ** ((newest - when) / 86400.0 / HISTORY_HALF_LIFE_DAYS)
        for path in paths:
            scores[path] = scores.get(path, 0.0) + weight
    return {path: round(score, 6) for path, score in sorted(scores.items())}


def readme(root: str) -> dict[str, str] | None:
    for name in sorted(os.listdir(root)):
        if name.lower().startswith("readme") and os.path.isfile(os.path.join(root, name)):
            with open(os.path.join(root, name), encoding="utf-8", errors="replace") as handle:
                return {"path": name, "text": handle.read(200_000)}
    return None


def inside(path: str, real_root: str) -> bool:
    """Whether `path`, links resolved, lies in the repository (a link out of it is not read)."""
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def main() -> None:
    arguments = sys.argv[1:]
    if len(arguments) < 2:
        print("usage: repo_scan.py ROOT OUTPUT.json [--max-file-kb N] [--skip-tests]", file=sys.stderr)
        sys.exit(2)
    root, output = os.path.abspath(arguments[0]), arguments[1]
    max_bytes = 1024 * 1024
    if "--max-file-kb" in arguments:
        max_bytes = int(arguments[arguments.index("--max-file-kb") + 1]) * 1024
    skip_tests = "--skip-tests" in arguments
    only = arguments[arguments.index("--only") + 1] if "--only" in arguments else None
    started = time.time()
    files: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    other_files = 0
    real_root = os.path.realpath(root)
    src_layout = os.path.isdir(os.path.join(root, "src")) and not os.path.isfile(os.path.join(root, "src", "__init__.py"))
    for folder, subfolders, names in os.walk(root):
        relative_folder = os.path.relpath(folder, root)
        if only is not None:
            # One file of a large tree (a library module a traceback names): no walk below.
            subfolders[:] = []
            names = [os.path.basename(only)] if os.path.isfile(os.path.join(root, only)) else []
            folder = os.path.dirname(os.path.join(root, only))
            relative_folder = os.path.dirname(only) or "."
        keep = []
        for sub in sorted(subfolders):
            path = sub if relative_folder == "." else f"{relative_folder}/{sub}"
            if sub in SKIPPED_FOLDERS or sub.endswith(".egg-info") or os.path.isfile(os.path.join(folder, sub, "pyvenv.cfg")):
                skipped.append({"path": path + "/", "reason": "folder skipped (version control, environment or build output)"})
            elif skip_tests and sub in TEST_FOLDERS:
                skipped.append({"path": path + "/", "reason": "tests skipped (--skip-tests)"})
            elif sub.startswith(".") and sub not in {".github"}:
                skipped.append({"path": path + "/", "reason": "hidden folder"})
            else:
                keep.append(sub)
        subfolders[:] = keep
        for name in sorted(names):
            path = name if relative_folder == "." else f"{relative_folder}/{name}"
            full = os.path.join(folder, name)
            if not name.endswith(".py"):
                other_files += 1
                continue
            if skip_tests and (name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"):
                skipped.append({"path": path, "reason": "tests skipped (--skip-tests)"})
                continue
            if not inside(full, real_root):
                skipped.append({"path": path, "reason": "a link that leaves the repository"})
                continue
            if not os.path.isfile(full):
                skipped.append({"path": path, "reason": "not a readable file (a dangling link?)"})
                continue
            size = os.path.getsize(full)
            if size > max_bytes:
                skipped.append({"path": path, "reason": f"over the size cap ({size // 1024} KB > {max_bytes // 1024} KB)"})
                continue
            with open(full, "rb") as handle:
                raw = handle.read()
            if b"\0" in raw:
                skipped.append({"path": path, "reason": "binary content"})
                continue
            try:
                files.append(scan_file(root, path, raw.decode("utf-8", "replace"), src_layout))
            except (SyntaxError, ValueError, RecursionError) as error:
                skipped.append({"path": path, "reason": f"not parsed: {type(error).__name__}: {error}"[:200]})
    result = {
        "root": root,
        "files": files,
        "skipped": skipped,
        "other_files": other_files,
        "readme": readme(root),
        "scripts": declared_scripts(root),
        "builtins": sorted(dir(builtins)),
        "history": history(root) if only is None else None,
        "seconds": round(time.time() - started, 3),
    }
    with open(output, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    print(json.dumps({"files": len(files), "skipped": len(skipped), "seconds": result["seconds"]}))


if __name__ == "__main__":
    main()
