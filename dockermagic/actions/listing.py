"""What every list command returns: ids or names for ``-q``, a Go template per row for
``--format``, else the table."""

from __future__ import annotations

from ..views.base import Text
from ..views.table import Table
from .containers import formatted


def listed(rows: list[dict], columns: list[tuple[str, str]], key: str, quiet: bool, template: str | None):
    """``rows`` as ``-q`` (the ``key`` column), ``--format TEMPLATE`` or a table keyed by ``key``."""
    if quiet:
        return Text("\n".join(r[key] for r in rows))
    if template:
        return formatted(rows, template, columns)
    return Table(columns, rows, id_key=key)
