"""service create/ls/ps/inspect/logs/scale/update/rollback/rm: one spec per command.

``service create`` and ``service update`` share their single-valued options (``ServiceSettings``);
where create takes a list (``--env``), update takes ``--env-add`` and ``--env-rm``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from ..errors import CommandError
from ..parsing import container_values as cv
from .common_options import (
    CAP_ADD,
    CAP_DROP,
    DNS,
    DNS_SEARCH,
    ENV,
    ENV_FILE,
    READ_ONLY,
    STOP_SIGNAL,
    TTY,
    ULIMIT,
    USER,
    WORKDIR,
    KeyValues,
    key_values,
)
from .grammar import Option, Positional, Rest, flag, refused, repeated, value
from .logs import SINCE, TAIL, TIMESTAMPS
from .option_groups import HealthCheck
from .refusals import needs_api
from .registry import command
from .swarm import SwarmInspection, SwarmListing, TaskListing
from .value_kinds import choice, cpus, duration, fraction, integer, one_of, size, uint, unsigned

MODES = ("replicated", "global", "replicated-job", "global-job")
FAILURE_ACTIONS = ("pause", "continue", "rollback")
ORDERS = ("stop-first", "start-first")
CONDITIONS = ("none", "on-failure", "any")

INGRESS_NOTE = (
    "a port published without mode=host goes through swarm's routing mesh, which listens on every "
    "interface of every node: no address can be given"
)


def _port_range(text: str) -> tuple[int, int]:
    low, dash, high = text.partition("-")
    first, last = int(low), int(high) if dash else int(low)
    if not (0 < first <= last <= 65535):
        raise ValueError(f"invalid port {text!r}")
    return first, last


def port(text: str) -> tuple[dict[str, Any], ...]:
    """``-p`` as the CLI reads it: ``8080:80``, ``80`` (the swarm picks the published port),
    ``8000-8001:80-81/udp``, or ``published=8080,target=80,protocol=udp,mode=host``: PortConfigs."""
    if "=" in text:
        found: dict[str, Any] = {"Protocol": "tcp", "PublishMode": "ingress"}
        for field in (f.strip() for f in text.split(",") if f.strip()):
            key, eq, val = field.partition("=")
            if not eq:
                raise ValueError(f"invalid field {field!r}: use key=value")
            key, val = key.strip().lower(), val.strip()
            if key in ("published", "target"):
                number = int(val)
                if not 0 <= number <= 65535:
                    raise ValueError(f"invalid {key} port {val}")
                found["PublishedPort" if key == "published" else "TargetPort"] = number
            elif key == "protocol":
                found["Protocol"] = one_of(("tcp", "udp", "sctp"))(val.lower())
            elif key == "mode":
                found["PublishMode"] = one_of(("ingress", "host"))(val.lower())
            else:
                raise ValueError(f"invalid field key {key}")
        if "TargetPort" not in found:
            raise ValueError("missing mandatory field 'target'")
        return (found,)
    body, _, protocol = text.partition("/")
    protocol = one_of(("tcp", "udp", "sctp"))(protocol or "tcp")
    parts = body.split(":")
    if len(parts) > 2:
        raise ValueError(f"{text}: {INGRESS_NOTE}; write -p {':'.join(parts[-2:])}")
    target = _port_range(parts[-1])
    published = _port_range(parts[0]) if len(parts) == 2 and parts[0] else None
    count = target[1] - target[0]
    if published is not None and published[1] - published[0] != count:
        raise ValueError(f"{text}: the published and target ranges differ in length")
    return tuple(
        {
            "Protocol": protocol,
            "TargetPort": target[0] + i,
            **({"PublishedPort": published[0] + i} if published else {}),
            "PublishMode": "ingress",
        }
        for i in range(count + 1)
    )


def ports(entries: list[tuple[dict[str, Any], ...]]) -> tuple[dict[str, Any], ...]:
    return tuple(p for entry in entries for p in entry)


def placement_pref(text: str) -> dict[str, Any]:
    """``spread=node.labels.zone``: the one strategy swarm has."""
    strategy, eq, descriptor = text.partition("=")
    if not eq or strategy.strip().lower() != "spread" or not descriptor.strip():
        raise ValueError("use spread=<label>, e.g. spread=node.labels.zone")
    return {"Spread": {"SpreadDescriptor": descriptor.strip()}}


def service_mount(text: str) -> dict[str, Any]:
    """``--mount``: the container Mount of ``run --mount`` (a service's task gets the same)."""
    return cv.mount(text)


def entrypoint(text: str) -> tuple[str, ...]:
    """``--entrypoint "cmd arg"``: the CLI splits it into words as a shell would (no shell runs)."""
    import shlex

    try:
        return tuple(shlex.split(text))
    except ValueError as exc:
        raise ValueError(str(exc)) from None


WINDOWS_ONLY = "it applies to Windows containers only"
UNDECLARED_RESOURCES = "generic resources must first be declared in each node's daemon.json"
NEEDS_SECRETS = "%docker has no secret and config commands to make what it would name: use volumes or env"


@dataclass(frozen=True)
class ServiceSettings(HealthCheck):
    """The single-valued options that ``service create`` and ``service update`` share (None: the
    engine's default at create, left as it is at update)."""

    cap_add: Annotated[tuple[str, ...], CAP_ADD] = ()
    cap_drop: Annotated[tuple[str, ...], CAP_DROP] = ()
    detach: Annotated[
        bool,
        flag("-d", "--detach", help="Exit immediately instead of waiting for the service to converge"),
    ] = False
    endpoint_mode: Annotated[
        str | None,
        choice("--endpoint-mode", help="Endpoint mode (vip or dnsrr)", allowed=("vip", "dnsrr")),
    ] = None
    entrypoint: Annotated[
        tuple[str, ...] | None,
        value(
            "--entrypoint",
            help="Overwrite the default ENTRYPOINT of the image",
            metavar="command",
            convert=entrypoint,
        ),
    ] = None
    health_start_period: Annotated[
        int | None,
        duration(
            "--health-start-period",
            help="Start period for the container to initialize before counting retries towards unstable (ms|s|m|h)",
        ),
    ] = None
    hostname: Annotated[str | None, value("--hostname", help="Container hostname")] = None
    init: Annotated[
        bool,
        flag(
            "--init", help="Use an init inside each service container to forward signals and reap processes"
        ),
    ] = False
    limit_cpu: Annotated[int | None, cpus("--limit-cpu", help="Limit CPUs")] = None
    limit_memory: Annotated[int | None, size("--limit-memory", help="Limit Memory")] = None
    limit_pids: Annotated[
        int | None,
        integer("--limit-pids", help="Limit maximum number of processes (default 0 = unlimited)"),
    ] = None
    log_driver: Annotated[str | None, value("--log-driver", help="Logging driver for service")] = None
    log_opt: Annotated[KeyValues, key_values("--log-opt", help="Logging driver options")] = ()
    max_concurrent: Annotated[
        int | None,
        uint(
            "--max-concurrent", help="Number of job tasks to run concurrently (default equal to --replicas)"
        ),
    ] = None
    no_resolve_image: Annotated[
        bool,
        flag(
            "--no-resolve-image",
            help="Do not query the registry to resolve image digest and supported platforms "
            "(always so: %docker sends the image as written)",
        ),
    ] = False
    quiet: Annotated[bool, flag("-q", "--quiet", help="Suppress progress output")] = False
    read_only: Annotated[bool, READ_ONLY] = False
    replicas: Annotated[int | None, uint("--replicas", help="Number of tasks")] = None
    replicas_max_per_node: Annotated[
        int | None,
        uint("--replicas-max-per-node", help="Maximum number of tasks per node (default 0 = unlimited)"),
    ] = None
    reserve_cpu: Annotated[int | None, cpus("--reserve-cpu", help="Reserve CPUs")] = None
    reserve_memory: Annotated[int | None, size("--reserve-memory", help="Reserve Memory")] = None
    restart_condition: Annotated[
        str | None,
        choice(
            "--restart-condition",
            help='Restart when condition is met ("none", "on-failure", "any")',
            allowed=CONDITIONS,
        ),
    ] = None
    restart_delay: Annotated[
        int | None,
        duration("--restart-delay", help="Delay between restart attempts (ns|us|ms|s|m|h)"),
    ] = None
    restart_max_attempts: Annotated[
        int | None,
        uint("--restart-max-attempts", help="Maximum number of restarts before giving up"),
    ] = None
    restart_window: Annotated[
        int | None,
        duration("--restart-window", help="Window used to evaluate the restart policy (ns|us|ms|s|m|h)"),
    ] = None
    rollback_delay: Annotated[
        int | None,
        duration("--rollback-delay", help="Delay between task rollbacks (ns|us|ms|s|m|h)"),
    ] = None
    rollback_failure_action: Annotated[
        str | None,
        choice(
            "--rollback-failure-action",
            help='Action on rollback failure ("pause", "continue")',
            allowed=("pause", "continue"),
        ),
    ] = None
    rollback_max_failure_ratio: Annotated[
        float | None,
        fraction("--rollback-max-failure-ratio", help="Failure rate to tolerate during a rollback"),
    ] = None
    rollback_monitor: Annotated[
        int | None,
        duration(
            "--rollback-monitor",
            help="Duration after each task rollback to monitor for failure (ns|us|ms|s|m|h)",
        ),
    ] = None
    rollback_order: Annotated[
        str | None,
        choice("--rollback-order", help='Rollback order ("start-first", "stop-first")', allowed=ORDERS),
    ] = None
    rollback_parallelism: Annotated[
        int | None,
        uint(
            "--rollback-parallelism",
            help="Maximum number of tasks rolled back simultaneously (0 to roll back all at once)",
        ),
    ] = None
    stop_grace_period: Annotated[
        int | None,
        duration(
            "--stop-grace-period", help="Time to wait before force killing a container (ns|us|ms|s|m|h)"
        ),
    ] = None
    stop_signal: Annotated[str | None, STOP_SIGNAL] = None
    tty: Annotated[bool, TTY] = False
    update_delay: Annotated[
        int | None, duration("--update-delay", help="Delay between updates (ns|us|ms|s|m|h)")
    ] = None
    update_failure_action: Annotated[
        str | None,
        choice(
            "--update-failure-action",
            help='Action on update failure ("pause", "continue", "rollback")',
            allowed=FAILURE_ACTIONS,
        ),
    ] = None
    update_max_failure_ratio: Annotated[
        float | None,
        fraction("--update-max-failure-ratio", help="Failure rate to tolerate during an update"),
    ] = None
    update_monitor: Annotated[
        int | None,
        duration(
            "--update-monitor", help="Duration after each task update to monitor for failure (ns|us|ms|s|m|h)"
        ),
    ] = None
    update_order: Annotated[
        str | None,
        choice("--update-order", help='Update order ("start-first", "stop-first")', allowed=ORDERS),
    ] = None
    update_parallelism: Annotated[
        int | None,
        uint(
            "--update-parallelism",
            help="Maximum number of tasks updated simultaneously (0 to update all at once)",
        ),
    ] = None
    user: Annotated[str | None, USER] = None
    workdir: Annotated[str | None, WORKDIR] = None


SHARED_REFUSALS = (
    refused("--credential-spec", reason=WINDOWS_ONLY),
    refused("--isolation", reason=WINDOWS_ONLY),
    refused("--with-registry-auth", reason="%docker sends no registry credentials to the swarm's agents"),
    needs_api("--health-start-interval", version="1.44", instead="--health-interval sets the one interval"),
    needs_api("--oom-score-adj", version="1.46", instead="leave the OOM score as the engine sets it"),
)


@command(
    "service create",
    "Create a new service",
    [
        *SHARED_REFUSALS,
        refused("--config", reason=NEEDS_SECRETS),
        refused("--secret", reason=NEEDS_SECRETS),
        refused("--generic-resource", reason=UNDECLARED_RESOURCES),
    ],
)
@dataclass(frozen=True)
class ServiceCreateSpec(ServiceSettings):
    image: Annotated[str, Positional("image")] = ""
    args: Annotated[tuple[str, ...], Rest()] = ()
    constraints: Annotated[tuple[str, ...], repeated("--constraint", help="Placement constraints")] = ()
    container_labels: Annotated[KeyValues, key_values("--container-label", help="Container labels")] = ()
    dns: Annotated[tuple[str, ...], DNS] = ()
    dns_options: Annotated[tuple[str, ...], repeated("--dns-option", help="Set DNS options")] = ()
    dns_search: Annotated[tuple[str, ...], DNS_SEARCH] = ()
    env: Annotated[tuple[str, ...], ENV] = ()
    env_files: Annotated[tuple[str, ...], ENV_FILE] = ()
    groups: Annotated[
        tuple[str, ...],
        repeated("--group", help="Set one or more supplementary user groups for the container"),
    ] = ()
    hosts: Annotated[
        tuple[str, ...],
        repeated(
            "--host", help="Set one or more custom host-to-IP mappings (host:ip)", convert=cv.extra_host
        ),
    ] = ()
    labels: Annotated[KeyValues, key_values("-l", "--label", help="Service labels")] = ()
    mode: Annotated[
        str,
        choice(
            "--mode",
            help='Service mode ("replicated", "global", "replicated-job", "global-job")',
            allowed=MODES,
        ),
    ] = "replicated"
    mounts: Annotated[
        tuple[dict[str, Any], ...],
        repeated(
            "--mount", help="Attach a filesystem mount to the service", metavar="mount", convert=service_mount
        ),
    ] = ()
    name: Annotated[str | None, value("--name", help="Service name")] = None
    networks: Annotated[
        tuple[dict[str, Any], ...],
        repeated("--network", help="Network attachments", metavar="network", convert=cv.network),
    ] = ()
    placement_prefs: Annotated[
        tuple[dict[str, Any], ...],
        repeated(
            "--placement-pref", help="Add a placement preference", metavar="pref", convert=placement_pref
        ),
    ] = ()
    publish: Annotated[
        tuple[dict[str, Any], ...],
        repeated(
            "-p",
            "--publish",
            help="Publish a port as a node port (without mode=host: on every interface of every node, "
            "through the routing mesh)",
            metavar="port",
            convert=port,
            freeze=ports,
        ),
    ] = ()
    sysctls: Annotated[KeyValues, key_values("--sysctl", help="Sysctl options")] = ()
    ulimits: Annotated[tuple[dict[str, Any], ...], ULIMIT] = ()

    def __post_init__(self) -> None:
        if not self.image:
            raise CommandError("'docker service create' requires at least 1 argument (image).")
        if self.replicas is not None and self.mode in ("global", "global-job"):
            raise CommandError(
                f"--replicas can only be used with replicated or replicated-job mode, not {self.mode}."
            )
        if self.name is not None and not re.fullmatch(
            r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?", self.name
        ):
            raise CommandError(
                f"--name {self.name!r}: a service name is letters, digits and dashes (at most 63, not at either end)."
            )


def _add_rm_refused(name: str, reason: str) -> tuple[Option, Option]:
    """update's ``--NAME-add`` and ``--NAME-rm``, where create refuses ``--NAME``."""
    return refused(f"--{name}-add", reason=reason), refused(f"--{name}-rm", reason=reason)


@command(
    "service update",
    "Update a service",
    [
        *SHARED_REFUSALS,
        *_add_rm_refused("config", NEEDS_SECRETS),
        *_add_rm_refused("secret", NEEDS_SECRETS),
        *_add_rm_refused("generic-resource", UNDECLARED_RESOURCES),
    ],
)
@dataclass(frozen=True)
class ServiceUpdateSpec(ServiceSettings):
    service: Annotated[str, Positional("service")] = ""
    args: Annotated[
        tuple[str, ...] | None,
        value("--args", help="Service command args", metavar="command", convert=entrypoint),
    ] = None
    constraint_add: Annotated[
        tuple[str, ...], repeated("--constraint-add", help="Add or update a placement constraint")
    ] = ()
    constraint_rm: Annotated[tuple[str, ...], repeated("--constraint-rm", help="Remove a constraint")] = ()
    container_label_add: Annotated[
        KeyValues, key_values("--container-label-add", help="Add or update a container label")
    ] = ()
    container_label_rm: Annotated[
        tuple[str, ...], repeated("--container-label-rm", help="Remove a container label by its key")
    ] = ()
    dns_add: Annotated[
        tuple[str, ...],
        repeated("--dns-add", help="Add or update a custom DNS server", convert=cv.ip_address),
    ] = ()
    dns_rm: Annotated[tuple[str, ...], repeated("--dns-rm", help="Remove a custom DNS server")] = ()
    dns_option_add: Annotated[
        tuple[str, ...], repeated("--dns-option-add", help="Add or update a DNS option")
    ] = ()
    dns_option_rm: Annotated[tuple[str, ...], repeated("--dns-option-rm", help="Remove a DNS option")] = ()
    dns_search_add: Annotated[
        tuple[str, ...],
        repeated("--dns-search-add", help="Add or update a custom DNS search domain", convert=cv.dns_search),
    ] = ()
    dns_search_rm: Annotated[
        tuple[str, ...], repeated("--dns-search-rm", help="Remove a DNS search domain")
    ] = ()
    env_add: Annotated[
        tuple[str, ...], repeated("--env-add", help="Add or update an environment variable")
    ] = ()
    env_rm: Annotated[tuple[str, ...], repeated("--env-rm", help="Remove an environment variable")] = ()
    force: Annotated[bool, flag("--force", help="Force update even if no changes require it")] = False
    group_add: Annotated[
        tuple[str, ...],
        repeated("--group-add", help="Add an additional supplementary user group to the container"),
    ] = ()
    group_rm: Annotated[
        tuple[str, ...],
        repeated("--group-rm", help="Remove a previously added supplementary user group from the container"),
    ] = ()
    host_add: Annotated[
        tuple[str, ...],
        repeated("--host-add", help="Add a custom host-to-IP mapping (host:ip)", convert=cv.extra_host),
    ] = ()
    host_rm: Annotated[
        tuple[str, ...], repeated("--host-rm", help="Remove a custom host-to-IP mapping (host:ip)")
    ] = ()
    image: Annotated[str | None, value("--image", help="Service image tag")] = None
    label_add: Annotated[KeyValues, key_values("--label-add", help="Add or update a service label")] = ()
    label_rm: Annotated[tuple[str, ...], repeated("--label-rm", help="Remove a label by its key")] = ()
    mount_add: Annotated[
        tuple[dict[str, Any], ...],
        repeated(
            "--mount-add", help="Add or update a mount on a service", metavar="mount", convert=service_mount
        ),
    ] = ()
    mount_rm: Annotated[
        tuple[str, ...], repeated("--mount-rm", help="Remove a mount by its target path")
    ] = ()
    network_add: Annotated[
        tuple[dict[str, Any], ...],
        repeated("--network-add", help="Add a network", metavar="network", convert=cv.network),
    ] = ()
    network_rm: Annotated[tuple[str, ...], repeated("--network-rm", help="Remove a network")] = ()
    placement_pref_add: Annotated[
        tuple[dict[str, Any], ...],
        repeated(
            "--placement-pref-add", help="Add a placement preference", metavar="pref", convert=placement_pref
        ),
    ] = ()
    placement_pref_rm: Annotated[
        tuple[dict[str, Any], ...],
        repeated(
            "--placement-pref-rm",
            help="Remove a placement preference",
            metavar="pref",
            convert=placement_pref,
        ),
    ] = ()
    publish_add: Annotated[
        tuple[dict[str, Any], ...],
        repeated(
            "--publish-add",
            help="Add or update a published port (without mode=host: on every interface of every node)",
            metavar="port",
            convert=port,
            freeze=ports,
        ),
    ] = ()
    publish_rm: Annotated[
        tuple[dict[str, Any], ...],
        repeated(
            "--publish-rm",
            help="Remove a published port by its target port",
            metavar="port",
            convert=port,
            freeze=ports,
        ),
    ] = ()
    rollback: Annotated[bool, flag("--rollback", help="Rollback to previous specification")] = False
    sysctl_add: Annotated[KeyValues, key_values("--sysctl-add", help="Add or update a Sysctl option")] = ()
    sysctl_rm: Annotated[tuple[str, ...], repeated("--sysctl-rm", help="Remove a Sysctl option")] = ()
    ulimit_add: Annotated[
        tuple[dict[str, Any], ...],
        repeated("--ulimit-add", help="Add or update a ulimit option", metavar="ulimit", convert=cv.ulimit),
    ] = ()
    ulimit_rm: Annotated[tuple[str, ...], repeated("--ulimit-rm", help="Remove a ulimit option")] = ()

    def __post_init__(self) -> None:
        if not self.service:
            raise CommandError("'docker service update' requires exactly 1 argument (service).")


@command("service ls", "List services", aliases=("service list",))
@dataclass(frozen=True)
class ServiceLsSpec(SwarmListing):
    pass


@command("service ps", "List the tasks of one or more services")
@dataclass(frozen=True)
class ServicePsSpec(TaskListing):
    services: Annotated[tuple[str, ...], Positional("service", many=True)] = ()


@command("service inspect", "Display detailed information on one or more services")
@dataclass(frozen=True)
class ServiceInspectSpec(SwarmInspection):
    services: Annotated[tuple[str, ...], Positional("service", many=True)] = ()


@command("service logs", "Fetch the logs of a service or task")
@dataclass(frozen=True)
class ServiceLogsSpec:
    service: Annotated[str, Positional("service|task")] = ""
    details: Annotated[bool, flag("--details", help="Show extra details provided to logs")] = False
    follow: Annotated[bool, flag("-f", "--follow", help="Follow log output (Ctrl-C stops)")] = False
    no_resolve: Annotated[bool, flag("--no-resolve", help="Do not map IDs to Names in output")] = False
    no_task_ids: Annotated[bool, flag("--no-task-ids", help="Do not include task IDs in output")] = False
    no_trunc: Annotated[bool, flag("--no-trunc", help="Do not truncate output")] = False
    raw: Annotated[bool, flag("--raw", help="Do not neatly format logs")] = False
    since: Annotated[str | None, SINCE] = None
    tail: Annotated[str, TAIL] = "all"
    timestamps: Annotated[bool, TIMESTAMPS] = False


def scale_pair(text: str) -> tuple[str, int]:
    name, eq, count = text.partition("=")
    if not eq or not name:
        raise CommandError(f"invalid scale specifier {text!r}: use SERVICE=REPLICAS, e.g. web=3.")
    try:
        replicas = unsigned(count)
    except ValueError:
        raise CommandError(
            f"invalid replicas value {count!r} for {name}: use a number of 0 or more."
        ) from None
    return name, replicas


def scale_pairs(words: list[str]) -> tuple[tuple[str, int], ...]:
    return tuple(scale_pair(word) for word in words)


@command("service scale", "Scale one or multiple replicated services")
@dataclass(frozen=True)
class ServiceScaleSpec:
    targets: Annotated[
        tuple[tuple[str, int], ...],
        Positional("service=replicas", many=True, freeze=scale_pairs),
    ] = ()
    detach: Annotated[
        bool,
        flag("-d", "--detach", help="Exit immediately instead of waiting for the service to converge"),
    ] = False


@command("service rollback", "Revert changes to a service's configuration")
@dataclass(frozen=True)
class ServiceRollbackSpec:
    service: Annotated[str, Positional("service")] = ""
    detach: Annotated[
        bool,
        flag("-d", "--detach", help="Exit immediately instead of waiting for the service to converge"),
    ] = False
    quiet: Annotated[bool, flag("-q", "--quiet", help="Suppress progress output")] = False


@command("service rm", "Remove one or more services", aliases=("service remove",))
@dataclass(frozen=True)
class ServiceRmSpec:
    services: Annotated[tuple[str, ...], Positional("service", many=True)] = ()
