"""A table that prints like the docker CLI's and renders as an escaped HTML table.

Rows are plain dicts; ``columns`` names which keys to show and their headers.
The text face pads columns with three spaces, as the CLI's tabwriter does.

The HTML face needs no script: cells are spaced, a long value is shortened
by CSS (an ellipsis) with the whole value in its ``title`` (shown on hover),
and one click selects a cell's whole value, so copying it takes the full
text, not the shortened one. The widget face puts clickable headers over the
same HTML: a click sorts by that column, the arrow shows the direction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import DockerMagicError
from .base import View, escape, mask_text


class Table(View):
    minwidth = 10  # the narrowest column of the text face (``top`` sets 20, as the CLI does)

    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        rows: Iterable[dict],
        title: str = "",
        id_key: str = "ID",
    ):
        self.columns = list(columns)  # (key, header)
        self.rows = list(rows)
        self.title = title
        self.id_key = id_key

    # behave like the list of rows it holds
    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    @property
    def ids(self) -> list[str]:
        return [str(row.get(self.id_key, "")) for row in self.rows]

    def cell(self, row: dict, key: str) -> str:
        value = row.get(key, "")
        return "" if value is None else mask_text(str(value))

    def text(self) -> str:
        """The CLI's table: header and rows through its tabwriter (columns at least 10 wide, 3 apart)."""
        cells = [[h for _, h in self.columns]]
        cells += [[self.cell(r, k) for k, _ in self.columns] for r in self.rows]
        lines = ["\t".join(c.replace("\t", " ") for c in line) for line in cells]
        return self.tabwritten(lines, self.minwidth)

    @staticmethod
    def tabwritten(lines: list[str], minwidth: int = 10, padding: int = 3) -> str:
        """Go's text/tabwriter as the CLI sets it up (``NewWriter(out, minwidth, 1, padding, ' ', 0)``).

        Cells end at tabs; the text after a line's last tab is not a cell and is not padded, so a
        line whose last cell is empty keeps its trailing spaces, as the CLI prints it. A column
        is as wide as its widest cell plus the padding, over each block of consecutive lines
        that have that column.
        """
        rows = [line.split("\t") for line in "\n".join(lines).split("\n")]
        out = [[] for _ in rows]  # type: list[list[str]]
        _tab_columns(rows, out, 0, len(rows), 0, minwidth, padding)
        return "\n".join("".join(parts) + row[-1] for parts, row in zip(out, rows, strict=True))

    def _widths(self) -> list[int]:
        """Each column's width in characters: its longest value, at most ``WIDEST``."""
        return [
            min(WIDEST, max([len(h)] + [len(self.cell(r, k)) for r in self.rows])) + 2
            for k, h in self.columns
        ]

    def html(self, widths: list[int] | None = None) -> str:
        """The static face (columns as wide as their values, up to ``WIDEST`` characters).

        ``widths``: fixed column widths in characters and no header row, for
        the widget, whose header buttons have those widths.
        """
        head = "".join(f"<th style='{_CELL}'>{escape(h)}</th>" for _, h in self.columns)
        body = "".join(
            "<tr>"
            + "".join(
                f"<td style='{_CELL}' title='{escape(v)}'><span style='user-select:all'>{escape(v)}</span></td>"
                if len(v) > WIDEST
                else f"<td style='{_CELL}'><span style='user-select:all'>{escape(v)}</span></td>"
                for v in (self.cell(r, k) for k, _ in self.columns)
            )
            + "</tr>"
            for r in self.rows
        )
        caption = f"<caption style='text-align:left'>{escape(self.title)}</caption>" if self.title else ""
        if widths is None:
            layout, top = "auto", f"<thead><tr>{head}</tr></thead>"
        else:
            layout = "fixed"
            top = "<colgroup>" + "".join(f"<col style='width:{w}ch'>" for w in widths) + "</colgroup>"
        return (
            f"<table class='dockermagic-table' style='table-layout:{layout};border-collapse:collapse'>"
            f"{caption}{top}<tbody>{body}</tbody></table>"
        )

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame, one column per header (pandas is optional)."""
        try:
            import pandas as pd
        except ImportError:
            raise DockerMagicError("to_pandas() needs pandas: pip install pandas") from None
        return pd.DataFrame(
            [[self.cell(r, k) for k, _ in self.columns] for r in self.rows],
            columns=[h for _, h in self.columns],
        )

    # -- sorting (the widget face) -------------------------------------------------
    def sort_key(self, key: str):
        """Numbers sort as numbers, human sizes ("1.2MB") by bytes, the rest as text."""

        def k(row):
            value = row.get(key, "")
            if isinstance(value, (int, float)):
                return (0, float(value), "")
            size = _parse_size(str(value))
            if size is not None:
                return (0, size, "")
            return (1, 0.0, "" if value is None else str(value).lower())

        return k

    def sorted(self, key: str, reverse: bool = False) -> Table:
        """A copy sorted by column ``key`` (a row key or a header)."""
        key = {h: k for k, h in self.columns}.get(key, key)
        return Table(
            self.columns,
            sorted(self.rows, key=self.sort_key(key), reverse=reverse),
            title=self.title,
            id_key=self.id_key,
        )

    def widget(self) -> Any:
        """Header buttons over the HTML table: a click sorts by that column (▲, ▼, then as listed)."""
        import ipywidgets as w

        widths = self._widths()
        order: list[Any] = [None, False]  # (column key, descending) or None for as listed
        out = w.HTML(value=self.html(widths))
        out.add_class("dm-table")
        buttons = [
            w.Button(description=h, tooltip=f"sort by {h}", layout=w.Layout(width=f"{width}ch", margin="0"))
            for (_, h), width in zip(self.columns, widths, strict=True)
        ]

        def clicked(button: Any) -> None:
            key = self.columns[buttons.index(button)][0]
            if order[0] != key:
                order[:] = [key, False]
            elif not order[1]:
                order[1] = True
            else:
                order[:] = [None, False]
            for b, (k, h) in zip(buttons, self.columns, strict=True):
                b.description = h + (" ▼" if order[1] else " ▲") if k == order[0] else h
            shown = self.sorted(order[0], order[1]) if order[0] else self
            out.value = shown.html(widths)

        for b in buttons:
            b.on_click(clicked)
        # one scroll area for headers and rows: a wide table scrolls as a whole, its headers over their columns
        out.layout = w.Layout(width="max-content", overflow="visible")
        head = w.HBox(buttons, layout=w.Layout(width="max-content", overflow="visible"))
        return w.VBox([head, out], layout=w.Layout(overflow_x="auto"))


def _tab_columns(rows, out, first: int, last: int, column: int, minwidth: int, padding: int) -> None:
    """Pad column ``column`` of ``rows[first:last]`` block by block, then the columns right of it."""
    line = first
    while line < last:
        if column >= len(rows[line]) - 1:
            line += 1
            continue
        start = line
        width = minwidth
        while line < last and column < len(rows[line]) - 1:
            width = max(width, len(rows[line][column]) + padding)
            line += 1
        for i in range(start, line):
            out[i].append(rows[i][column].ljust(width))
        _tab_columns(rows, out, start, line, column + 1, minwidth, padding)


WIDEST = 40  # characters of a value shown before the ellipsis (the whole value is on hover)
_CELL = (
    f"text-align:left;padding:.25em 1em .25em 0;white-space:nowrap;overflow:hidden;max-width:{WIDEST}ch;"
    "text-overflow:ellipsis;vertical-align:top"
)

_UNITS = {
    "B": 1,
    "kB": 1e3,
    "KB": 1e3,
    "MB": 1e6,
    "GB": 1e9,
    "TB": 1e12,
    "KiB": 1024,
    "MiB": 1024**2,
    "GiB": 1024**3,
    "TiB": 1024**4,
}


def _parse_size(text: str):
    import re

    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kKMGT]?i?B)\s*(?:\(.*\))?", text)
    return float(m.group(1)) * _UNITS[m.group(2)] if m and m.group(2) in _UNITS else None
