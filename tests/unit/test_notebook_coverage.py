"""The coverage table in notebooks/README.md stays true: every row points at a notebook cell that
does what the row says.

A row names a line of the lecture notes, the notebook and the id of the cell that covers it, a
string to look for in that cell's source, and how the cell covers it: ``run`` (a code cell stored
with the outputs of a real run: an execution count and at least one output) or ``text`` (a markdown
cell that states it, for what cannot run here, such as Oracle's Java).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
HEADING = "## Coverage of the notes"
ROW = re.compile(
    r"^\|\s*(\d+)\s*\|(.+?)\|\s*(\d\d)\s*\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|\s*(run|text)\s*\|\s*$"
)


def coverage_rows() -> list[tuple]:
    text = (NOTEBOOKS / "README.md").read_text(encoding="utf-8")
    assert HEADING in text, f"notebooks/README.md has no '{HEADING}' section"
    section = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
    rows, bad = [], []
    for line in section.splitlines():
        if not line.startswith("|") or set(line) <= set("|- ") or line.startswith("| line"):
            continue
        m = ROW.match(line)
        (rows if m else bad).append(m.groups() if m else line)
    assert not bad, f"rows that do not have the table's form: {bad}"
    return rows


def _cells(number: str) -> dict:
    found = sorted(NOTEBOOKS.glob(f"{number}-*.ipynb"))
    assert len(found) == 1, f"one notebook numbered {number} expected, found {found}"
    cells = json.loads(found[0].read_text(encoding="utf-8"))["cells"]
    return {cell.get("id"): cell for cell in cells}


ROWS = coverage_rows()


def test_the_table_covers_every_section_of_the_notes():
    assert len(ROWS) >= 57
    assert {row[2] for row in ROWS} == {"01", "02", "03", "04", "05", "06"}
    lines = [int(row[0]) for row in ROWS]
    assert lines == sorted(lines), "rows follow the notes' order"


@pytest.mark.parametrize(
    "line, topic, notebook, cell_id, look_for, kind", ROWS, ids=[f"{r[2]}-{r[3]}-{r[0]}" for r in ROWS]
)
def test_row_points_at_a_cell_that_does_it(line, topic, notebook, cell_id, look_for, kind):
    cells = _cells(notebook)
    assert cell_id in cells, f"notebook {notebook} has no cell with id {cell_id!r} ({topic.strip()})"
    cell = cells[cell_id]
    source = "".join(cell["source"])
    assert look_for in source, f"cell {cell_id} of notebook {notebook} does not contain {look_for!r}"
    if kind == "run":
        assert cell["cell_type"] == "code", f"cell {cell_id} is not a code cell"
        assert cell.get("execution_count"), f"cell {cell_id} of notebook {notebook} was never run"
        assert cell.get("outputs"), f"cell {cell_id} of notebook {notebook} has no stored output"
    else:
        assert cell["cell_type"] == "markdown", f"cell {cell_id}: a 'text' row points at prose"
