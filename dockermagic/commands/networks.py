"""network and volume subcommands, system df, logs."""
from __future__ import annotations

from dataclasses import dataclass

from .containers import filters
from .grammar import Positional, flag, repeated, value
from .registry import command


@dataclass(frozen=True)
class ObjectListSpec:
    kind: str  # network, volume
    quiet: bool = False
    filters: tuple = ()
    format: str | None = None


@dataclass(frozen=True)
class NetworkCreateSpec:
    name: str
    driver: str = "bridge"
    subnets: tuple[str, ...] = ()
    gateways: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    internal: bool = False
    attachable: bool = False
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class NetworkConnectSpec:
    network: str
    container: str
    connect: bool = True
    aliases: tuple[str, ...] = ()
    ip: str | None = None
    force: bool = False


@dataclass(frozen=True)
class ObjectRemoveSpec:
    kind: str
    names: tuple[str, ...]
    force: bool = False


@dataclass(frozen=True)
class VolumeCreateSpec:
    name: str | None
    driver: str = "local"
    labels: tuple[str, ...] = ()
    options: tuple[str, ...] = ()


_LIST = [flag("-q", "--quiet", help="Only display names/IDs"),
         repeated("-f", "--filter", help="Provide filter values (e.g. 'driver=bridge')", metavar="filter"),
         value("--format", help="Format output using a Go template")]


def _lister(kind):
    def build(p) -> ObjectListSpec:
        return ObjectListSpec(kind, p.quiet, tuple(sorted(filters(p.filter).items())), p.format)
    return build


command("network ls", "List networks", _LIST)(_lister("network"))
command("volume ls", "List volumes", _LIST)(_lister("volume"))


@command("network create", "Create a network", [
    value("-d", "--driver", help="Driver to manage the Network", default="bridge"),
    repeated("--subnet", help="Subnet in CIDR format that represents a network segment"),
    repeated("--gateway", help="IPv4 or IPv6 Gateway for the master subnet"),
    repeated("--label", help="Set metadata on a network"),
    flag("--internal", help="Restrict external access to the network"),
    flag("--attachable", help="Enable manual container attachment"),
    repeated("-o", "--opt", help="Set driver specific options"),
], [Positional("network")])
def network_create(p) -> NetworkCreateSpec:
    return NetworkCreateSpec(p.network, p.driver, tuple(p.subnet), tuple(p.gateway), tuple(p.label),
                             p.internal, p.attachable, tuple(p.opt))


@command("network connect", "Connect a container to a network", [
    repeated("--alias", help="Add network-scoped alias for the container"),
    value("--ip", help="IPv4 address (e.g., 172.30.100.104)"),
], [Positional("network"), Positional("container")])
def network_connect(p) -> NetworkConnectSpec:
    return NetworkConnectSpec(p.network, p.container, True, tuple(p.alias), p.ip)


@command("network disconnect", "Disconnect a container from a network", [
    flag("-f", "--force", help="Force the container to disconnect from a network"),
], [Positional("network"), Positional("container")])
def network_disconnect(p) -> NetworkConnectSpec:
    return NetworkConnectSpec(p.network, p.container, False, force=p.force)


@command("network rm", "Remove one or more networks", [], [Positional("network", many=True)])
def network_rm(p) -> ObjectRemoveSpec:
    return ObjectRemoveSpec("network", tuple(p.network))


@command("volume create", "Create a volume", [
    value("-d", "--driver", help="Specify volume driver name", default="local"),
    repeated("--label", help="Set metadata for a volume"),
    repeated("-o", "--opt", help="Set driver specific options"),
], [Positional("volume", required=False)])
def volume_create(p) -> VolumeCreateSpec:
    return VolumeCreateSpec(p.volume, p.driver, tuple(p.label), tuple(p.opt))


@command("volume rm", "Remove one or more volumes", [
    flag("-f", "--force", help="Force the removal of one or more volumes"),
], [Positional("volume", many=True)])
def volume_rm(p) -> ObjectRemoveSpec:
    return ObjectRemoveSpec("volume", tuple(p.volume), p.force)


@dataclass(frozen=True)
class ObjectInspectSpec:
    kind: str
    names: tuple[str, ...]
    format: str | None = None


def _inspector(kind):
    def build(p) -> ObjectInspectSpec:
        return ObjectInspectSpec(kind, tuple(p.name), p.format)
    return build


_FMT = [value("-f", "--format", help="Format the output using a Go template")]
command("network inspect", "Display detailed information on one or more networks", _FMT,
        [Positional("name", many=True)])(_inspector("network"))
command("volume inspect", "Display detailed information on one or more volumes", _FMT,
        [Positional("name", many=True)])(_inspector("volume"))


@dataclass(frozen=True)
class DfSpec:
    verbose: bool = False


@command("system df", "Show docker disk usage", [
    flag("-v", "--verbose", help="Show detailed information on space usage"),
])
def system_df(p) -> DfSpec:
    return DfSpec(p.verbose)


from .logs import LogsSpec  # noqa: E402,F401  (logs lives in commands/logs.py)
