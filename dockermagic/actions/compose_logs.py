"""``compose logs``: each container's lines prefixed by its name, as compose prints them.

Without ``-f`` the containers are read one after the other, in start order. With ``-f`` they are
followed at once, a thread each, their lines merged as they arrive, until Ctrl-C (which ends
every stream) or until every container has stopped.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

from ..engine.logs import Batch, collect, log_batches
from ..views.logs import LogBuffer, LogsView
from .logs import followed

_ENDED = object()


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

    view = LogsView(buffer, title, following=True)
    return followed(
        session, view, Merged(session.api, prefixes, options), buffer, ended="every container stopped"
    )


def _prefixed(batches: Iterator[Batch], prefix: str) -> Iterator[Batch]:
    for stream, lines in batches:
        yield stream, [prefix + line for line in lines]


class Merged:
    """Several containers' followed logs as one iterable of batches; ``close`` ends every stream."""

    def __init__(self, api: Any, prefixes: list[tuple[str, str]], options: dict[str, Any]):
        self.queue: queue.Queue[Any] = queue.Queue()
        self.lock = threading.Lock()
        self.closers: list[Callable[[], None]] = []
        self.closed = False
        self.threads = [
            threading.Thread(target=self._read, args=(api, cid, prefix, options), daemon=True)
            for prefix, cid in prefixes
        ]
        for thread in self.threads:
            thread.start()

    def _read(self, api: Any, cid: str, prefix: str, options: dict[str, Any]) -> None:
        try:
            batches = log_batches(api, cid, follow=True, on_open=self._opened, **options)
            for batch in _prefixed(batches, prefix):
                self.queue.put(batch)
        except Exception as exc:  # raised again in the reading thread, unless we closed it
            if not self.closed:
                self.queue.put(exc)
        finally:
            self.queue.put(_ENDED)

    def _opened(self, closer: Callable[[], None]) -> None:
        with self.lock:
            self.closers.append(closer)
            if self.closed:
                closer()

    def __iter__(self) -> Iterator[Batch]:
        running = len(self.threads)
        while running:
            try:
                item = self.queue.get(timeout=0.2)  # short waits: Ctrl-C lands between them
            except queue.Empty:
                continue
            if item is _ENDED:
                running -= 1
            elif isinstance(item, Exception):
                raise item
            else:
                yield item

    def close(self) -> None:
        with self.lock:
            self.closed = True
            closers = list(self.closers)
        for closer in closers:
            closer()
        for thread in self.threads:
            thread.join(timeout=5)
