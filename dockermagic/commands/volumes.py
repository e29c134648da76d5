"""volume ls/create/rm/inspect/prune: one spec per command."""

from __future__ import annotations

from dataclasses import dataclass

from .common_options import DRIVER_OPTS
from .grammar import Parsed, Positional, flag, repeated, value
from .networks import INSPECT_OPTIONS, LIST_OPTIONS, pairs
from .pruning import PRUNE_OPTIONS, Filters, confirmed, frozen_filters
from .registry import command


@dataclass(frozen=True)
class VolumeLsSpec:
    quiet: bool = False
    filters: Filters = ()
    format: str | None = None


@dataclass(frozen=True)
class VolumeCreateSpec:
    name: str | None
    driver: str = "local"
    labels: tuple[tuple[str, str], ...] = ()
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class VolumeRmSpec:
    names: tuple[str, ...]
    force: bool = False


@dataclass(frozen=True)
class VolumeInspectSpec:
    names: tuple[str, ...]
    format: str | None = None


@dataclass(frozen=True)
class VolumePruneSpec:
    all: bool = False
    filters: Filters = ()


# parallel to network ls/create: the CLI words their options differently, so each keeps its own
@command("volume ls", "List volumes", LIST_OPTIONS, aliases=("volume list",))
def volume_ls(p: Parsed) -> VolumeLsSpec:
    return VolumeLsSpec(p.quiet, frozen_filters(p.filter), p.format)


@command(
    "volume create",
    "Create a volume",
    [
        value("-d", "--driver", help="Specify volume driver name", default="local"),
        repeated("--label", help="Set metadata for a volume"),
        DRIVER_OPTS,
    ],
    [Positional("volume", required=False)],
)
def volume_create(p: Parsed) -> VolumeCreateSpec:
    return VolumeCreateSpec(p.volume, p.driver, pairs(p.label, "--label"), pairs(p.opt, "--opt"))


@command(
    "volume rm",
    "Remove one or more volumes",
    [flag("-f", "--force", help="Force the removal of one or more volumes")],
    [Positional("volume", many=True)],
)
def volume_rm(p: Parsed) -> VolumeRmSpec:
    return VolumeRmSpec(tuple(p.volume), p.force)


# volume rm and volume inspect: the registry's declaration form, not repeated logic
@command(
    "volume inspect",
    "Display detailed information on one or more volumes",
    INSPECT_OPTIONS,
    [Positional("name", many=True)],
)
def volume_inspect(p: Parsed) -> VolumeInspectSpec:
    return VolumeInspectSpec(tuple(p.name), p.format)


@command(
    "volume prune",
    "Remove unused local volumes (-f required: a notebook has no prompt)",
    [
        flag("-a", "--all", help="Remove all unused volumes, not just anonymous ones (API 1.42+)"),
        *PRUNE_OPTIONS,
    ],
)
def volume_prune(p: Parsed) -> VolumePruneSpec:
    return VolumePruneSpec(p.all, confirmed(p, "volume prune", "local volumes not used by a container"))
