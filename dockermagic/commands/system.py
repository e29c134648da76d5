"""version, info, system df, system prune, and ``--version``: what the engine is and holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from .common_options import Filters
from .grammar import flag, refused, value
from .pruning import FILTER as PRUNE_FILTER
from .pruning import prune
from .registry import command

FORMAT = value("-f", "--format", help="Format the output using a Go template, or 'json'")


@command(
    "version",
    "Show the Docker client and engine version information",
    [
        refused(
            "--kubeconfig",
            reason="it configured the Kubernetes orchestrator that docker 20.10 deprecated; "
            "%docker talks to one Docker engine",
        )
    ],
)
@dataclass(frozen=True)
class VersionSpec:
    format: Annotated[str | None, FORMAT] = None


@command("--version", "Print the client and engine versions, one line each", aliases=("-v",))
@dataclass(frozen=True)
class ShortVersionSpec:
    """``%docker --version``: one line for the client, one for the engine."""


@command("info", "Display system-wide information", family="system")
@dataclass(frozen=True)
class InfoSpec:
    format: Annotated[str | None, FORMAT] = None


@command("system df", "Show docker disk usage")
@dataclass(frozen=True)
class DfSpec:
    verbose: Annotated[bool, flag("-v", "--verbose", help="Show detailed information on space usage")] = False
    format: Annotated[
        str | None, value("--format", help="Format output using a Go template ('table ...' for a table)")
    ] = None


def _unused_data(spec: SystemPruneSpec) -> str:
    return (
        "all stopped containers, all networks not used by a container, "
        + ("all volumes not used by a container, " if spec.volumes else "")
        + ("all images without a container" if spec.all else "all dangling images")
        + " and the build cache"
    )


@prune("system prune", "Remove unused data", _unused_data)
@dataclass(frozen=True)
class SystemPruneSpec:
    all: Annotated[bool, flag("-a", "--all", help="Remove all unused images not just dangling ones")] = False
    volumes: Annotated[bool, flag("--volumes", help="Prune volumes")] = False
    filters: Annotated[Filters, PRUNE_FILTER] = ()
