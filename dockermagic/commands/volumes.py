"""volume ls/create/rm/inspect/prune: one spec per command."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from .common_options import DRIVER_OPTS, KeyValues, key_values
from .grammar import Positional, flag, value
from .networks import Inspection, Listing
from .pruning import FILTER as PRUNE_FILTER
from .pruning import Filters, prune
from .refusals import swarm_cluster_volume
from .registry import command


@command("volume ls", "List volumes", [swarm_cluster_volume("--cluster")], aliases=("volume list",))
@dataclass(frozen=True)
class VolumeLsSpec(Listing):
    pass


@command(
    "volume create",
    "Create a volume",
    [
        swarm_cluster_volume(name)
        for name in (
            "--availability",
            "--group",
            "--limit-bytes",
            "--required-bytes",
            "--scope",
            "--secret",
            "--sharing",
            "--topology-preferred",
            "--topology-required",
            "--type",
        )
    ],
)
@dataclass(frozen=True)
class VolumeCreateSpec:
    name: Annotated[str | None, Positional("volume", required=False)]
    driver: Annotated[str, value("-d", "--driver", help="Specify volume driver name")] = "local"
    labels: Annotated[KeyValues, key_values("--label", help="Set metadata for a volume")] = ()
    options: Annotated[KeyValues, DRIVER_OPTS] = ()


@command("volume rm", "Remove one or more volumes", aliases=("volume remove",))
@dataclass(frozen=True)
class VolumeRmSpec:
    names: Annotated[tuple[str, ...], Positional("volume", many=True)]
    force: Annotated[bool, flag("-f", "--force", help="Force the removal of one or more volumes")] = False


@command("volume inspect", "Display detailed information on one or more volumes")
@dataclass(frozen=True)
class VolumeInspectSpec(Inspection):
    pass


@prune("volume prune", "Remove unused local volumes", "local volumes not used by a container")
@dataclass(frozen=True)
class VolumePruneSpec:
    all: Annotated[
        bool, flag("-a", "--all", help="Remove all unused volumes, not just anonymous ones (API 1.42+)")
    ] = False
    filters: Annotated[Filters, PRUNE_FILTER] = ()
