"""version, info, system df, system prune, and ``--version``: what the engine is and holds."""

from __future__ import annotations

from dataclasses import dataclass

from .grammar import Parsed, flag, value
from .pruning import PRUNE_OPTIONS, Filters, confirmed
from .registry import command

FORMAT = value("-f", "--format", help="Format the output using a Go template, or 'json'")


@dataclass(frozen=True)
class VersionSpec:
    format: str | None = None


@dataclass(frozen=True)
class ShortVersionSpec:
    """``%docker --version``: one line for the client, one for the engine."""


@dataclass(frozen=True)
class InfoSpec:
    format: str | None = None


# one spec per command (session's and session rm's look alike): dispatch is by spec type
@dataclass(frozen=True)
class DfSpec:
    verbose: bool = False


@dataclass(frozen=True)
class SystemPruneSpec:
    all: bool = False
    volumes: bool = False
    filters: Filters = ()


@command("version", "Show the Docker client and engine version information", [FORMAT])
def version(p: Parsed) -> VersionSpec:
    return VersionSpec(p.format)


@command("--version", "Print the client and engine versions, one line each", aliases=("-v",))
def short_version(p: Parsed) -> ShortVersionSpec:
    return ShortVersionSpec()


@command("info", "Display system-wide information", [FORMAT])
def info(p: Parsed) -> InfoSpec:
    return InfoSpec(p.format)


@command(
    "system df",
    "Show docker disk usage",
    [
        flag("-v", "--verbose", help="Show detailed information on space usage"),
    ],
)
def system_df(p: Parsed) -> DfSpec:
    return DfSpec(p.verbose)


# system df's and system prune's declarations: same form, the CLI's own options each
@command(
    "system prune",
    "Remove unused data (-f required: a notebook has no prompt)",
    [
        flag("-a", "--all", help="Remove all unused images not just dangling ones"),
        flag("--volumes", help="Prune volumes"),
        *PRUNE_OPTIONS,
    ],
)
def system_prune(p: Parsed) -> SystemPruneSpec:
    removes = (
        "all stopped containers, all networks not used by a container, "
        + ("all volumes not used by a container, " if p.volumes else "")
        + ("all images without a container" if p.all else "all dangling images")
        + " and the build cache"
    )
    return SystemPruneSpec(p.all, p.volumes, confirmed(p, "system prune", removes))
