"""What every list command returns: ids or names for ``-q``, a Go template per row for
``--format``, else the table."""

from __future__ import annotations

from ..templates import render
from ..views.base import Text
from ..views.table import Table


def listed(rows: list[dict], columns: list[tuple[str, str]], key: str, quiet: bool, template: str | None):
    """``rows`` as ``-q`` (the ``key`` column), ``--format TEMPLATE`` or a table keyed by ``key``."""
    if quiet:
        return Text("\n".join(r[key] for r in rows))
    if template:
        return formatted(rows, template, columns)
    return Table(columns, rows, id_key=key)


def formatted(rows: list[dict], template: str, columns) -> Text | Table:
    """``--format``: a Go template per row; ``table ...`` keeps headers, as the CLI does."""
    if template.startswith("table"):
        body = template[5:].strip() or "\t".join("{{." + k + "}}" for k, _ in columns)
        headers = {k: h for k, h in columns}
        keys = [part.strip()[3:-2] for part in body.split("\\t") if part.strip().startswith("{{.")]
        chosen = [(k, headers.get(k, k.upper())) for k in keys]
        return Table(chosen, rows)
    return Text("\n".join(render(template.replace("\\t", "\t").replace("\\n", "\n"), r) for r in rows))
