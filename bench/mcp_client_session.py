"""Drives `starling mcp` with the reference Python MCP client (PyPI's `mcp`) and prints a transcript.

    uv venv /tmp/mcp-venv && uv pip install --python /tmp/mcp-venv/bin/python mcp
    /tmp/mcp-venv/bin/python bench/mcp_client_session.py --task wa-churn [--starling .build/debug/starling] [--http]

With --http the server is `starling mcp --http 0 --token T` and the client speaks MCP's streamable HTTP
with that bearer token (and first checks that a request without it is refused).

The session lists the tools and tasks, describes a task, runs a script in the sandbox, validates and
dev-scores its submission, checks it for leakage, grades it on the test rows until the server refuses,
starts Starling's own run in the background, follows it, stops it and asks for its report.
"""
import argparse
import asyncio
import contextlib
import json
import secrets
import subprocess
import tempfile
import textwrap
import time
import urllib.error
import urllib.request

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
try:
    from mcp import MCPError
except ImportError:  # mcp 1.x
    from mcp.shared.exceptions import McpError as MCPError

SCRIPT = textwrap.dedent("""
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier
    train = pd.read_csv("input/train.csv")
    test = pd.read_csv("input/test.csv")
    sample = pd.read_csv("input/sample_submission.csv")
    ident, target = sample.columns[0], sample.columns[1]
    features = [c for c in test.columns if c != ident]
    X = pd.get_dummies(pd.concat([train[features], test[features]]), dummy_na=True).astype(float)
    model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05).fit(X[:len(train)], train[target].astype(str))
    positive = [i for i, c in enumerate(model.classes_) if c in ("1", "Yes", "True", "yes", "true")][0]
    import os; os.makedirs("submission", exist_ok=True)
    pd.DataFrame({ident: test[ident], target: model.predict_proba(X[len(train):])[:, positive]}).to_csv("submission/submission.csv", index=False)
    print("rows", len(train), "features", X.shape[1])
""")


def field(value, *names):
    """The first of `names` that `value` has (the package's 1.x and 2.x spell some fields apart)."""
    for name in names:
        if hasattr(value, name):
            return getattr(value, name)
    return None


def show(label, text, limit=700):
    text = text if len(text) <= limit else text[:limit] + f" … ({len(text)} characters)"
    print(f"\n>>> {label}\n{text}")


async def call(session, tool, arguments):
    try:
        result = await session.call_tool(tool, arguments)
        text = "\n".join(item.text for item in result.content if getattr(item, "type", "") == "text")
        return text, field(result, "isError", "is_error")
    except MCPError as error:
        return f"MCP error {error.error.code}: {error.error.message}", True


@contextlib.asynccontextmanager
async def connect(args, work):
    """The client's two streams: over stdio, or over streamable HTTP with a bearer token."""
    command = [args.starling, "mcp", "--work-dir", work, "--final-grades", "6"]
    if not args.http:
        async with stdio_client(StdioServerParameters(command=command[0], args=command[1:])) as (read, write):
            yield read, write
        return
    token = secrets.token_hex(16)
    server = subprocess.Popen(command + ["--http", "0", "--token", token], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        url = line.split(" at ")[1].split(";")[0]
        show("server", line.strip())
        try:
            urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST"))
        except urllib.error.HTTPError as error:
            show("POST without a token", f"HTTP {error.code}: {error.read().decode()}")
        headers = {"Authorization": f"Bearer {token}"}
        try:
            import httpx2
            from mcp.client.streamable_http import streamable_http_client
            async with httpx2.AsyncClient(headers=headers, timeout=600) as http:
                async with streamable_http_client(url, http_client=http) as streams:
                    yield streams[0], streams[1]
        except ImportError:  # mcp 1.x
            from mcp.client.streamable_http import streamablehttp_client
            async with streamablehttp_client(url, headers=headers, timeout=600) as streams:
                yield streams[0], streams[1]
    finally:
        server.terminate()
        server.wait(timeout=30)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--task", default="wa-churn")
    parser.add_argument("--starling", default=".build/debug/starling")
    parser.add_argument("--run-seconds", type=int, default=60)
    parser.add_argument("--http", action="store_true", help="streamable HTTP with a token instead of stdio")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="mcp-session-")
    async with connect(args, work) as (read, write):
        async with ClientSession(read, write) as session:
            info = await session.initialize()
            server_info = field(info, "serverInfo", "server_info")
            show("initialize", f"server {server_info.name} {server_info.version}, protocol {field(info, 'protocolVersion', 'protocol_version')}")
            tools = await session.list_tools()
            show("tools/list", ", ".join(tool.name for tool in tools.tools))
            resources = await session.list_resources()
            show("resources/list", f"{len(resources.resources)} resources, e.g. {resources.resources[0].uri}")
            text, _ = await call(session, "list_tasks", {})
            tasks = json.loads(text)["tasks"]
            show("list_tasks", f"{len(tasks)} tasks: " + ", ".join(t["id"] for t in tasks[:8]) + " …")
            started = time.time()
            text, _ = await call(session, "describe_task", {"task": args.task})
            show(f"describe_task {args.task} ({time.time() - started:.1f} s)", text, 900)
            started = time.time()
            text, is_error = await call(session, "run_python", {"task": args.task, "code": SCRIPT})
            record = json.loads(text)
            show(f"run_python ({time.time() - started:.1f} s, isError={is_error})",
                 json.dumps({k: record.get(k) for k in ("script_id", "exit_code", "wall_seconds", "peak_memory_mb", "dev_score", "error", "output_tail")}, indent=1))
            script = record["script_id"]
            for tool in ("validate_submission", "score_dev"):
                text, _ = await call(session, tool, {"task": args.task, "script_id": script})
                show(tool, text)
            text, _ = await call(session, "check_leakage", {"script_id": script})
            show("check_leakage", text)
            for attempt in range(1, 8):
                text, is_error = await call(session, "grade_final", {"task": args.task, "script_id": script})
                if attempt in (1, 6, 7):
                    show(f"grade_final #{attempt} (isError={is_error})", text)
            text, _ = await call(session, "start_run", {"task": args.task, "time": f"{args.run_seconds}s", "strategy": "examples"})
            run = json.loads(text)["run_id"]
            show("start_run", text, 400)
            await asyncio.sleep(args.run_seconds / 3)
            text, _ = await call(session, "run_status", {"run_id": run})
            show("run_status (while it runs)", text, 900)
            text, _ = await call(session, "stop_run", {"run_id": run})
            show("stop_run", text, 900)
            text, _ = await call(session, "report", {"run": run})
            show("report", text)
            text, _ = await call(session, "describe_task", {"task": "no-such-task"})
            show("describe_task no-such-task", text, 300)


asyncio.run(main())
