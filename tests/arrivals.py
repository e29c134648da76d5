"""A stand-in for the cell's stdout that notes when each write came: streaming tests look at
WHEN output arrives, not only at what arrives."""

from __future__ import annotations

import time


class Arrivals:
    def __init__(self) -> None:
        self.writes: list[tuple[float, str]] = []

    def write(self, text: str) -> int:
        self.writes.append((time.time(), text))
        return len(text)

    def flush(self) -> None:
        pass

    def text(self) -> str:
        return "".join(t for _, t in self.writes)

    def when(self, needle: str) -> float | None:
        """The wall-clock time at which ``needle`` had fully arrived; None if it never did."""
        seen = ""
        for stamp, text in self.writes:
            seen += text
            if needle in seen:
                return stamp
        return None

    def arrived(self, needle: str) -> float:
        """``when``, for a needle that must have arrived."""
        stamp = self.when(needle)
        if stamp is None:
            raise AssertionError(f"{needle!r} never reached the output; got {self.text()!r}")
        return stamp
