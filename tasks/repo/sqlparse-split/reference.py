"""Reference solution: split input/migration.sql into typed statements with sqlparse."""
import json
from pathlib import Path

import sqlparse

source = Path("input/migration.sql").read_text(encoding="utf-8")
records = []
for statement in sqlparse.parse(source):
    text = str(statement).strip()
    if not text:
        continue
    records.append({"index": len(records), "type": statement.get_type(), "statement": text})
Path("output").mkdir(exist_ok=True)
Path("output/statements.json").write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
