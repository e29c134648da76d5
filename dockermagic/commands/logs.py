"""``logs [-f] [-n N] [-t] [--since T] [--until T] CONTAINER``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from ..parsing.units import unix_time
from .grammar import Positional, flag, value
from .registry import command


def _tail(text: str) -> str:
    if text == "all" or text.isdigit():
        return text
    raise ValueError("use a number of lines or 'all'")


def _keep(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValueError("use a positive number of lines")
    return int(text)


# shared with compose logs, which reads them as logs does
TAIL = value("-n", "--tail", help="Number of lines to show from the end of the logs", convert=_tail)
TIMESTAMPS = flag("-t", "--timestamps", help="Show timestamps")
SINCE = value(
    "--since",
    help="Show logs since a timestamp (2024-01-02T15:04:05Z) or relative (e.g. 42m)",
    convert=unix_time,
)


@command(
    "logs",
    "Fetch the logs of a container (-f follows until Ctrl-C or the container stops)",
    family="container",
)
@dataclass(frozen=True)
class LogsSpec:
    """``since``/``until`` are unix seconds (strings), converted when the line is parsed."""

    container: Annotated[str, Positional("container")]
    follow: Annotated[
        bool, flag("-f", "--follow", help="Follow log output (Ctrl-C / interrupt the kernel to stop)")
    ] = False
    tail: Annotated[str, TAIL] = "all"
    timestamps: Annotated[bool, TIMESTAMPS] = False
    details: Annotated[bool, flag("--details", help="Show extra details provided to logs")] = False
    since: Annotated[str | None, SINCE] = None
    until: Annotated[
        str | None,
        value("--until", help="Show logs before a timestamp or relative (e.g. 42m)", convert=unix_time),
    ] = None
    keep: Annotated[
        int,
        value(
            "--keep",
            help="(dockermagic) Lines kept in view; earlier ones go to a file (view.saved_path)",
            convert=_keep,
        ),
    ] = 1000
