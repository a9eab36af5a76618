"""HTTP proxy between aideml and a local OpenAI-compatible server (llama-server).

Starling starts it outside the sandbox. It listens on a Unix socket that the sandboxed aideml
reaches through `aideml_launch.py`, forwards every request to the upstream server over TCP, and
appends one JSON line per request to a log (tokens, latency, status), which is how a bench cell
counts aideml's LLM use.

Modes:
  passthrough  requests and replies go through unchanged ("aideml").
  adapter      a chat request that forces a tool call (`tool_choice` naming a function) is sent
               as a `response_format` json_schema request built from that tool's parameters,
               and the JSON reply is handed back as that tool call ("aideml + adapter").
               llama-server rejects `tool_choice` given as an object; without this aideml's
               review step gets plain text and fails.

Usage: aideml_proxy.py --socket PATH --upstream http://127.0.0.1:PORT --mode MODE --log FILE
Only the standard library is used.
"""

import argparse
import http.client
import json
import os
import signal
import socketserver
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

FORCED_REPLY_TOKEN_CAP = 1024


def forced_tool(body: dict) -> dict | None:
    """The tool a request forces, or None when it forces none."""
    choice = body.get("tool_choice")
    if not isinstance(choice, dict):
        return None
    name = (choice.get("function") or {}).get("name")
    for tool in body.get("tools") or []:
        function = tool.get("function") or {}
        if function.get("name") == name:
            return function
    return None


def rewrite_request(body: dict) -> tuple[dict, str | None]:
    """Turns a forced tool call into a json_schema request; returns the body and the tool name."""
    tool = forced_tool(body)
    if tool is None:
        return body, None
    name = tool["name"]
    schema = tool.get("parameters") or {"type": "object"}
    rewritten = {k: v for k, v in body.items() if k not in ("tools", "tool_choice", "parallel_tool_calls")}
    rewritten["response_format"] = {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}
    if not rewritten.get("max_tokens"):
        rewritten["max_tokens"] = FORCED_REPLY_TOKEN_CAP
    fields = ", ".join(sorted((schema.get("properties") or {}).keys()))
    instruction = (f"Answer by calling the function `{name}`: {tool.get('description', '')} "
                   f"Reply with only a JSON object with the fields {fields}.")
    messages = [dict(m) for m in rewritten.get("messages") or []]
    messages.append({"role": "user", "content": instruction})
    rewritten["messages"] = messages
    return rewritten, name


def rewrite_reply(reply: dict, tool_name: str) -> dict:
    """Hands a json_schema reply back as the forced tool call."""
    for index, choice in enumerate(reply.get("choices") or []):
        message = choice.get("message") or {}
        arguments = message.get("content") or "{}"
        choice["message"] = {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": f"call_{index}", "type": "function",
                            "function": {"name": tool_name, "arguments": arguments}}],
        }
        choice["finish_reason"] = "tool_calls"
    return reply


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "starling-aideml-proxy"

    def address_string(self) -> str:  # Unix sockets have no peer address
        return "aideml"

    def log_message(self, fmt: str, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.forward(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.forward(self.rfile.read(length))

    def forward(self, raw: bytes | None) -> None:
        config = self.server.config
        started = time.time()
        tool_name = None
        entry = {"time": started, "path": self.path, "mode": config.mode}
        body = None
        if raw is not None and config.mode == "adapter":
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            if isinstance(body, dict):
                body, tool_name = rewrite_request(body)
                if tool_name:
                    raw = json.dumps(body).encode()
                    entry["rewritten_tool"] = tool_name
        upstream = urllib.parse.urlsplit(config.upstream)
        path = self.path
        base = upstream.path.rstrip("/")
        if base and not path.startswith(base):
            path = base + path
        status, payload, content_type = 502, b"", "application/json"
        try:
            connection = http.client.HTTPConnection(upstream.hostname, upstream.port or 80, timeout=config.timeout)
            headers = {"Content-Type": "application/json"}
            connection.request(self.command, path, body=raw, headers=headers)
            response = connection.getresponse()
            status, payload = response.status, response.read()
            content_type = response.getheader("Content-Type") or content_type
            connection.close()
        except OSError as error:
            payload = json.dumps({"error": {"message": f"proxy: upstream {config.upstream} failed: {error}"}}).encode()
            entry["error"] = str(error)
        if status == 200 and raw is not None:
            try:
                reply = json.loads(payload)
                usage = reply.get("usage") or {}
                entry["prompt_tokens"] = usage.get("prompt_tokens", 0)
                entry["completion_tokens"] = usage.get("completion_tokens", 0)
                timings = reply.get("timings") or {}
                for key in ("prompt_per_second", "predicted_per_second"):
                    if key in timings:
                        entry[key] = round(float(timings[key]), 2)
                if tool_name:
                    payload = json.dumps(rewrite_reply(reply, tool_name)).encode()
            except (ValueError, AttributeError) as error:
                entry["error"] = f"unreadable reply: {error}"
        elif status != 200:
            entry["error"] = payload[:300].decode("utf-8", "replace")
        entry["status"] = status
        entry["seconds"] = round(time.time() - started, 3)
        with config.lock:
            with open(config.log, "a") as log:
                log.write(json.dumps(entry) + "\n")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--mode", choices=["passthrough", "adapter"], default="passthrough")
    parser.add_argument("--log", required=True)
    parser.add_argument("--timeout", type=float, default=1800)
    config = parser.parse_args()
    # A parent may have left SIGTERM blocked or ignored; the proxy must die when told to.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    config.lock = threading.Lock()
    if os.path.exists(config.socket):
        os.unlink(config.socket)
    server = Server(config.socket, Proxy)
    server.config = config
    os.chmod(config.socket, 0o666)
    print(f"aideml proxy ({config.mode}) on {config.socket} -> {config.upstream}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
