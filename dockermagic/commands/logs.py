"""``logs [-f] [-n N] [-t] [--since T] [--until T] CONTAINER``."""

from __future__ import annotations

from dataclasses import dataclass

from ..parsing.units import unix_time
from .grammar import Parsed, Positional, flag, value
from .registry import command


def _tail(text: str) -> str:
    if text == "all" or text.isdigit():
        return text
    raise ValueError("use a number of lines or 'all'")


def _keep(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValueError("use a positive number of lines")
    return int(text)


@dataclass(frozen=True)
class LogsSpec:
    """``since``/``until`` are unix seconds (strings), converted when the line is parsed."""

    container: str
    follow: bool = False
    tail: str = "all"
    timestamps: bool = False
    since: str | None = None
    until: str | None = None
    keep: int = 1000


@command(
    "logs",
    "Fetch the logs of a container (-f follows until Ctrl-C or the container stops)",
    [
        flag("-f", "--follow", help="Follow log output (Ctrl-C / interrupt the kernel to stop)"),
        value(
            "-n",
            "--tail",
            help="Number of lines to show from the end of the logs",
            default="all",
            convert=_tail,
        ),
        flag("-t", "--timestamps", help="Show timestamps"),
        value(
            "--since",
            help="Show logs since a timestamp (2024-01-02T15:04:05Z) or relative (e.g. 42m)",
            convert=unix_time,
        ),
        value("--until", help="Show logs before a timestamp or relative (e.g. 42m)", convert=unix_time),
        value(
            "--keep",
            help="(dockermagic) Lines kept in view; earlier ones go to a file (view.saved_path)",
            default="1000",
            convert=_keep,
        ),
    ],
    [Positional("container")],
    family="container",
)
def logs(p: Parsed) -> LogsSpec:
    return LogsSpec(p.container, p.follow, p.tail, p.timestamps, p.since, p.until, int(p.keep))
