"""``%docker session``: a table of what a kernel created, holding handles to reattach."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .table import Table

COLUMNS = (
    ("kind", "KIND"),
    ("name", "NAME"),
    ("id", "ID"),
    ("state", "STATE"),
    ("kernel", "KERNEL"),
    ("on_exit", "ON EXIT"),
)


class SessionTable(Table):
    """Rows as the session view shows them; ``view["name"]`` is the handle of that container.

    ``handles`` maps a container's name to a handle the caller made (``.logs()``,
    ``.stop()``...); this module only holds them, it never creates one.
    """

    def __init__(
        self,
        rows: Iterable[dict],
        title: str,
        handles: dict[str, Any] | None = None,
        columns: Sequence[tuple[str, str]] = COLUMNS,
    ):
        super().__init__(columns, rows, title=title, id_key="id")
        self.handles = dict(handles or {})

    @property
    def containers(self) -> list[Any]:
        return list(self.handles.values())

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return self.handles[key]
            except KeyError:
                raise KeyError(
                    f"no container named {key!r} here: {', '.join(self.handles) or 'none'}"
                ) from None
        return super().__getitem__(key)

    def text(self) -> str:
        if not self.rows:
            return f"{self.title}: nothing"
        return f"{self.title}\n{super().text()}"
