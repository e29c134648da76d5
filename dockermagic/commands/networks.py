"""network ls/create/rm/connect/disconnect/inspect/prune: one spec per command."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from .common_options import DRIVER_OPTS, FORMAT, INSPECT_FORMAT, Filters, frozen_filters, frozen_mapping
from .grammar import Parsed, Positional, flag, repeated, value
from .pruning import FORCE, PruneFilters, confirmed
from .registry import command

Names = Annotated[tuple[str, ...], Positional("name", many=True)]


@dataclass(frozen=True)
class Listing:
    """What ``network ls`` and ``volume ls`` read: the same options, the same words."""

    quiet: Annotated[bool, flag("-q", "--quiet", help="Only display names/IDs")] = False
    filters: Annotated[
        Filters,
        repeated(
            "-f",
            "--filter",
            help="Provide filter values (e.g. 'driver=bridge')",
            metavar="filter",
            freeze=frozen_filters,
        ),
    ] = ()
    format: Annotated[str | None, FORMAT] = None


@dataclass(frozen=True)
class Inspection:
    """What ``network inspect`` and ``volume inspect`` read."""

    names: Names
    format: Annotated[str | None, INSPECT_FORMAT] = None


@command("network ls", "List networks", aliases=("network list",))
@dataclass(frozen=True)
class NetworkLsSpec(Listing):
    pass


@command("network create", "Create a network")
@dataclass(frozen=True)
class NetworkCreateSpec:
    name: Annotated[str, Positional("network")]
    driver: Annotated[str, value("-d", "--driver", help="Driver to manage the Network")] = "bridge"
    subnets: Annotated[
        tuple[str, ...], repeated("--subnet", help="Subnet in CIDR format that represents a network segment")
    ] = ()
    gateways: Annotated[
        tuple[str, ...], repeated("--gateway", help="IPv4 or IPv6 Gateway for the master subnet")
    ] = ()
    labels: Annotated[
        tuple[tuple[str, str], ...],
        repeated("--label", help="Set metadata on a network", freeze=frozen_mapping("--label")),
    ] = ()
    internal: Annotated[bool, flag("--internal", help="Restrict external access to the network")] = False
    attachable: Annotated[bool, flag("--attachable", help="Enable manual container attachment")] = False
    options: Annotated[tuple[tuple[str, str], ...], DRIVER_OPTS] = ()


@command("network connect", "Connect a container to a network")
@dataclass(frozen=True)
class NetworkConnectSpec:
    network: Annotated[str, Positional("network")]
    container: Annotated[str, Positional("container")]
    aliases: Annotated[
        tuple[str, ...], repeated("--alias", help="Add network-scoped alias for the container")
    ] = ()
    ip: Annotated[str | None, value("--ip", help="IPv4 address (e.g., 172.30.100.104)")] = None


@command("network disconnect", "Disconnect a container from a network")
@dataclass(frozen=True)
class NetworkDisconnectSpec:
    network: Annotated[str, Positional("network")]
    container: Annotated[str, Positional("container")]
    force: Annotated[bool, flag("-f", "--force", help="Force the container to disconnect from a network")] = (
        False
    )


@command("network rm", "Remove one or more networks")
@dataclass(frozen=True)
class NetworkRmSpec:
    names: Annotated[tuple[str, ...], Positional("network", many=True)]


@command("network inspect", "Display detailed information on one or more networks")
@dataclass(frozen=True)
class NetworkInspectSpec(Inspection):
    pass


@dataclass(frozen=True)
class NetworkPruneSpec(PruneFilters):
    pass


@command("network prune", "Remove all unused networks (-f required: a notebook has no prompt)", [FORCE])
def network_prune(p: Parsed) -> NetworkPruneSpec:
    return confirmed(NetworkPruneSpec, p, "network prune", "all custom networks not used by a container")
