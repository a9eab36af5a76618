"""Reference solution: render input/reservoirs.csv as a fancy_grid table with tabulate."""
import csv
from pathlib import Path

from tabulate import tabulate

with open("input/reservoirs.csv", newline="", encoding="utf-8") as handle:
    rows = list(csv.reader(handle))
header, body = rows[0], [[cell if cell != "" else None for cell in row] for row in rows[1:]]
table = tabulate(body, headers=header, tablefmt="fancy_grid", missingval="n/a")
Path("output").mkdir(exist_ok=True)
Path("output/reservoirs.txt").write_text(table + "\n", encoding="utf-8")
