"""``compose logs``: each container's lines prefixed by its name, as compose prints them.

Without ``-f`` the containers are read one after the other, in start order. With ``-f`` they are
followed at once, a thread each, their lines merged as they arrive, until Ctrl-C (which ends
every stream) or until every container has stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..engine.logs import Batch, collect, log_batches
from ..views.logs import LogBuffer, LogsView
from .background import Background
from .logs import followed


def compose_logs(
    session, title: str, containers: list[tuple[str, str]], follow: bool, **options: Any
) -> LogsView:
    """``containers`` are (name, id) pairs; ``options`` go to ``log_batches`` (tail, since, timestamps)."""
    width = max((len(name) for name, _ in containers), default=0)
    prefixes = [(name.ljust(width) + "  | ", cid) for name, cid in containers]
    buffer = LogBuffer()
    if not follow:
        for prefix, cid in prefixes:
            collect(_prefixed(log_batches(session.api, cid, **options), prefix), buffer)
        buffer.close()
        return LogsView(buffer, title)

    def opener(cid: str, prefix: str):
        return lambda on_open: _prefixed(
            log_batches(session.api, cid, follow=True, on_open=on_open, **options), prefix
        )

    merged = Background(*(opener(cid, prefix) for prefix, cid in prefixes))
    view = LogsView(buffer, title, following=True)
    return followed(session, view, merged, buffer, ended="every container stopped")


def _prefixed(batches: Iterator[Batch], prefix: str) -> Iterator[Batch]:
    for stream, lines in batches:
        yield stream, [prefix + line for line in lines]
