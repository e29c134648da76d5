"""``docker history``: one row per image layer, newest first."""

from __future__ import annotations

import time

from .base import View, escape, human_size, mask_text
from .timefmt import ago


def _created_by(text: str, no_trunc: bool) -> str:
    text = mask_text((text or "").replace("\t", " "))  # before truncating: no half secret
    if no_trunc or len(text) <= 45:
        return text
    return text[:44] + "…"


class HistoryView(View):
    """``rows``: the Engine API's ``/images/{id}/history`` entries."""

    def __init__(self, rows: list[dict], no_trunc: bool = False, now: float | None = None):
        self.rows = rows
        self.no_trunc = no_trunc
        self.now = now

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def table_rows(self) -> list[dict]:
        now = self.now or time.time()
        out = []
        for r in self.rows:
            ident = r.get("Id") or "<missing>"
            # the CLI's TruncateID (Podman's ids come without "sha256:")
            if ident != "<missing>" and not self.no_trunc:
                ident = ident.removeprefix("sha256:")[:12]
            out.append(
                {
                    "IMAGE": ident,
                    "CREATED": ago(r.get("Created", 0), now),
                    "CREATED BY": _created_by(r.get("CreatedBy", ""), self.no_trunc),
                    "SIZE": human_size(r.get("Size", 0)),
                    "COMMENT": r.get("Comment", ""),
                }
            )
        return out

    def table(self):
        """The history as a Table (the CLI's columns), e.g. for ``.to_pandas()``."""
        from .table import Table

        cols = [(k, k) for k in ("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT")]
        return Table(cols, self.table_rows(), id_key="IMAGE")

    def text(self) -> str:
        return self.table().text()

    def to_pandas(self):
        """The rows as a pandas DataFrame, as the text face shows them (pandas is optional)."""
        return self.table().to_pandas()

    def html(self) -> str:
        now = self.now or time.time()
        body = []
        for r in self.rows:
            full = mask_text(r.get("CreatedBy", ""))
            short = _created_by(full, False)
            cmd = (
                f"<details><summary><code>{escape(short)}</code></summary><pre>{escape(full)}</pre></details>"
                if short != full
                else f"<code>{escape(full)}</code>"
            )
            ident = (r.get("Id") or "<missing>").replace("sha256:", "")[:12]
            body.append(
                f"<tr><td><code>{escape(ident)}</code></td><td>{escape(ago(r.get('Created', 0), now))}</td>"
                f"<td style='text-align:left'>{cmd}</td><td>{escape(human_size(r.get('Size', 0)))}</td>"
                f"<td>{escape(mask_text(r.get('Comment', '')))}</td></tr>"
            )
        return (
            "<table class='dockermagic-history'><thead><tr><th>IMAGE</th><th>CREATED</th>"
            "<th>CREATED BY</th><th>SIZE</th><th>COMMENT</th></tr></thead><tbody>"
            + "".join(body)
            + "</tbody></table>"
        )
