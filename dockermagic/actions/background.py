"""Blocking stream reads in threads, so that Ctrl-C always lands.

A kernel interrupt is a SIGINT, which Python handles between bytecodes or when a blocked system
call returns. If it arrives just before the main thread blocks in a read of a quiet stream, the
read is not woken and the interrupt waits for the next byte, which may never come. Here the
main thread only ever waits in short steps, and ``close`` ends every stream the threads read.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

Closer = Callable[[], None]
Opener = Callable[[Callable[[Closer], None]], Iterable[Any]]
_ENDED = object()
WAITING = 16  # items read ahead of the caller at most: memory stays bounded when it falls behind


class Background:
    """The items of each ``open_stream(on_open)``, read in a thread each and merged as they come;
    ``on_open`` is given the function that closes that stream. Iteration ends when all have ended."""

    def __init__(self, *open_streams: Opener):
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=WAITING)
        self.lock = threading.Lock()
        self.closers: list[Closer] = []
        self.closed = False
        self.threads = [threading.Thread(target=self._read, args=(o,), daemon=True) for o in open_streams]
        for thread in self.threads:
            thread.start()

    def _read(self, open_stream: Opener) -> None:
        try:
            for item in open_stream(self._opened):
                self._put(item)
        except Exception as exc:  # raised again in the caller's thread, unless it closed us
            if not self.closed:
                self._put(exc)
        finally:
            self._put(_ENDED)

    def _put(self, item: Any) -> None:
        """Wait for room, in short steps: a reader the caller has closed must not wait forever."""
        while not self.closed:
            try:
                self.queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def _opened(self, closer: Closer) -> None:
        with self.lock:
            self.closers.append(closer)
            if self.closed:
                closer()

    def __iter__(self) -> Iterator[Any]:
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
