"""A blocking stream read in a thread, so that Ctrl-C always lands.

A kernel interrupt is a SIGINT, which Python handles between bytecodes or when a blocked system
call returns. If it arrives just before the main thread blocks in a read of a quiet stream, the
read is not woken and the interrupt waits for the next byte, which may never come. Here the
main thread only ever waits in short steps, and ``close`` ends the stream the thread reads.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

Closer = Callable[[], None]
_ENDED = object()


class Background:
    """The items of ``open_stream(on_open)``, read in a thread; ``on_open`` is given the
    function that closes the stream."""

    def __init__(self, open_stream: Callable[[Callable[[Closer], None]], Iterable[Any]]):
        self.queue: queue.Queue[Any] = queue.Queue()
        self.lock = threading.Lock()
        self.closer: Closer | None = None
        self.closed = False
        self.thread = threading.Thread(target=self._read, args=(open_stream,), daemon=True)
        self.thread.start()

    def _read(self, open_stream: Callable[[Callable[[Closer], None]], Iterable[Any]]) -> None:
        try:
            for item in open_stream(self._opened):
                self.queue.put(item)
        except Exception as exc:  # raised again in the caller's thread, unless it closed us
            if not self.closed:
                self.queue.put(exc)
        finally:
            self.queue.put(_ENDED)

    def _opened(self, closer: Closer) -> None:
        with self.lock:
            self.closer = closer
            if self.closed:
                closer()

    def __iter__(self) -> Iterator[Any]:
        while True:
            try:
                item = self.queue.get(timeout=0.2)  # short waits: Ctrl-C lands between them
            except queue.Empty:
                continue
            if item is _ENDED:
                return
            if isinstance(item, Exception):
                raise item
            yield item

    def close(self) -> None:
        with self.lock:
            self.closed = True
            closer = self.closer
        if closer is not None:
            closer()
        self.thread.join(timeout=5)
