"""network ls/create/rm/connect/disconnect/inspect/prune: one spec per command."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Annotated

from ..errors import CommandError
from ..parsing.container_values import ip_address, link
from ..parsing.ipam import Pool, pools
from ..parsing.keyvalue import mapping
from .common_options import (
    DRIVER_OPTS,
    FORMAT,
    INSPECT_FORMAT,
    NO_TRUNC,
    Filters,
    KeyValues,
    frozen_filters,
    key_values,
)
from .grammar import Parsed, Positional, flag, repeated, value
from .pruning import PruneFilters, prune
from .refusals import needs_api
from .registry import command, fill


def csv_words(entries: list[str]) -> tuple[str, ...]:
    """A repeated flag the CLI reads as a string slice: each value may hold several, comma-separated
    (``--alias a,b``), quotes honoured."""
    words: list[str] = []
    for entry in entries:
        try:
            words.extend(next(csv.reader([entry], strict=True), []))
        except csv.Error as exc:
            raise CommandError(f"{entry!r}: {exc}.") from None
    return tuple(words)


def addresses(entries: list[str]) -> tuple[str, ...]:
    """``--link-local-ip``: comma-separated IP addresses, in their canonical form (the CLI's IP slice)."""
    try:
        return tuple(ip_address(word) for word in csv_words(entries))
    except ValueError as exc:
        raise CommandError(f"--link-local-ip: {exc}.") from None


def driver_options(entries: list[str]) -> tuple[tuple[str, str], ...]:
    """``--driver-opt k=v[,k2=v2]``: keys and values stripped of white space, as the CLI reads them."""
    found: dict[str, str] = {}
    for word in csv_words(entries):
        key, eq, value_ = word.partition("=")
        if not eq or not key.strip():
            raise CommandError(f"--driver-opt {word!r}: invalid key/value pair format in driver options.")
        found[key.strip()] = value_.strip()
    return tuple(found.items())


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
    no_trunc: Annotated[bool, NO_TRUNC] = False


@dataclass(frozen=True)
class NetworkCreateSpec:
    name: Annotated[str, Positional("network")]
    pools: tuple[Pool, ...] = ()  # --subnet, --ip-range, --gateway, --aux-address, grouped per subnet
    driver: Annotated[str, value("-d", "--driver", help="Driver to manage the Network")] = "bridge"
    ipam_driver: Annotated[str, value("--ipam-driver", help="IP Address Management Driver")] = "default"
    ipam_options: Annotated[KeyValues, key_values("--ipam-opt", help="Set IPAM driver specific options")] = ()
    labels: Annotated[KeyValues, key_values("--label", help="Set metadata on a network")] = ()
    internal: Annotated[bool, flag("--internal", help="Restrict external access to the network")] = False
    attachable: Annotated[bool, flag("--attachable", help="Enable manual container attachment")] = False
    options: Annotated[KeyValues, DRIVER_OPTS] = ()
    ipv6: Annotated[bool, flag("--ipv6", help="Enable IPv6 networking")] = False
    ipv4: Annotated[
        bool, flag("--ipv4", help="Enable IPv4 address assignment (always on: --ipv4=false needs API 1.47)")
    ] = True
    ingress: Annotated[bool, flag("--ingress", help="Create swarm routing-mesh network")] = False
    scope: Annotated[str | None, value("--scope", help="Control the network's scope")] = None
    config_only: Annotated[bool, flag("--config-only", help="Create a configuration only network")] = False
    config_from: Annotated[
        str | None, value("--config-from", help="The network from which to copy the configuration")
    ] = None

    def __post_init__(self) -> None:
        if not self.ipv4:
            raise CommandError(
                "--ipv4=false needs Engine API 1.47 or later, and %docker is written for API 1.41: "
                "a network without IPv4 cannot be made here."
            )


ADDRESS_OPTIONS = (
    repeated("--subnet", help="Subnet in CIDR format that represents a network segment"),
    repeated("--ip-range", help="Allocate container ip from a sub-range"),
    repeated("--gateway", help="IPv4 or IPv6 Gateway for the master subnet"),
    repeated("--aux-address", help="Auxiliary IPv4 or IPv6 addresses used by Network driver"),
)


@command("network create", "Create a network", ADDRESS_OPTIONS)
def network_create(p: Parsed) -> NetworkCreateSpec:
    grouped = pools(
        csv_words(p.subnet),
        csv_words(p.ip_range),
        csv_words(p.gateway),
        mapping(p.aux_address, "--aux-address"),
    )
    return fill(NetworkCreateSpec, p, pools=grouped)


GW_PRIORITY = needs_api("--gw-priority", version="1.48", instead="the engine picks the default gateway")


@command("network connect", "Connect a container to a network", [GW_PRIORITY])
@dataclass(frozen=True)
class NetworkConnectSpec:
    network: Annotated[str, Positional("network")]
    container: Annotated[str, Positional("container")]
    aliases: Annotated[
        tuple[str, ...],
        repeated("--alias", help="Add network-scoped alias for the container", freeze=csv_words),
    ] = ()
    ip: Annotated[
        str | None, value("--ip", help="IPv4 address (e.g., 172.30.100.104)", convert=ip_address)
    ] = None
    ip6: Annotated[
        str | None, value("--ip6", help="IPv6 address (e.g., 2001:db8::33)", convert=ip_address)
    ] = None
    links: Annotated[
        tuple[str, ...], repeated("--link", help="Add link to another container", convert=link)
    ] = ()
    link_local_ips: Annotated[
        tuple[str, ...],
        repeated("--link-local-ip", help="Add a link-local address for the container", freeze=addresses),
    ] = ()
    driver_opts: Annotated[
        KeyValues, repeated("--driver-opt", help="driver options for the network", freeze=driver_options)
    ] = ()


@command("network disconnect", "Disconnect a container from a network")
@dataclass(frozen=True)
class NetworkDisconnectSpec:
    network: Annotated[str, Positional("network")]
    container: Annotated[str, Positional("container")]
    force: Annotated[bool, flag("-f", "--force", help="Force the container to disconnect from a network")] = (
        False
    )


@command("network rm", "Remove one or more networks", aliases=("network remove",))
@dataclass(frozen=True)
class NetworkRmSpec:
    names: Annotated[tuple[str, ...], Positional("network", many=True)]
    force: Annotated[bool, flag("-f", "--force", help="Do not error if the network does not exist")] = False


@command("network inspect", "Display detailed information on one or more networks")
@dataclass(frozen=True)
class NetworkInspectSpec(Inspection):
    verbose: Annotated[bool, flag("-v", "--verbose", help="Verbose output for diagnostics")] = False


@prune("network prune", "Remove all unused networks", "all custom networks not used by a container")
class NetworkPruneSpec(PruneFilters):
    pass
