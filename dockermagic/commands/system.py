"""version, info, system df, system prune, and ``--version``: what the engine is and holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from .common_options import Filters
from .grammar import Parsed, flag, value
from .pruning import FILTER as PRUNE_FILTER
from .pruning import FORCE, confirmed
from .registry import command

FORMAT = value("-f", "--format", help="Format the output using a Go template, or 'json'")


@command("version", "Show the Docker client and engine version information")
@dataclass(frozen=True)
class VersionSpec:
    format: Annotated[str | None, FORMAT] = None


@command("--version", "Print the client and engine versions, one line each", aliases=("-v",))
@dataclass(frozen=True)
class ShortVersionSpec:
    """``%docker --version``: one line for the client, one for the engine."""


@command("info", "Display system-wide information")
@dataclass(frozen=True)
class InfoSpec:
    format: Annotated[str | None, FORMAT] = None


@command("system df", "Show docker disk usage")
@dataclass(frozen=True)
class DfSpec:
    verbose: Annotated[bool, flag("-v", "--verbose", help="Show detailed information on space usage")] = False


@dataclass(frozen=True)
class SystemPruneSpec:
    all: Annotated[bool, flag("-a", "--all", help="Remove all unused images not just dangling ones")] = False
    volumes: Annotated[bool, flag("--volumes", help="Prune volumes")] = False
    filters: Annotated[Filters, PRUNE_FILTER] = ()


@command("system prune", "Remove unused data (-f required: a notebook has no prompt)", [FORCE])
def system_prune(p: Parsed) -> SystemPruneSpec:
    removes = (
        "all stopped containers, all networks not used by a container, "
        + ("all volumes not used by a container, " if p.volumes else "")
        + ("all images without a container" if p.all else "all dangling images")
        + " and the build cache"
    )
    return confirmed(SystemPruneSpec, p, "system prune", removes)
