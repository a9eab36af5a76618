"""Starling's stage probe: runs an agent's script and records how far it got.

Starling's gym server runs every `validate_code` and `execute_code` script through this file
instead of running it directly:

    python stage_probe.py SCRIPT [ARGS...]

with `STARLING_STAGE_FILE` naming a file for the events. The probe removes that variable from
the environment, compiles the script (a syntax error is recorded and nothing runs), then runs it
as `__main__` while watching, from outside the script's own code, for the stages the harness
gives partial credit for:

- `data_loaded`: a data file under `input/` opened for reading (an audit hook on `open`,
  which covers pandas, numpy and the csv module), or a polars/pyarrow reader called; the sample
  submission and the Markdown description are not data, so copying the sample does not count;
- `model_fitted`: a `fit`/`partial_fit` method called on an object that can predict (a
  scikit-learn, LightGBM, XGBoost or CatBoost estimator, a Keras model, a Pipeline, or a class
  the script defines itself), or `lightgbm.train`, `xgboost.train`, or `torch.Tensor.backward`;
- `predictions_made`: `predict`, `predict_proba`, `predict_log_proba` or `decision_function`
  called on such an object.

Calls are seen by wrapping those methods as their classes are created (a `__build_class__`
hook, which sees every `class` statement, the script's own included) and the training functions
as their modules are imported, so the probe costs a function call per `fit` or `predict`, not a
hook on every call the script makes.

Each stage is written once, as a JSON line with the seconds since the start, the moment it is
first seen, so a script that crashes or times out later still gets credit for what it reached.

Whether the submission was written and is valid is checked by Starling after the run, from
outside the script's process. The three stages above are observed inside it: a script that sets
out to forge them can, which is why they earn less than a valid submission.

It uses only the standard library (Python 3.8+).
"""

from __future__ import annotations

import builtins
import functools
import importlib.abc
import importlib.machinery
import json
import os
import sys
import threading
import time
import types
from typing import Any, Callable

START = time.monotonic()
FIT_NAMES = {"fit", "partial_fit"}
PREDICT_NAMES = {"predict", "predict_proba", "predict_log_proba", "decision_function"}
PREDICTOR_METHODS = ("predict", "predict_proba", "decision_function")
# Module functions watched once their module is imported: (stage, names).
WATCHED_FUNCTIONS = {
    "polars": ("data_loaded", ("read_csv", "read_parquet", "read_ipc", "read_json", "scan_csv", "scan_parquet", "scan_ipc")),
    "pyarrow.csv": ("data_loaded", ("read_csv", "open_csv")),
    "pyarrow.parquet": ("data_loaded", ("read_table",)),
    "lightgbm": ("model_fitted", ("train",)),
    "xgboost": ("model_fitted", ("train",)),
}


class StageLog:
    """Appends each stage once to the events file, flushed at once."""

    def __init__(self, path: str | None) -> None:
        self.handle = open(path, "a", encoding="utf-8") if path else None
        self.seen: set[str] = set()
        self.lock = threading.Lock()

    def mark(self, stage: str, detail: str = "", **extra: Any) -> None:
        with self.lock:
            if stage in self.seen:
                return
            self.seen.add(stage)
            if self.handle is None:
                return
            event = {"stage": stage, "seconds": round(time.monotonic() - START, 3), "detail": detail[:300]}
            event.update(extra)
            self.handle.write(json.dumps(event) + "\n")
            self.handle.flush()


def input_folder() -> str:
    return os.path.realpath(os.path.join(os.getcwd(), "input"))


def reads_input(path: Any, mode: Any, flags: Any, root: str) -> bool:
    """Whether an `open` audit event reads a file under `input/`."""
    if isinstance(path, int):
        return False
    try:
        name = os.fsdecode(path)
    except TypeError:
        return False
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return False
    if isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR):
        return False
    full = os.path.realpath(name if os.path.isabs(name) else os.path.join(os.getcwd(), name))
    if not full.startswith(root + os.sep) or not os.path.isfile(full):
        return False
    base = os.path.basename(full).lower()
    return not base.startswith("sample_submission") and not base.endswith(".md")


def can_predict(obj: Any) -> bool:
    try:
        return any(callable(getattr(obj, name, None)) for name in PREDICTOR_METHODS)
    except Exception:  # noqa: BLE001 - a broken __getattr__ must not break the script
        return False


def watch_method(function: Callable[..., Any], stage: str, log: StageLog, label: str) -> Callable[..., Any]:
    """Wraps a method so its first call on an object that can predict marks `stage`."""

    @functools.wraps(function)
    def watched(self: Any, *args: Any, **kwargs: Any) -> Any:
        if stage not in log.seen and can_predict(self):
            log.mark(stage, f"{type(self).__name__}.{label}")
        return function(self, *args, **kwargs)

    return watched


def patch_class(cls: Any, log: StageLog) -> None:
    """Wraps the fit and predict methods a class defines itself (inherited ones were wrapped
    where they were defined)."""
    try:
        own = vars(cls)
    except TypeError:
        return
    module = str(own.get("__module__", ""))
    for name, value in list(own.items()):
        if not isinstance(value, types.FunctionType):
            continue
        if name in FIT_NAMES:
            stage = "model_fitted"
        elif name in PREDICT_NAMES:
            stage = "predictions_made"
        elif name == "backward" and module.startswith("torch"):
            stage = "model_fitted"
            value = wrap_call(value, log, stage, "torch backward")
            try:
                setattr(cls, name, value)
            except (AttributeError, TypeError):
                pass
            continue
        else:
            continue
        try:
            setattr(cls, name, watch_method(value, stage, log, name))
        except (AttributeError, TypeError):
            pass


def wrap_call(function: Callable[..., Any], log: StageLog, stage: str, label: str) -> Callable[..., Any]:
    """Wraps a function so any call marks `stage`."""

    @functools.wraps(function)
    def called(*args: Any, **kwargs: Any) -> Any:
        log.mark(stage, label)
        return function(*args, **kwargs)

    return called


def install_class_hook(log: StageLog) -> None:
    original = builtins.__build_class__

    def build_class(func: Any, name: str, *bases: Any, **kwargs: Any) -> Any:
        cls = original(func, name, *bases, **kwargs)
        if isinstance(cls, type):
            patch_class(cls, log)
        return cls

    builtins.__build_class__ = build_class


class FunctionPatcher(importlib.abc.MetaPathFinder):
    """After a module of ``WATCHED_FUNCTIONS`` is imported, wraps its functions: polars and
    pyarrow open files outside Python, where the audit hook cannot see them, and the training
    functions belong to no class."""

    def __init__(self, log: StageLog) -> None:
        self.log = log
        self.busy: set[str] = set()

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname not in WATCHED_FUNCTIONS or fullname in self.busy:
            return None
        self.busy.add(fullname)
        try:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        finally:
            self.busy.discard(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader = spec.loader
        log = self.log
        stage, names = WATCHED_FUNCTIONS[fullname]

        class PatchingLoader(importlib.abc.Loader):
            def create_module(self, spec: Any) -> Any:
                return loader.create_module(spec)

            def exec_module(self, module: Any) -> None:
                loader.exec_module(module)
                for name in names:
                    function = getattr(module, name, None)
                    if callable(function):
                        setattr(module, name, wrap_call(function, log, stage, f"{fullname}.{name}"))

        spec.loader = PatchingLoader()
        return spec


def main() -> int:
    if len(sys.argv) < 2:
        sys.stderr.write("usage: stage_probe.py SCRIPT [ARGS...]\n")
        return 2
    script = os.path.abspath(sys.argv[1])
    log = StageLog(os.environ.pop("STARLING_STAGE_FILE", None))
    with open(script, "rb") as handle:
        source = handle.read()
    try:
        code = compile(source, script, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        if isinstance(error, SyntaxError):
            text = (error.text or "").rstrip("\n")
            message = f"SyntaxError: {error.msg} (line {error.lineno}, column {error.offset}): {text}"
        else:
            message = f"SyntaxError: {error}"
        log.mark("syntax_error", message)
        sys.stderr.write(message + "\n")
        return 97

    root = input_folder()

    def audit(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and "data_loaded" not in log.seen and len(args) >= 3:
            if reads_input(args[0], args[1], args[2], root):
                log.mark("data_loaded", os.fsdecode(args[0]))

    sys.addaudithook(audit)
    sys.meta_path.insert(0, FunctionPatcher(log))
    install_class_hook(log)

    sys.argv = [script, *sys.argv[2:]]
    sys.path[0] = os.path.dirname(script)
    # The script runs as a fresh `__main__` module, as runpy does, so that pickling functions
    # it defines (joblib, multiprocessing) finds them. Exceptions and SystemExit propagate, so
    # Python prints the traceback and sets the exit code as for a direct run.
    module = types.ModuleType("__main__")
    module.__file__ = script
    module.__builtins__ = __builtins__  # type: ignore[attr-defined]
    sys.modules["__main__"] = module
    exec(code, module.__dict__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
