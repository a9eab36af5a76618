"""Replays real LLM requests of a run against llama-server under several speculative-decoding
settings and reports, per setting, prompt and generation tokens per second and seconds per call.

The requests come from a run made with STARLING_LLM_LOG=DIR (DIR/exchanges.jsonl holds every
request and reply). Each setting gets a fresh server with the same model, context and threads, and
the requests are sent one after another in their original order, so prompt caching behaves as in
the run. Temperature and seed are replayed as recorded.

Usage:
    python3 bench/spec_decoding.py --log runs/demo-llm/exchanges.jsonl --limit 6 \
        none ngram-mod ngram-simple "ngram-mod --spec-ngram-mod-n-max 16 --spec-ngram-mod-n-min 4"
Prints one JSON line per setting, then the generation speed of each setting over the first's.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HOME = Path(os.environ.get("STARLING_HOME", Path.home() / ".cache" / "starling"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url: str, body: dict, timeout: float = 900) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def wait_healthy(url: str, process: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"llama-server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("llama-server did not become healthy")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("settings", nargs="+", help="a --spec-type value (or 'none'), optionally with more server flags")
    parser.add_argument("--log", required=True, help="exchanges.jsonl written by a run with STARLING_LLM_LOG")
    parser.add_argument("--limit", type=int, default=6, help="requests to replay")
    parser.add_argument("--model", default=str(HOME / "llm" / "models" / "qwen2.5-coder-1.5b.gguf"))
    parser.add_argument("--server", default=str(HOME / "llm" / "bin" / "llama-server"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-threads", type=int, default=2)
    parser.add_argument("--context", type=int, default=8192)
    args = parser.parse_args()

    exchanges = [json.loads(line) for line in Path(args.log).read_text().splitlines() if line.strip()][: args.limit]
    if not exchanges:
        print(f"no requests in {args.log}", file=sys.stderr)
        return 2
    results = []
    for setting in args.settings:
        words = shlex.split(setting)
        spec = [] if words[0] == "none" else ["--spec-type", words[0]]
        port = free_port()
        command = [args.server, "--host", "127.0.0.1", "--port", str(port), "-m", args.model, "-c", str(args.context),
                   "-np", "1", "-t", str(args.threads), "-tb", str(args.batch_threads), "--no-webui"] + spec + words[1:]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process)
            prompt_tokens = prompt_ms = gen_tokens = gen_ms = 0.0
            wall = 0.0
            for exchange in exchanges:
                body = {"messages": exchange["messages"], "max_tokens": 1000, "stream": False}
                if exchange.get("temperature") is not None:
                    body["temperature"] = exchange["temperature"]
                if exchange.get("seed") is not None:
                    body["seed"] = exchange["seed"]
                started = time.monotonic()
                reply = post(url + "/v1/chat/completions", body)
                wall += time.monotonic() - started
                timings = reply.get("timings", {})
                prompt_tokens += timings.get("prompt_n", 0)
                prompt_ms += timings.get("prompt_ms", 0)
                gen_tokens += timings.get("predicted_n", 0)
                gen_ms += timings.get("predicted_ms", 0)
            row = {
                "setting": setting, "requests": len(exchanges),
                "prompt_tok_s": round(prompt_tokens / max(prompt_ms / 1000, 1e-9), 1),
                "gen_tok_s": round(gen_tokens / max(gen_ms / 1000, 1e-9), 1),
                "generated": int(gen_tokens), "s_per_call": round(wall / len(exchanges), 1),
            }
            results.append(row)
            print(json.dumps(row), flush=True)
        finally:
            process.terminate()
            process.wait(timeout=30)
    for row in results[1:]:
        print(f"gen_tok_s {row['setting']!r} / {results[0]['setting']!r}: {row['gen_tok_s'] / max(results[0]['gen_tok_s'], 1e-9):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
