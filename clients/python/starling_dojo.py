"""A client for Starling's gym server (`starling serve`), standard library only.

    from starling_dojo import DojoClient

    client = DojoClient("http://127.0.0.1:8080")
    with client.make("wa-churn", max_steps=10) as env:
        print(env.observation["feedback"])
        result = env.execute_code(open("solution.py").read())
        print(result.reward, result.info["partial_credit"], result.observation["feedback"])
        final = env.submit()
        print(final.info["final"]["test_score"])

Every server error raises `DojoError`, whose message says what to change.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, NamedTuple

__all__ = ["DojoClient", "DojoError", "Environment", "StepResult"]


class DojoError(Exception):
    """A request the server refused: HTTP status, error code, and what to fix."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class StepResult(NamedTuple):
    """Gymnasium's five-tuple."""

    observation: dict[str, Any]
    reward: float
    terminated: bool
    truncated: bool
    info: dict[str, Any]


class DojoClient:
    """Talks to one server. `timeout` is per request: a step runs a script, so allow for it.
    `token` is the bearer token a server off loopback needs (default: $STARLING_GYM_TOKEN)."""

    def __init__(self, base_url: str = "http://127.0.0.1:8080", timeout: float = 3600.0,
                 token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.token = token if token is not None else os.environ.get("STARLING_GYM_TOKEN") or None

    def request(self, method: str, path: str, body: Any = None, *, data: bytes | None = None,
                content_type: str = "application/json") -> Any:
        """Sends a request and returns the decoded JSON answer; raises DojoError on 4xx/5xx."""
        if body is not None:
            data = json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                detail = json.loads(payload)["error"]
                raise DojoError(error.code, detail.get("code", "error"), detail.get("message", "")) from None
            except (ValueError, KeyError, TypeError):
                raise DojoError(error.code, "http_error", payload.decode("utf-8", "replace")[:500]) from None

    def health(self) -> dict[str, Any]:
        """`GET /health`: {"status": "running"}."""
        return self.request("GET", "/health")

    def tasks(self) -> list[dict[str, Any]]:
        """`GET /tasks`: the tasks the server offers."""
        return self.request("GET", "/tasks")["tasks"]

    def make(self, task: str, **options: Any) -> "Environment":
        """`POST /envs`: a new environment. Options: score_mode, max_steps, execution_timeout,
        memory_mb, reveal_test_score, partial_credit, seed."""
        answer = self.request("POST", "/envs", {"task": task, "options": options})
        return Environment(self, answer["id"], answer["observation"], answer["info"])

    def environments(self) -> list[dict[str, Any]]:
        """`GET /envs`: every environment's summary."""
        return self.request("GET", "/envs")["environments"]

    def validate(self, submission: str | bytes, task: str | None = None, env: str | None = None) -> dict[str, Any]:
        """`POST /validate`: whether a submission (a path, or the file's bytes) is valid for a task
        or for an environment's view; never a score."""
        if isinstance(submission, bytes):
            content = submission
        else:
            with open(submission, "rb") as handle:
                content = handle.read()
        boundary = "starling-" + uuid.uuid4().hex
        fields: list[tuple[str, str | None, bytes]] = [("file", "submission.csv", content)]
        if task:
            fields.append(("task", None, task.encode()))
        if env:
            fields.append(("env", None, env.encode()))
        body = b""
        for name, filename, value in fields:
            disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
            body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return self.request("POST", "/validate", data=body, content_type=f"multipart/form-data; boundary={boundary}")


class Environment:
    """One environment. Use it as a context manager to delete it on the way out."""

    def __init__(self, client: DojoClient, env_id: str, observation: dict[str, Any], info: dict[str, Any]) -> None:
        self.client = client
        self.id = env_id
        self.observation = observation
        self.info = info

    def step(self, action: str, **params: Any) -> StepResult:
        """`POST /envs/{id}/step`."""
        answer = self.client.request("POST", f"/envs/{urllib.parse.quote(self.id)}/step", {"action": action, "params": params})
        self.observation = answer["observation"]
        return StepResult(answer["observation"], answer["reward"], answer["terminated"], answer["truncated"], answer["info"])

    def request_info(self, info_type: str = "all") -> StepResult:
        return self.step("request_info", info_type=info_type)

    def validate_code(self, code: str) -> StepResult:
        return self.step("validate_code", code=code)

    def execute_code(self, code: str) -> StepResult:
        return self.step("execute_code", code=code)

    def get_history(self) -> StepResult:
        return self.step("get_history")

    def reset(self) -> StepResult:
        return self.step("reset")

    def submit(self, step: int | None = None) -> StepResult:
        return self.step("submit", **({"step": step} if step is not None else {}))

    def state(self) -> dict[str, Any]:
        """`GET /envs/{id}`: the environment's summary."""
        return self.client.request("GET", f"/envs/{urllib.parse.quote(self.id)}")

    def close(self) -> dict[str, Any] | None:
        """`DELETE /envs/{id}`; an environment already gone is not an error."""
        try:
            return self.client.request("DELETE", f"/envs/{urllib.parse.quote(self.id)}")
        except DojoError as error:
            if error.status == 404:
                return None
            raise

    def __enter__(self) -> "Environment":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
