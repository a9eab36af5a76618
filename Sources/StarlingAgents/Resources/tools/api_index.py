"""Builds an index of the public API of every library installed in this Python environment:
module -> public name -> kind and signature. Starling uses it to repair misplaced imports
(`from sklearn.preprocessing import SimpleImputer`) without asking an LLM, and to show real
signatures in debug prompts.

The libraries are found from the installed distributions themselves (their top-level import
names), not from a hand-written list. Private modules (`_x`), test packages and modules that
fail to import are skipped and counted.

Usage: python api_index.py OUT.json [SECONDS_PER_PACKAGE]
Writes {"schema": 1, "python": ..., "distributions": {name: version}, "modules": {module: {name: entry}},
"skipped": {package: reason}, "seconds": ...}; entry is "class(sig)", "function(sig)", "module" or "value".
"""

from __future__ import annotations

import contextlib
import importlib
import io
import importlib.metadata as metadata
import inspect
import json
import os
import pkgutil
import sys
import time
import warnings

# Tooling that solutions never import; indexing it only costs time.
IGNORED = {"pip", "setuptools", "wheel", "pkg_resources", "_distutils_hack", "distutils", "uv", "__pycache__"}
SKIPPED_PARTS = {"tests", "test", "testing", "conftest", "setup", "__main__", "_examples", "benchmarks", "conftest"}
MAX_SIGNATURE = 240


def top_level_names() -> dict[str, str]:
    """Import name -> distribution name, from each installed distribution's files."""
    names: dict[str, str] = {}
    for dist in metadata.distributions():
        dist_name = dist.metadata["Name"] or ""
        found: set[str] = set()
        text = dist.read_text("top_level.txt")
        if text:
            found.update(line.strip() for line in text.splitlines() if line.strip())
        for path in dist.files or []:
            parts = path.parts
            if not parts or parts[0].endswith((".dist-info", ".egg-info", ".data")) or parts[0] in ("..", "bin"):
                continue
            if len(parts) > 1 and (parts[1] == "__init__.py"):
                found.add(parts[0])
            elif len(parts) == 1 and parts[0].endswith(".py"):
                found.add(parts[0][:-3])
        for name in found:
            if name.isidentifier() and not name.startswith("_") and name not in IGNORED:
                names.setdefault(name, dist_name)
    return names


def describe(obj: object) -> str:
    """A short entry: kind and, for callables, the signature."""
    if inspect.ismodule(obj):
        return "module"
    kind = "class" if inspect.isclass(obj) else "function" if callable(obj) else "value"
    if kind == "value":
        return kind
    try:
        signature = str(inspect.signature(obj))
    except (TypeError, ValueError):
        signature = "(...)"
    if len(signature) > MAX_SIGNATURE:
        signature = signature[: MAX_SIGNATURE - 4] + " ...)"
    return f"{kind}{signature}"


def public_names(module: object) -> list[str]:
    exported = getattr(module, "__all__", None)
    if isinstance(exported, (list, tuple)) and all(isinstance(n, str) for n in exported):
        return [n for n in exported if not n.startswith("_")]
    return [n for n in dir(module) if not n.startswith("_")]


def index_module(name: str, modules: dict[str, dict[str, str]]) -> None:
    module = importlib.import_module(name)
    entries: dict[str, str] = {}
    for attribute in public_names(module):
        try:
            value = getattr(module, attribute)
        except Exception:  # noqa: BLE001 - lazy attributes may raise anything
            continue
        entries[attribute] = describe(value)
    modules[name] = entries


def index_package(package: str, modules: dict[str, dict[str, str]], seconds: float) -> str | None:
    """Indexes a package and its public submodules; returns why it stopped early, if it did."""
    started = time.monotonic()
    try:
        index_module(package, modules)
    except BaseException as error:  # noqa: BLE001 - a broken package must not stop the index
        return f"import failed: {type(error).__name__}: {str(error)[:120]}"
    root = sys.modules.get(package)
    paths = getattr(root, "__path__", None)
    if not paths:
        return None
    failed = 0

    def skip(name: str) -> bool:
        return any(part.startswith("_") or part in SKIPPED_PARTS for part in name.split(".")[1:])

    for info in pkgutil.walk_packages(paths, prefix=package + ".", onerror=lambda _: None):
        if skip(info.name):
            continue
        if time.monotonic() - started > seconds:
            return f"time limit: stopped after {seconds:.0f} s with {sum(1 for m in modules if m.startswith(package + '.'))} submodules"
        try:
            index_module(info.name, modules)
        except BaseException:  # noqa: BLE001
            failed += 1
    return f"{failed} submodules failed to import" if failed else None


def main() -> None:
    out = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    warnings.simplefilter("ignore")
    os.environ.setdefault("MPLBACKEND", "Agg")
    started = time.monotonic()
    names = top_level_names()
    modules: dict[str, dict[str, str]] = {}
    skipped: dict[str, str] = {}
    for package in sorted(names):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            reason = index_package(package, modules, seconds)
        if reason:
            skipped[package] = reason
    versions = {}
    for dist in metadata.distributions():
        if dist.metadata["Name"]:
            versions[dist.metadata["Name"].lower()] = dist.version
    document = {
        "schema": 1,
        "python": sys.version.split()[0],
        "distributions": dict(sorted(versions.items())),
        "modules": modules,
        "skipped": skipped,
        "seconds": round(time.monotonic() - started, 1),
    }
    tmp = out + ".partial"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(document, handle, separators=(",", ":"))
    os.replace(tmp, out)
    print(json.dumps({"modules": len(modules), "names": sum(len(v) for v in modules.values()),
                      "skipped": skipped, "seconds": document["seconds"]}))


if __name__ == "__main__":
    main()
