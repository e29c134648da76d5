"""``stats [-a] [--no-stream] [--format T] [CONTAINER...]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from .grammar import Positional, flag, value
from .registry import command


@command(
    "stats",
    "Display a live stream of containers' resource usage (Ctrl-C stops it and returns the last snapshot)",
    family="container",
)
@dataclass(frozen=True)
class StatsSpec:
    containers: Annotated[tuple[str, ...], Positional("container", required=False, many=True)] = ()
    all: Annotated[bool, flag("-a", "--all", help="Show all containers (default shows just running)")] = False
    no_stream: Annotated[
        bool, flag("--no-stream", help="Disable streaming stats and only pull the first result")
    ] = False
    template: Annotated[
        str | None,
        value(
            "--format",
            help="Format output using a custom template ('table', 'table TEMPLATE' or a Go template)",
        ),
    ] = None
    no_trunc: Annotated[bool, flag("--no-trunc", help="Do not truncate output")] = False
