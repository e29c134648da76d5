"""A table that prints like the docker CLI's and renders as an escaped HTML table.

Rows are plain dicts; ``columns`` names which keys to show and their headers.
The text face pads columns with three spaces, as the CLI's tabwriter does.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from .base import View, escape


class Table(View):
    def __init__(self, columns: Sequence[tuple[str, str]], rows: Iterable[dict],
                 title: str = "", id_key: str = "ID"):
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
        return "" if value is None else str(value)

    def text(self) -> str:
        headers = [h for _, h in self.columns]
        body = [[self.cell(r, k) for k, _ in self.columns] for r in self.rows]
        widths = [max([len(h)] + [len(b[i]) for b in body]) for i, h in enumerate(headers)]
        lines = []
        for cells in [headers] + body:
            padded = [c.ljust(widths[i]) if i < len(cells) - 1 else c for i, c in enumerate(cells)]
            lines.append("   ".join(padded).rstrip())
        return "\n".join(lines)

    def html(self) -> str:
        head = "".join(f"<th style='text-align:left'>{escape(h)}</th>" for _, h in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td style='text-align:left'>{escape(self.cell(r, k))}</td>"
                             for k, _ in self.columns) + "</tr>"
            for r in self.rows
        )
        caption = f"<caption style='text-align:left'>{escape(self.title)}</caption>" if self.title else ""
        return f"<table class='dockermagic-table'>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
