"""Reference solution: convert input/field-guide.md to an HTML fragment with Python-Markdown."""
from pathlib import Path

import markdown

source = Path("input/field-guide.md").read_text(encoding="utf-8")
html = markdown.markdown(source, extensions=["tables", "fenced_code", "toc"])
Path("output").mkdir(exist_ok=True)
Path("output/field-guide.html").write_text(html + "\n", encoding="utf-8")
