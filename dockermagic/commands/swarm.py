"""swarm init/join/leave/join-token/update/unlock-key/ca and node ls/inspect/update/ps/rm/promote/demote:
one spec per command."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from ..errors import CommandError
from ..parsing.container_values import boolean
from .common_options import FILTER, Filters, KeyValues, key_values
from .grammar import Positional, flag, refused, repeated, value
from .registry import command
from .value_kinds import duration, integer, uint, uint32

AVAILABILITIES = ("active", "pause", "drain")
ROLES = ("worker", "manager")


def availability(text: str) -> str:
    if text.lower() not in AVAILABILITIES:
        raise ValueError('use "active", "pause" or "drain"')
    return text.lower()


def role(text: str) -> str:
    if text.lower() not in ROLES:
        raise ValueError('use "worker" or "manager"')
    return text.lower()


def cidr_list(entries: list[str]) -> tuple[str, ...]:
    """``--default-addr-pool 10.20.0.0/16,10.30.0.0/16`` (repeatable): the subnets, each checked."""
    import ipaddress

    found: list[str] = []
    for word in (w.strip() for entry in entries for w in entry.split(",") if w.strip()):
        try:
            found.append(str(ipaddress.ip_network(word, strict=False)))
        except ValueError:
            raise CommandError(f"--default-addr-pool {word!r}: use a subnet such as 10.20.0.0/16.") from None
    return tuple(found)


DEFAULT_ADDR_POOL = repeated(
    "--default-addr-pool", help="default address pool in CIDR format", metavar="ipNetSlice", freeze=cidr_list
)

EXTERNAL_CA = refused(
    "--external-ca",
    reason="an external CA is a cfssl signing server this swarm would depend on; the swarm's own CA is used",
)


@dataclass(frozen=True)
class SwarmSettings:
    """What ``swarm init`` and ``swarm update`` both set on the swarm's spec (None: left as it is,
    or, at init, the engine's default)."""

    cert_expiry: Annotated[
        int | None,
        duration("--cert-expiry", help="Validity period for node certificates (ns|us|ms|s|m|h)"),
    ] = None
    dispatcher_heartbeat: Annotated[
        int | None,
        duration("--dispatcher-heartbeat", help="Dispatcher heartbeat period (ns|us|ms|s|m|h)"),
    ] = None
    max_snapshots: Annotated[
        int | None,
        uint("--max-snapshots", help="Number of additional Raft snapshots to retain"),
    ] = None
    snapshot_interval: Annotated[
        int | None,
        uint("--snapshot-interval", help="Number of log entries between Raft snapshots"),
    ] = None
    task_history_limit: Annotated[
        int | None,
        integer("--task-history-limit", help="Task history retention limit"),
    ] = None


ADVERTISE_ADDR = value("--advertise-addr", help="Advertised address (format: <ip|interface>[:port])")
AVAILABILITY = value(
    "--availability", help='Availability of the node ("active", "pause", "drain")', convert=availability
)
DATA_PATH_ADDR = value("--data-path-addr", help="Address or interface to use for data path traffic")
LISTEN_ADDR = value(
    "--listen-addr", help="Listen address (format: <ip|interface>[:port])", metavar="node-addr"
)


@dataclass(frozen=True, kw_only=True)
class NodeAddresses:
    """Where a node that makes or joins a swarm listens and is reached (init, join)."""

    advertise_addr: Annotated[str | None, ADVERTISE_ADDR] = None
    availability: Annotated[str, AVAILABILITY] = "active"
    data_path_addr: Annotated[str | None, DATA_PATH_ADDR] = None
    listen_addr: Annotated[str, LISTEN_ADDR] = "0.0.0.0:2377"


@command("swarm init", "Initialize a swarm", [EXTERNAL_CA])
@dataclass(frozen=True)
class SwarmInitSpec(SwarmSettings, NodeAddresses):
    autolock: Annotated[
        bool, flag("--autolock", help="Enable manager autolocking (requiring an unlock key)")
    ] = False
    data_path_port: Annotated[
        int | None, uint32("--data-path-port", help="Port number to use for data path traffic (1024 - 49151)")
    ] = None
    default_addr_pool: Annotated[tuple[str, ...], DEFAULT_ADDR_POOL] = ()
    default_addr_pool_mask_length: Annotated[
        int, uint32("--default-addr-pool-mask-length", help="default address pool subnet mask length")
    ] = 24
    force_new_cluster: Annotated[
        bool, flag("--force-new-cluster", help="Force create a new cluster from current state")
    ] = False


@command("swarm join", "Join a swarm as a node and/or manager")
@dataclass(frozen=True)
class SwarmJoinSpec(NodeAddresses):
    host: Annotated[str, Positional("host:port")]
    token: Annotated[
        str,
        value(
            "--token", help="Token for entry into the swarm", required="TOKEN: see %docker swarm join-token"
        ),
    ] = ""


@command("swarm leave", "Leave the swarm")
@dataclass(frozen=True)
class SwarmLeaveSpec:
    force: Annotated[
        bool, flag("-f", "--force", help="Force this node to leave the swarm, ignoring warnings")
    ] = False


def _role_word(text: str) -> str:
    if text not in ROLES:
        raise CommandError(f"unknown role {text}: use worker or manager.")
    return text


@command("swarm join-token", "Manage join tokens")
@dataclass(frozen=True)
class SwarmJoinTokenSpec:
    role: Annotated[str, Positional("worker|manager", freeze=_role_word)]
    quiet: Annotated[bool, flag("-q", "--quiet", help="Only display token")] = False
    rotate: Annotated[bool, flag("--rotate", help="Rotate join token")] = False


@command("swarm update", "Update the swarm", [EXTERNAL_CA])
@dataclass(frozen=True)
class SwarmUpdateSpec(SwarmSettings):
    # None: as it is; --autolock alone turns it on, --autolock=false off
    autolock: Annotated[
        bool | None,
        value(
            "--autolock",
            help="Change manager autolocking setting (true|false)",
            metavar="bool",
            optional_value=True,
            convert=boolean,
        ),
    ] = None


@command("swarm unlock", "Unlock swarm (the key is asked for at a prompt that does not echo)")
@dataclass(frozen=True)
class SwarmUnlockSpec:
    pass


@command("swarm unlock-key", "Manage the unlock key")
@dataclass(frozen=True)
class SwarmUnlockKeySpec:
    quiet: Annotated[bool, flag("-q", "--quiet", help="Only display token")] = False
    rotate: Annotated[bool, flag("--rotate", help="Rotate unlock key")] = False


CA_ROTATION = "rotating the swarm's root CA is not done by %docker: use the docker CLI on a manager"
# what swarm ca takes only to rotate the CA
ROTATION_FLAGS = (
    ("--rotate",),
    ("--ca-cert",),
    ("--ca-key",),
    ("--cert-expiry",),
    ("-d", "--detach"),
    ("-q", "--quiet"),
)


@command(
    "swarm ca",
    "Display the swarm's root CA certificate",
    [*(refused(*names, reason=CA_ROTATION) for names in ROTATION_FLAGS), EXTERNAL_CA],
)
@dataclass(frozen=True)
class SwarmCaSpec:
    pass


# -- nodes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SwarmListing:
    """What ``node ls`` and ``service ls`` read: the same options, the same words."""

    filters: Annotated[Filters, FILTER] = ()
    format: Annotated[str | None, value("--format", help="Format output using a custom template")] = None
    quiet: Annotated[bool, flag("-q", "--quiet", help="Only display IDs")] = False


@dataclass(frozen=True, kw_only=True)
class SwarmInspection:
    """What ``node inspect`` and ``service inspect`` read (keywords only: a spec's own positional
    field, without a default, may follow them)."""

    format: Annotated[str | None, value("-f", "--format", help="Format output using a custom template")] = (
        None
    )
    pretty: Annotated[bool, flag("--pretty", help="Print the information in a human friendly format")] = False


@command("node ls", "List nodes in the swarm", aliases=("node list",))
@dataclass(frozen=True)
class NodeLsSpec(SwarmListing):
    pass


NODE = Positional("node", many=True)


@command("node inspect", "Display detailed information on one or more nodes")
@dataclass(frozen=True)
class NodeInspectSpec(SwarmInspection):
    nodes: Annotated[tuple[str, ...], NODE]


@command("node update", "Update a node")
@dataclass(frozen=True)
class NodeUpdateSpec:
    node: Annotated[str, Positional("node")]
    availability: Annotated[
        str | None,
        value(
            "--availability",
            help='Availability of the node ("active", "pause", "drain")',
            convert=availability,
        ),
    ] = None
    label_add: Annotated[
        KeyValues, key_values("--label-add", help='Add or update a node label ("key=value")')
    ] = ()
    label_rm: Annotated[tuple[str, ...], repeated("--label-rm", help="Remove a node label if exists")] = ()
    role: Annotated[
        str | None, value("--role", help='Role of the node ("worker", "manager")', convert=role)
    ] = None


@dataclass(frozen=True)
class TaskListing:
    """What ``node ps`` and ``service ps`` read: the same options, the same words."""

    filters: Annotated[Filters, FILTER] = ()
    format: Annotated[str | None, value("--format", help="Pretty-print tasks using a Go template")] = None
    no_resolve: Annotated[bool, flag("--no-resolve", help="Do not map IDs to Names")] = False
    no_trunc: Annotated[bool, flag("--no-trunc", help="Do not truncate output")] = False
    quiet: Annotated[bool, flag("-q", "--quiet", help="Only display task IDs")] = False


@command("node ps", "List tasks running on one or more nodes, defaults to current node")
@dataclass(frozen=True)
class NodePsSpec(TaskListing):
    nodes: Annotated[tuple[str, ...], Positional("node", required=False, many=True)] = ()


@command("node rm", "Remove one or more nodes from the swarm", aliases=("node remove",))
@dataclass(frozen=True)
class NodeRmSpec:
    nodes: Annotated[tuple[str, ...], NODE]
    force: Annotated[bool, flag("-f", "--force", help="Force remove a node from the swarm")] = False


@command("node promote", "Promote one or more nodes to manager in the swarm")
@dataclass(frozen=True)
class NodePromoteSpec:
    nodes: Annotated[tuple[str, ...], NODE]


@command("node demote", "Demote one or more nodes from manager in the swarm")
@dataclass(frozen=True)
class NodeDemoteSpec:
    nodes: Annotated[tuple[str, ...], NODE]
