"""``stats [-a] [--no-stream] [--format T] [CONTAINER...]``."""

from __future__ import annotations

from dataclasses import dataclass

from .grammar import Parsed, Positional, flag, value
from .registry import command


@dataclass(frozen=True)
class StatsSpec:
    containers: tuple[str, ...] = ()
    all: bool = False
    no_stream: bool = False
    template: str | None = None


@command(
    "stats",
    "Display a live stream of containers' resource usage (Ctrl-C stops it and returns the last snapshot)",
    [
        flag("-a", "--all", help="Show all containers (default shows just running)"),
        flag("--no-stream", help="Disable streaming stats and only pull the first result"),
        value(
            "--format",
            help="Format output using a custom template ('table', 'table TEMPLATE' or a Go template)",
        ),
    ],
    [Positional("container", required=False, many=True)],
    family="container",
)
def stats(p: Parsed) -> StatsSpec:
    return StatsSpec(tuple(p.container or ()), bool(p.all), bool(p.no_stream), p.format)
