"""Reference solution: reformat input/report.sql with sqlparse."""
from pathlib import Path

import sqlparse

source = Path("input/report.sql").read_text(encoding="utf-8")
formatted = sqlparse.format(source, keyword_case="upper", reindent=True, strip_comments=True)
Path("output").mkdir(exist_ok=True)
Path("output/formatted.sql").write_text(formatted.rstrip() + "\n", encoding="utf-8")
