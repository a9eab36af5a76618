#!/usr/bin/env python3
"""Replays edit requests whose first reply repeated the code unchanged (from the exchanges a run
logged with STARLING_LLM_LOG) and measures how often each re-ask policy gets a changed reply.

Policies:
  continue  the conversation goes on: the echoed reply as the assistant's turn, then the re-ask
            (what Starling did up to this commit);
  fresh     a new conversation: the first prompt with the note of prompts/edit_echo.md (an
            earlier answer changed nothing; the failing lines when known), no echoed reply in
            context (what Starling does since).

Usage: bench/echo_reask.py EXCHANGES.jsonl [EXCHANGES.jsonl ...] --url http://127.0.0.1:PORT/v1
       [--seeds 2] [--limit 8]
Prints one line per case and policy, then the share of changed replies per policy.
"""
import argparse
import json
import re
import time
import urllib.request
from pathlib import Path

# The note Starling appends to a fresh re-ask (prompts/edit_echo.md).
PROMPTS = Path(__file__).resolve().parent.parent / "Sources/StarlingAgents/Resources/prompts"
NOTE = (PROMPTS / "edit_echo.md").read_text()
# The re-ask after a reply, in the continued conversation (prompts/edit_retry.md).
RETRY = (PROMPTS / "edit_retry.md").read_text()


def code_block(text):
    match = re.search(r"```(?:python)?\n(.*?)```", text, re.S)
    return (match.group(1) if match else text).strip()


def squash(code):
    return re.sub(r"\s+", "", code)


def chat(url, messages, temperature, seed, max_tokens=1000):
    body = json.dumps({"messages": messages, "temperature": temperature, "seed": seed, "max_tokens": max_tokens}).encode()
    request = urllib.request.Request(url + "/chat/completions", body, {"Content-Type": "application/json"})
    started = time.time()
    with urllib.request.urlopen(request, timeout=600) as response:
        reply = json.load(response)
    return reply["choices"][0]["message"]["content"], time.time() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("logs", nargs="+")
    parser.add_argument("--url", required=True)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--limit", type=int, default=8)
    args = parser.parse_args()
    exchanges = [json.loads(line) for path in args.logs for line in open(path)]
    # An echo case: a first ask (2 messages) followed by a re-ask of the same step (4 messages) whose
    # retry text says the answer changed nothing.
    cases = []
    for first, second in zip(exchanges, exchanges[1:]):
        if len(first["messages"]) != 2 or second["step"] != first["step"]:
            continue
        if len(second["messages"]) == 4 and "changes nothing" in second["messages"][3]["content"]:
            cases.append((first, second))  # logged by a Starling that continued the conversation
        elif len(second["messages"]) == 2 and "returned the code unchanged" in second["messages"][1]["content"]:
            # Logged by a Starling that starts afresh: the continued re-ask is rebuilt as it was sent.
            lines = re.search(r"The lines that matter:\n```python\n.*?```\n", second["messages"][1]["content"], re.S)
            retry = RETRY.replace("{{problem}}", "Your answer changes nothing: it is the same code as before, so it would fail "
                                  "or score the same way again. Write a different version that really makes the change.") \
                .replace("{{focus_context}}", lines.group(0) if lines else "") \
                .replace("{{format_rule}}", "the complete new version of the function in a single ```python code block.")
            cases.append((first, {"messages": first["messages"] + [{"role": "assistant", "content": first["reply"]},
                                                                  {"role": "user", "content": retry}]}))
    cases = cases[: args.limit]
    changed = {"continue": 0, "fresh": 0}
    asked = {"continue": 0, "fresh": 0}
    for first, second in cases:
        echoed = squash(code_block(first["reply"]))
        retry = second["messages"][3]["content"]
        failing = "it fails with the error below" in first["messages"][1]["content"] or "failed with this error" in first["messages"][1]["content"]
        lines = re.search(r"The lines that matter:\n```python\n.*?```\n", retry, re.S)
        note = NOTE.replace("{{outcome}}", "fail the same way" if failing else "score the same") \
            .replace("{{focus_context}}", lines.group(0) if lines else "")
        policies = {
            "continue": second["messages"],
            "fresh": [first["messages"][0], {"role": "user", "content": first["messages"][1]["content"] + "\n\n" + note}],
        }
        for name, messages in policies.items():
            for seed in range(1, args.seeds + 1):
                reply, seconds = chat(args.url, messages, 0.7, seed)
                differs = squash(code_block(reply)) != echoed
                asked[name] += 1
                changed[name] += differs
                print(f"{first['step']:28s} {name:8s} seed {seed}: {'changed' if differs else 'ECHO   '} {seconds:5.1f} s", flush=True)
    for name in asked:
        print(f"{name}: {changed[name]} of {asked[name]} re-asks changed the code")


if __name__ == "__main__":
    main()
