"""A scripted OpenAI-compatible model for tests that run `starling` processes.

Every chat request gets a reply from the list given with --reply (default: one short reply with
no code, so runs fall back to the model cards' examples and end quickly): the n-th time the same
messages arrive, the n-th reply (cycling), so runs that send the same request get different
answers. With --record FILE, each request's messages are appended to FILE as a JSON line.
Prints the port it listens on, then serves until killed."""
import argparse
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--reply", action="append", help="a reply (repeatable); @FILE reads it from FILE")
parser.add_argument("--record", help="append each request's messages to this JSON Lines file")
args = parser.parse_args()
replies = [open(r[1:]).read() if r.startswith("@") else r for r in (args.reply or ["I have no idea."])]
seen: dict[str, int] = {}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        request = json.loads(self.rfile.read(length) or b"{}")
        messages = request.get("messages", [])
        key = hashlib.sha256(json.dumps(messages, sort_keys=True).encode()).hexdigest()
        with lock:
            count = seen.get(key, 0)
            seen[key] = count + 1
            if args.record:
                with open(args.record, "a") as out:
                    out.write(json.dumps({"messages": messages}) + "\n")
        reply = replies[count % len(replies)]
        body = json.dumps({
            "id": "scripted", "object": "chat.completion", "model": "scripted",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 4, "total_tokens": 14},
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
