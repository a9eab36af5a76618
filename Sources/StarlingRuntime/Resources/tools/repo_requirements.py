"""What a Python repository declares it needs, read without running any of its code.

    python repo_requirements.py REPOSITORY

Prints one JSON object: {"requirements": [...], "sources": [...], "problems": [...]} from
pyproject.toml ([project] dependencies, Poetry's dependencies), setup.cfg ([options]
install_requires), setup.py (a literal install_requires, read with ast, never executed) and the
top-level requirements files (not the dev, test or docs ones).
"""
import ast
import configparser
import json
import os
import re
import sys

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

SKIPPED_FILES = re.compile(r"(dev|test|doc|lint|ci|build|bench|example|colab|gpu|docker|optional|extra)", re.IGNORECASE)


def clean(requirement):
    """A requirement line as pip takes it, or None for what is not a requirement of the package."""
    text = requirement.split("#", 1)[0].strip()
    if not text or text.startswith(("-", ".", "/")) or "://" in text or text.startswith("git+"):
        return None
    return text


def from_pyproject(path, found, problems):
    if tomllib is None:
        problems.append("pyproject.toml not read: this Python has no tomllib")
        return
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except Exception as error:
        problems.append(f"pyproject.toml unreadable: {error}")
        return
    for requirement in data.get("project", {}).get("dependencies", []) or []:
        found.append(requirement)
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {}) or {}
    for name, spec in poetry.items():
        if name.lower() == "python":
            continue
        version = spec if isinstance(spec, str) else (spec.get("version") if isinstance(spec, dict) else None)
        if isinstance(version, str) and version[:1].isdigit():
            found.append(f"{name}=={version}")
        elif isinstance(version, str) and version.startswith("^"):
            found.append(f"{name}>={version[1:]}")
        else:
            found.append(name)


def from_setup_cfg(path, found, problems):
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except Exception as error:
        problems.append(f"setup.cfg unreadable: {error}")
        return
    text = parser.get("options", "install_requires", fallback="")
    for line in re.split(r"[\n;]", text):
        found.append(line)


def literal_strings(node, names):
    """The strings of a list or tuple literal, following a module-level name bound to one."""
    if isinstance(node, ast.Name) and node.id in names:
        node = names[node.id]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [element.value for element in node.elts if isinstance(element, ast.Constant) and isinstance(element.value, str)]
    return None


def from_setup_py(path, found, problems):
    try:
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except Exception as error:
        problems.append(f"setup.py unreadable: {error}")
        return
    names = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
            names[statement.targets[0].id] = statement.value
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "setup":
            for keyword in node.keywords:
                if keyword.arg == "install_requires":
                    strings = literal_strings(keyword.value, names)
                    if strings is None:
                        problems.append("setup.py: install_requires is not a literal list; it was not read")
                    else:
                        found.extend(strings)


def from_requirements(path, found, problems):
    try:
        with open(path, encoding="utf-8") as handle:
            found.extend(handle.read().splitlines())
    except Exception as error:
        problems.append(f"{os.path.basename(path)} unreadable: {error}")


def main():
    root = sys.argv[1]
    found, sources, problems = [], [], []
    readers = [("pyproject.toml", from_pyproject), ("setup.cfg", from_setup_cfg), ("setup.py", from_setup_py)]
    for name, reader in readers:
        path = os.path.join(root, name)
        if os.path.isfile(path):
            before = len(found)
            reader(path, found, problems)
            if len(found) > before:
                sources.append(name)
    for name in sorted(os.listdir(root)):
        if re.fullmatch(r"requirements.*\.(txt|in)", name) and not SKIPPED_FILES.search(name[len("requirements"):]):
            before = len(found)
            from_requirements(os.path.join(root, name), found, problems)
            if len(found) > before:
                sources.append(name)
    seen, requirements = set(), []
    for requirement in filter(None, map(clean, found)):
        key = re.split(r"[\s<>=!~;\[(]", requirement, 1)[0].lower().replace("_", "-")
        if key and key not in seen:
            seen.add(key)
            requirements.append(requirement)
    print(json.dumps({"requirements": requirements, "sources": sources, "problems": problems}))


if __name__ == "__main__":
    main()
