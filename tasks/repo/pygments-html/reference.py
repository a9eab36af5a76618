"""Reference solution: highlight input/inventory.py as HTML with Pygments."""
from pathlib import Path

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

source = Path("input/inventory.py").read_text(encoding="utf-8")
formatter = HtmlFormatter(style="monokai", linenos="inline")
Path("output").mkdir(exist_ok=True)
Path("output/inventory.html").write_text(highlight(source, PythonLexer(), formatter), encoding="utf-8")
Path("output/style.css").write_text(formatter.get_style_defs(".highlight") + "\n", encoding="utf-8")
