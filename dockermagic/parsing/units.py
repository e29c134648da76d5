"""Sizes, CPU counts, durations and times, read as the docker CLI reads them.

Each converter raises ``ValueError`` with the words to write instead; the
grammar turns that into the one-line "invalid argument" error of its flag.
"""

from __future__ import annotations

import math
import re
import time
from datetime import datetime
from decimal import Decimal

INT64_MAX = 2**63 - 1  # the engine's JSON numbers are Go int64s

_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4, "p": 1024**5}
# go-units' RAMInBytes: a number, at most one space, a binary unit, an optional "i" and "b".
# Bounded digit runs, and the text stripped first, keep the match linear on hostile input.
_MEMORY = re.compile(r"(\d{1,30}(?:\.\d{1,30})?) ?([kmgtp]?)i?b?")


def memory_bytes(text: str) -> int:
    """``512m``, ``1g``, ``1.5GiB``, ``1048576`` -> bytes (binary units, as the CLI reads them)."""
    m = _MEMORY.fullmatch(text.strip().lower())
    if not m:
        raise ValueError("use a number with an optional unit b, k, m, g, t (e.g. 512m)")
    size = int(Decimal(m.group(1)) * _UNITS[m.group(2)])
    if size > INT64_MAX:
        raise ValueError("too large for the engine (at most 8 exabytes)")
    return size


def nano_cpus(text: str) -> int:
    """``0.5``, ``2`` -> billionths of a CPU, the engine's NanoCpus."""
    cpus = float(text)
    if not math.isfinite(cpus) or cpus < 0 or cpus > 1e6:
        raise ValueError("use a number of CPUs such as 0.5 or 2")
    return int(round(cpus * 1e9))


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_NS = {"ns": 1, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9}
_RELATIVE = re.compile(r"(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+")


def duration_ns(text: str) -> int:
    """Go durations (``30s``, ``1m30s``, ``500ms``) -> nanoseconds."""
    if text == "0":
        return 0
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError("use a duration such as 30s, 1m30s or 500ms")
    total = sum(float(n) * _NS[u] for n, u in parts)
    if not total < INT64_MAX:  # also inf
        raise ValueError("too long for the engine (at most about 292 years)")
    return int(total)


def seconds(text: str) -> float:
    """A plain number of seconds (``30``, ``2.5``) or a Go duration (``1m30s``)."""
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    return duration_ns(text) / 1e9


def unix_time(text: str, now: float | None = None) -> str:
    """``--since``/``--until``: unix seconds as the API wants them (a string).

    Accepts a duration back from ``now`` (``42m``, ``1h30m``), unix seconds, or
    an RFC 3339 date or date-time (``2024-01-02``, ``2024-01-02T15:04:05Z``;
    local time when no zone is given).
    """
    value = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return value
    if _RELATIVE.fullmatch(value):
        now = time.time() if now is None else now
        return f"{now - duration_ns(value) / 1e9:.9f}"
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("use e.g. 42m, 2h, a unix time or 2024-01-02T15:04:05Z") from None
    if when.tzinfo is None:
        when = when.astimezone()
    return f"{when.timestamp():.9f}"
