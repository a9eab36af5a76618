"""Starling's sandbox launcher: the first process inside a sandboxed execution.

Starling starts this file, usually as PID 1 of fresh PID, mount and network namespaces
(`unshare --pid --fork --kill-child --mount --net`). It then:

1. joins the execution's memory cgroup, when Starling made one;
2. remounts every input path read-only (inside its private mount namespace);
3. sets resource limits (no core files; an address-space cap when there is no cgroup);
4. compiles the script, so a syntax error is reported as such and nothing runs;
5. runs the script and reaps every descendant, including ones that started their own session;
6. when the script ends, or its own backup deadline passes, kills whatever is left and writes
   a small JSON result (exit status, CPU seconds, peak RSS) for Starling to read.

It uses only the standard library so it runs under any Python 3.8+.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys
import time
import traceback
from typing import Any

MS_RDONLY = 1
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_CHILD_SUBREAPER = 36
SYNTAX_ERROR_EXIT = 97
LAUNCH_ERROR_EXIT = 98


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _mount(libc: ctypes.CDLL, source: str | None, target: str, flags: int) -> None:
    src = source.encode() if source else None
    if libc.mount(src, target.encode(), None, ctypes.c_ulong(flags), None) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target}: {os.strerror(err)}")


def make_read_only(paths: list[str]) -> str:
    """Remounts `paths` read-only in this (private) mount namespace; returns how it went."""
    if not paths:
        return "no inputs"
    libc = _libc()
    try:
        _mount(libc, None, "/", MS_REC | MS_PRIVATE)
        for path in paths:
            _mount(libc, path, path, MS_BIND | MS_REC)
            _mount(libc, None, path, MS_REMOUNT | MS_BIND | MS_RDONLY)
        return "read-only bind mounts"
    except OSError as error:
        return f"inputs left writable: {error}"


def join_cgroup(path: str | None) -> None:
    if path:
        with open(os.path.join(path, "cgroup.procs"), "w") as handle:
            handle.write(str(os.getpid()))


def set_limits(memory_bytes: int | None) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def check_syntax(script: str) -> str | None:
    """Returns a readable syntax error, or None when the script compiles."""
    with open(script, "rb") as handle:
        source = handle.read()
    try:
        compile(source, script, "exec", dont_inherit=True)
    except SyntaxError as error:
        line = (error.text or "").rstrip("\n")
        return f"SyntaxError: {error.msg} (line {error.lineno}, column {error.offset}): {line}"
    except ValueError as error:  # e.g. source with NUL bytes
        return f"SyntaxError: {error}"
    return None


def descendants_of(pid: int) -> list[int]:
    """All live descendants of `pid`, found through /proc (used outside a PID namespace)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    found: list[int] = []
    queue = [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def kill_everything_else() -> None:
    if os.getpid() == 1:
        # PID 1 of a private namespace: -1 reaches every other process in it, and only those.
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return
    for pid in descendants_of(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def reap_all() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main() -> int:
    with open(sys.argv[1]) as handle:
        control: dict[str, Any] = json.load(handle)
    result: dict[str, Any] = {"phase": "setup"}
    result_path = control["result_path"]

    def write_result() -> None:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
        result["peak_rss_bytes"] = usage.ru_maxrss * 1024
        with open(result_path, "w") as handle:
            json.dump(result, handle)

    try:
        join_cgroup(control.get("cgroup"))
        result["inputs"] = make_read_only(control.get("read_only", []))
        if os.getpid() != 1:
            _libc().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        syntax = check_syntax(control["script"])
        if syntax:
            result["phase"] = "compile"
            result["syntax_error"] = syntax
            sys.stderr.write(syntax + "\n")
            write_result()
            return SYNTAX_ERROR_EXIT
        set_limits(control.get("rlimit_as_bytes"))
    except Exception as error:  # report, never hang: Starling reads this as a launch failure
        result["phase"] = "launch"
        result["launch_error"] = "".join(traceback.format_exception_only(type(error), error)).strip()
        sys.stderr.write("starling sandbox: " + result["launch_error"] + "\n")
        write_result()
        return LAUNCH_ERROR_EXIT

    argv = [control["python"], "-u", control["script"], *control.get("arguments", [])]
    child = os.fork()
    if child == 0:
        try:
            os.setpgid(0, 0)
            os.chdir(control["cwd"])
            os.execve(control["python"], argv, control["environment"])
        except BaseException as error:  # noqa: BLE001 - the child must never return into the launcher
            sys.stderr.write(f"starling sandbox: could not start the script: {error}\n")
        os._exit(LAUNCH_ERROR_EXIT)

    result["phase"] = "run"
    deadline = time.monotonic() + float(control["backup_deadline_seconds"])

    def on_term(_signum: int, _frame: object) -> None:
        result["terminated"] = True
        kill_everything_else()
        reap_all()
        write_result()
        os._exit(143)

    signal.signal(signal.SIGTERM, on_term)
    status: int | None = None
    while status is None:
        if time.monotonic() > deadline:
            result["backup_deadline_hit"] = True
            kill_everything_else()
        try:
            pid, code = os.waitpid(-1, 0 if result.get("backup_deadline_hit") else os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.02)
            continue
        if pid == child:
            status = code
    kill_everything_else()
    reap_all()
    result["phase"] = "done"
    if status is not None and os.WIFSIGNALED(status):
        result["signal"] = os.WTERMSIG(status)
        exit_code = 128 + os.WTERMSIG(status)
    else:
        exit_code = os.WEXITSTATUS(status) if status is not None else LAUNCH_ERROR_EXIT
        result["exit_code"] = exit_code
    write_result()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
