"""network ls/create/rm/connect/disconnect/inspect/prune: one spec per command."""

from __future__ import annotations

from dataclasses import dataclass

from ..parsing.keyvalue import mapping
from .common_options import DRIVER_OPTS, FORMAT, INSPECT_FORMAT
from .grammar import Parsed, Positional, flag, repeated, value
from .pruning import PRUNE_OPTIONS, Filters, confirmed, frozen_filters
from .registry import command

LIST_OPTIONS = [
    flag("-q", "--quiet", help="Only display names/IDs"),
    repeated("-f", "--filter", help="Provide filter values (e.g. 'driver=bridge')", metavar="filter"),
    FORMAT,
]
INSPECT_OPTIONS = [INSPECT_FORMAT]


def pairs(entries: list[str], flag: str) -> tuple[tuple[str, str], ...]:
    """``--label a=1 --label b`` -> ``(("a", "1"), ("b", ""))``, frozen for the spec."""
    return tuple(mapping(entries, flag).items())


@dataclass(frozen=True)
class NetworkLsSpec:
    quiet: bool = False
    filters: Filters = ()
    format: str | None = None


@dataclass(frozen=True)
class NetworkCreateSpec:
    name: str
    driver: str = "bridge"
    subnets: tuple[str, ...] = ()
    gateways: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    internal: bool = False
    attachable: bool = False
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class NetworkConnectSpec:
    network: str
    container: str
    aliases: tuple[str, ...] = ()
    ip: str | None = None


@dataclass(frozen=True)
class NetworkDisconnectSpec:
    network: str
    container: str
    force: bool = False


@dataclass(frozen=True)
class NetworkRmSpec:
    names: tuple[str, ...]


@dataclass(frozen=True)
class NetworkInspectSpec:
    names: tuple[str, ...]
    format: str | None = None


@dataclass(frozen=True)
class NetworkPruneSpec:
    filters: Filters = ()


@command("network ls", "List networks", LIST_OPTIONS, aliases=("network list",))
def network_ls(p: Parsed) -> NetworkLsSpec:
    return NetworkLsSpec(p.quiet, frozen_filters(p.filter), p.format)


@command(
    "network create",
    "Create a network",
    [
        value("-d", "--driver", help="Driver to manage the Network", default="bridge"),
        repeated("--subnet", help="Subnet in CIDR format that represents a network segment"),
        repeated("--gateway", help="IPv4 or IPv6 Gateway for the master subnet"),
        repeated("--label", help="Set metadata on a network"),
        flag("--internal", help="Restrict external access to the network"),
        flag("--attachable", help="Enable manual container attachment"),
        DRIVER_OPTS,
    ],
    [Positional("network")],
)
def network_create(p: Parsed) -> NetworkCreateSpec:
    return NetworkCreateSpec(
        p.network,
        p.driver,
        tuple(p.subnet),
        tuple(p.gateway),
        pairs(p.label, "--label"),
        p.internal,
        p.attachable,
        pairs(p.opt, "--opt"),
    )


@command(
    "network connect",
    "Connect a container to a network",
    [
        repeated("--alias", help="Add network-scoped alias for the container"),
        value("--ip", help="IPv4 address (e.g., 172.30.100.104)"),
    ],
    [Positional("network"), Positional("container")],
)
def network_connect(p: Parsed) -> NetworkConnectSpec:
    return NetworkConnectSpec(p.network, p.container, tuple(p.alias), p.ip)


@command(
    "network disconnect",
    "Disconnect a container from a network",
    [flag("-f", "--force", help="Force the container to disconnect from a network")],
    [Positional("network"), Positional("container")],
)
def network_disconnect(p: Parsed) -> NetworkDisconnectSpec:
    return NetworkDisconnectSpec(p.network, p.container, p.force)


@command("network rm", "Remove one or more networks", [], [Positional("network", many=True)])
def network_rm(p: Parsed) -> NetworkRmSpec:
    return NetworkRmSpec(tuple(p.network))


@command(
    "network inspect",
    "Display detailed information on one or more networks",
    INSPECT_OPTIONS,
    [Positional("name", many=True)],
)
def network_inspect(p: Parsed) -> NetworkInspectSpec:
    return NetworkInspectSpec(tuple(p.name), p.format)


@command("network prune", "Remove all unused networks (-f required: a notebook has no prompt)", PRUNE_OPTIONS)
def network_prune(p: Parsed) -> NetworkPruneSpec:
    return NetworkPruneSpec(confirmed(p, "network prune", "all custom networks not used by a container"))
