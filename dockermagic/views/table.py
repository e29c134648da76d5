"""A table that prints like the docker CLI's and renders as an escaped HTML table.

Rows are plain dicts; ``columns`` names which keys to show and their headers.
The text face pads columns with three spaces, as the CLI's tabwriter does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .base import View, escape, mask_text


class Table(View):
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
        return [row.get(self.id_key) for row in self.rows]

    def cell(self, row: dict, key: str) -> str:
        value = row.get(key, "")
        return "" if value is None else mask_text(str(value))

    def text(self) -> str:
        headers = [h for _, h in self.columns]
        body = [[self.cell(r, k) for k, _ in self.columns] for r in self.rows]
        widths = [
            max([len(h)] + [len(b[i]) for b in body]) for i, h in enumerate(headers)
        ]
        lines = []
        for cells in [headers] + body:
            padded = [
                c.ljust(widths[i]) if i < len(cells) - 1 else c
                for i, c in enumerate(cells)
            ]
            lines.append("   ".join(padded).rstrip())
        return "\n".join(lines)

    def html(self) -> str:
        head = "".join(
            f"<th style='text-align:left'>{escape(h)}</th>" for _, h in self.columns
        )
        body = "".join(
            "<tr>"
            + "".join(
                f"<td style='text-align:left'>{escape(self.cell(r, k))}</td>"
                for k, _ in self.columns
            )
            + "</tr>"
            for r in self.rows
        )
        caption = (
            f"<caption style='text-align:left'>{escape(self.title)}</caption>"
            if self.title
            else ""
        )
        return f"<table class='dockermagic-table'>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

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

    def widget(self):
        """The HTML table under a sort-by menu; sorting happens in Python on the escaped face."""
        import ipywidgets as w

        by = w.Dropdown(
            options=[("(as listed)", "")] + [(h, k) for k, h in self.columns],
            description="Sort by",
        )
        desc = w.ToggleButton(value=False, description="descending")
        out = w.HTML(value=self.html())
        out.add_class("dm-table")

        def resort(_change=None):
            out.value = (self.sorted(by.value, desc.value) if by.value else self).html()

        by.observe(resort, names="value")
        desc.observe(resort, names="value")
        return w.VBox([w.HBox([by, desc]), out])


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
    return (
        float(m.group(1)) * _UNITS[m.group(2)] if m and m.group(2) in _UNITS else None
    )
