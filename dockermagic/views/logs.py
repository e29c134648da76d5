"""Container logs: a bounded buffer of the last lines, older ones spilled to a file.

A chatty container must neither freeze the browser nor fill the kernel's
memory, so ``LogBuffer`` keeps only the last ``keep`` lines in memory and
appends older ones to a temporary file (``saved_path``) that is created the
first time a line is spilled. ``LogsView`` shows the kept lines: plain text,
or escaped HTML with stderr lines marked.
"""

from __future__ import annotations

import os
import tempfile
from collections import deque
from itertools import islice, repeat
from operator import itemgetter
from typing import TextIO

from .base import View, escape, mask_text

STDERR = 2


class LogBuffer:
    """The last ``keep`` lines as (stream, text); the rest goes to a file on disk."""

    def __init__(self, keep: int = 1000, spill: bool = True):
        self.keep = max(1, int(keep))
        self.lines: deque[tuple[int, str]] = deque(maxlen=self.keep)
        self.total = 0
        self.spilled = 0
        self.spill = spill
        self._file: TextIO | None = None
        self.saved_path: str | None = None

    def add(self, stream: int, text: str) -> None:
        self.extend(stream, [text])

    def extend(self, stream: int, lines: list[str]) -> None:
        """Add many lines of one stream at once (what the engine reads comes in batches)."""
        if not lines:
            return
        self.total += len(lines)
        overflow = len(self.lines) + len(lines) - self.keep
        if overflow > 0:
            # the oldest kept lines that the new ones push out (maxlen drops them), then any new
            # ones that do not fit either; loops in C, as a batch can be thousands of lines
            old = list(map(itemgetter(1), islice(self.lines, min(overflow, len(self.lines)))))
            old.extend(lines[: max(0, len(lines) - self.keep)])
            self.spilled += len(old)
            if self.spill:
                self._spill_many(old)
            lines = lines[-self.keep :]
        self.lines.extend(zip(repeat(stream), lines))

    def _spill_many(self, lines: list[str]) -> None:
        if self._file is None:
            fd, self.saved_path = tempfile.mkstemp(prefix="dockermagic-logs-", suffix=".log")
            self._file = os.fdopen(fd, "w", encoding="utf-8", buffering=1 << 16)
        self._file.write("\n".join(lines) + "\n")

    def close(self) -> None:
        """Flush the spill file (it stays on disk for the user to read)."""
        if self._file is not None:
            self._file.close()
            self._file = None


class LogsView(View):
    """What ``%docker logs`` returns. ``lines`` are the kept lines; ``saved_path`` holds earlier ones."""

    def __init__(
        self,
        buffer: LogBuffer,
        container: str = "",
        following: bool = False,
        note: str = "",
        echoed: bool = False,
    ):
        self.buffer = buffer
        self.container = container
        self.following = following
        self.note = note
        self.echoed = echoed  # a terminal already streamed the lines: text() only summarizes

    @property
    def lines(self) -> list[str]:
        return [text for _, text in self.buffer.lines]

    @property
    def saved_path(self) -> str | None:
        """The file with the lines that no longer fit the buffer (None when nothing spilled)."""
        self.buffer.close()
        return self.buffer.saved_path

    def __len__(self) -> int:
        return len(self.buffer.lines)

    def __iter__(self):
        return iter(self.lines)

    def _header(self) -> str:
        b = self.buffer
        if not b.spilled:
            return ""
        where = f" in {b.saved_path}" if b.saved_path else ""
        return f"[{b.spilled} earlier lines not shown{where}; the last {len(b.lines)} of {b.total} follow]"

    def _footer(self) -> str:
        if self.following:
            return f"[following {self.container}…]"
        return f"[{self.note}]" if self.note else ""

    def _empty(self) -> str:
        """One line for a log with nothing in it (an empty output reads as a failure)."""
        whose = f" from {self.container}" if self.container else ""
        if self.following:
            return f"[no log lines{whose} yet; following…]"
        return f"[no log lines{whose}{'; ' + self.note if self.note else ''}]"

    def text(self) -> str:
        if not self.buffer.total:
            # the CLI prints nothing for an empty log; the HTML and widget faces say so in one line
            return self._empty() if self.following else ""
        if self.echoed:
            return f"[{self.buffer.total} lines; the last {len(self.buffer.lines)} are on .lines" + (
                f", earlier ones in {self.buffer.saved_path}]" if self.buffer.saved_path else "]"
            )
        parts = [p for p in (self._header(), mask_text("\n".join(self.lines)), self._footer()) if p]
        return "\n".join(parts)

    def html(self) -> str:
        if not self.buffer.total:
            return f"<div class='dockermagic-logs dm-logs-empty' style='opacity:.7'>{escape(self._empty())}</div>"
        body = "\n".join(
            f"<span class='dm-stderr' style='color:#c0392b'>{escape(mask_text(t))}</span>"
            if s == STDERR
            else escape(mask_text(t))
            for s, t in self.buffer.lines
        )
        head = (
            f"<div class='dm-logs-head' style='opacity:.7'>{escape(self._header())}</div>"
            if self._header()
            else ""
        )
        foot = (
            f"<div class='dm-logs-foot' style='opacity:.7'>{escape(self._footer())}</div>"
            if self._footer()
            else ""
        )
        return (
            f"<div class='dockermagic-logs'>{head}<pre style='max-height:30em;overflow:auto;"
            f"white-space:pre-wrap'>{body}</pre>{foot}</div>"
        )
