"""``events [--since T] [--until T] [-f FILTER]... [--format T]``: the engine's events, live."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from ..parsing.units import unix_time
from .common_options import FILTER, Filters
from .grammar import value
from .registry import command


@command(
    "events",
    "Get real time events from the server (until --until, or Ctrl-C / interrupting the kernel)",
    family="system",
)
@dataclass(frozen=True)
class EventsSpec:
    """``since``/``until`` are unix seconds (strings), fixed when the line is parsed, as the CLI
    fixes a relative time when it starts."""

    since: Annotated[
        str | None,
        value(
            "--since",
            help="Show all events created since timestamp (2024-01-02T15:04:05Z, unix seconds, or 42m)",
            convert=unix_time,
        ),
    ] = None
    until: Annotated[
        str | None,
        value("--until", help="Stream events until this timestamp (or relative, e.g. 0s)", convert=unix_time),
    ] = None
    filters: Annotated[Filters, FILTER] = ()
    format: Annotated[
        str | None, value("--format", help="Format output using a custom template: 'json', or a Go template")
    ] = None
