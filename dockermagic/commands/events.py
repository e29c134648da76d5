"""``events [--since T] [--until T] [-f FILTER]... [--format T]``: the engine's events, live."""

from __future__ import annotations

from dataclasses import dataclass

from ..parsing.units import unix_time
from .common_options import FILTER
from .grammar import Parsed, value
from .pruning import Filters, frozen_filters
from .registry import command


@dataclass(frozen=True)
class EventsSpec:
    """``since``/``until`` are unix seconds (strings), fixed when the line is parsed, as the CLI
    fixes a relative time when it starts."""

    since: str | None = None
    until: str | None = None
    filters: Filters = ()
    format: str | None = None


@command(
    "events",
    "Get real time events from the server (until --until, or Ctrl-C / interrupting the kernel)",
    [
        FILTER,
        value("--format", help="Format output using a custom template: 'json', or a Go template"),
        value(
            "--since",
            help="Show all events created since timestamp (2024-01-02T15:04:05Z, unix seconds, or 42m)",
            convert=unix_time,
        ),
        value("--until", help="Stream events until this timestamp (or relative, e.g. 0s)", convert=unix_time),
    ],
    family="system",
)
def events(p: Parsed) -> EventsSpec:
    return EventsSpec(p.since, p.until, frozen_filters(p.filter), p.format)
