#!/usr/bin/env python3
"""Load files written by `starling export trajectories` the way a trainer would.

Each file is read with `datasets.load_dataset("json", data_files=...)`. Chat files are checked
with TRL's `is_conversational` and rendered with `apply_chat_template`; preference files with
`is_conversational`, `extract_prompt` and `apply_chat_template` (which reads the prompt /
chosen / rejected keys of a preference example). The chat template is a small one written
here, so no model has to be downloaded. Needs `pip install datasets transformers` and
`pip install --no-deps trl` (TRL's data helpers do not need PyTorch).

    python check_training_data.py --steps steps.jsonl --chat chat.jsonl --preference pairs.jsonl
"""
from __future__ import annotations

import argparse
import sys


def tokenizer():
    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    tok = PreTrainedTokenizerFast(tokenizer_object=Tokenizer(models.WordLevel({"[UNK]": 0}, unk_token="[UNK]")))
    tok.chat_template = (
        "{% for message in messages %}<|{{ message['role'] }}|>\n{{ message['content'] }}\n{% endfor %}"
        "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
    )
    return tok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps")
    parser.add_argument("--chat")
    parser.add_argument("--preference")
    args = parser.parse_args()

    from datasets import load_dataset
    from trl.data_utils import apply_chat_template, extract_prompt, is_conversational

    tok = tokenizer()
    if args.steps:
        steps = load_dataset("json", data_files=args.steps, split="train")
        trajectories = len(set(steps["trajectory_id"]))
        print(f"steps: {len(steps)} rows, {trajectories} trajectories, columns {sorted(steps.column_names)}")
    if args.chat:
        chat = load_dataset("json", data_files=args.chat, split="train")
        conversational = sum(is_conversational(row) for row in chat)
        rendered = [apply_chat_template({"messages": row["messages"]}, tok) for row in chat]
        rewards = [r for r in chat["metadata"] if r["reward"] is not None]
        print(f"chat: {len(chat)} conversations, {conversational} conversational by TRL, {len(rendered)} rendered "
              f"with a chat template ({sum(len(r['text']) for r in rendered)} characters), {len(rewards)} with a reward")
        if conversational != len(chat):
            return 1
    if args.preference:
        pairs = load_dataset("json", data_files=args.preference, split="train")
        conversational = sum(is_conversational(row) for row in pairs)
        rendered = 0
        for row in pairs:
            example = {"prompt": row["prompt"], "chosen": row["chosen"], "rejected": row["rejected"]}
            # An implicit-prompt example (the prompt inside chosen and rejected) splits back into the same three keys.
            joined = extract_prompt({"chosen": row["prompt"] + row["chosen"], "rejected": row["prompt"] + row["rejected"]})
            assert joined["prompt"] == row["prompt"], "extract_prompt finds the shared prompt"
            out = apply_chat_template(example, tok)
            assert set(out) >= {"prompt", "chosen", "rejected"}, out.keys()
            rendered += 1
        print(f"preference: {len(pairs)} pairs, {conversational} conversational by TRL, {rendered} rendered as prompt/chosen/rejected")
        if conversational != len(pairs):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
