"""run and create: the container's whole configuration, as the CLI reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from ..errors import CommandError
from ..parsing.units import duration_ns, memory_bytes, nano_cpus, seconds
from .common_options import ENV, ENV_FILE, INTERACTIVE, PLATFORM, TTY, USER, WORKDIR
from .grammar import Parsed, Positional, flag, repeated, value
from .registry import command


def restart_policy(text: str) -> tuple[str, int]:
    """``no``, ``always``, ``unless-stopped``, ``on-failure[:N]`` -> (name, maximum retry count)."""
    name, _, count = text.partition(":")
    if name not in ("no", "always", "unless-stopped", "on-failure"):
        raise ValueError("use no, always, unless-stopped or on-failure[:N]")
    if count and name != "on-failure":
        raise ValueError("only on-failure takes a retry count")
    try:
        return name, int(count or 0)
    except ValueError:
        raise ValueError("the retry count must be a number") from None


# the container's whole configuration, one field per run option: alike in shape by nature
@dataclass(frozen=True)
class RunSpec:
    image: str
    command: tuple[str, ...] = ()
    detach: bool = False
    interactive: bool = False
    tty: bool = False
    remove: bool = False
    name: str | None = None
    env: tuple[str, ...] = ()
    env_files: tuple[str, ...] = ()
    publish: tuple[str, ...] = ()
    publish_all: bool = False
    expose: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    mounts: tuple[str, ...] = ()
    workdir: str | None = None
    user: str | None = None
    hostname: str | None = None
    entrypoint: str | None = None
    network: str | None = None
    network_aliases: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    memory: int | None = None
    cpus: int | None = None
    restart: tuple[str, int] | None = None
    privileged: bool = False
    cap_add: tuple[str, ...] = ()
    cap_drop: tuple[str, ...] = ()
    add_hosts: tuple[str, ...] = ()
    health_cmd: str | None = None
    health_interval: int | None = None
    health_timeout: int | None = None
    health_retries: int | None = None
    health_start_period: int | None = None
    no_healthcheck: bool = False
    platform: str | None = None
    init: bool = False
    read_only: bool = False
    stop_signal: str | None = None
    shm_size: int | None = None
    devices: tuple[str, ...] = ()
    # beyond the CLI: for notebooks
    create_only: bool = False
    replace: bool = False
    wait: float | None = None
    wait_log: str | None = None


OPTIONS = (
    flag("-d", "--detach", help="Run container in background and return the container object"),
    INTERACTIVE,
    TTY,
    flag("--rm", help="Automatically remove the container when it exits"),
    value("--name", help="Assign a name to the container"),
    ENV,
    ENV_FILE,
    repeated(
        "-p",
        "--publish",
        help="Publish a container's port(s) to the host "
        "(no address given: binds %config DockerMagics.publish_host)",
    ),
    flag("-P", "--publish-all", help="Publish all exposed ports to random ports"),
    repeated("--expose", help="Expose a port or a range of ports"),
    repeated("-v", "--volume", help="Bind mount a volume"),
    repeated("--mount", help="Attach a filesystem mount to the container", metavar="mount"),
    WORKDIR,
    USER,
    value("-h", "--hostname", help="Container host name"),
    value("--entrypoint", help="Overwrite the default ENTRYPOINT of the image"),
    value("--network", "--net", help="Connect a container to a network", metavar="network"),
    repeated("--network-alias", "--net-alias", help="Add network-scoped alias for the container"),
    repeated("--link", help="Add link to another container (legacy: prefer --network)"),
    repeated("-l", "--label", help="Set meta data on a container"),
    value("-m", "--memory", help="Memory limit", metavar="bytes", convert=memory_bytes),
    value("--cpus", help="Number of CPUs", metavar="decimal", convert=nano_cpus),
    value("--restart", help="Restart policy to apply when a container exits", convert=restart_policy),
    flag("--privileged", help="Give extended privileges to this container"),
    repeated("--cap-add", help="Add Linux capabilities"),
    repeated("--cap-drop", help="Drop Linux capabilities"),
    repeated("--add-host", help="Add a custom host-to-IP mapping (host:ip)"),
    value("--health-cmd", help="Command to run to check health"),
    value(
        "--health-interval",
        help="Time between running the check (ms|s|m|h)",
        metavar="duration",
        convert=duration_ns,
    ),
    value(
        "--health-timeout",
        help="Maximum time to allow one check to run (ms|s|m|h)",
        metavar="duration",
        convert=duration_ns,
    ),
    value(
        "--health-retries", help="Consecutive failures needed to report unhealthy", metavar="int", convert=int
    ),
    value(
        "--health-start-period",
        help="Start period for the container to initialize",
        metavar="duration",
        convert=duration_ns,
    ),
    flag("--no-healthcheck", help="Disable any container-specified HEALTHCHECK"),
    PLATFORM,
    flag("--init", help="Run an init inside the container that forwards signals and reaps processes"),
    flag("--read-only", help="Mount the container's root filesystem as read only"),
    value("--stop-signal", help="Signal to stop the container"),
    value("--shm-size", help="Size of /dev/shm", metavar="bytes", convert=memory_bytes),
    repeated("--device", help="Add a host device to the container"),
    flag(
        "--replace", help="(dockermagic) Remove a container of the same name first, so the cell can run again"
    ),
    value(
        "--wait",
        help="(dockermagic) With -d: return once healthy, or every published port "
        "accepts connections, or --wait-log matched (default timeout: "
        "%config DockerMagics.wait_timeout)",
        metavar="seconds",
        optional_value=True,
        const=-1.0,
        convert=seconds,
    ),
    value(
        "--wait-log",
        help="(dockermagic) With --wait: a regular expression to wait for in the logs",
        metavar="regex",
    ),
)

POSITIONALS = (Positional("image"),)


# RunSpec fields named otherwise than their option's key
_OPTION_OF = {
    "remove": "rm",
    "env_files": "env_file",
    "volumes": "volume",
    "mounts": "mount",
    "network_aliases": "network_alias",
    "links": "link",
    "labels": "label",
    "add_hosts": "add_host",
    "devices": "device",
}
_FROM_OPTIONS = tuple(
    f.name for f in fields(RunSpec) if f.name not in ("image", "command", "create_only", "wait")
)


def _spec(p: Parsed, create_only: bool) -> RunSpec:
    if p.wait_log is not None:
        try:
            re.compile(p.wait_log)
        except re.error as exc:
            raise CommandError(f"--wait-log is not a valid regular expression: {exc}") from None
    wait = p.wait
    if p.wait_log is not None and wait is None:
        wait = -1.0
    if wait is not None and not (p.detach or create_only):
        raise CommandError("--wait needs -d: the container must run in the background to be waited for.")
    # every other field holds its option's value as parsed (a repeated option's list frozen as a tuple)
    given = {name: getattr(p, _OPTION_OF.get(name, name)) for name in _FROM_OPTIONS}
    frozen: dict[str, Any] = {name: tuple(v) if isinstance(v, list) else v for name, v in given.items()}
    return RunSpec(image=p.image, command=tuple(p.rest), create_only=create_only, wait=wait, **frozen)


@command(
    "run",
    "Create and run a new container from an image",
    OPTIONS,
    POSITIONALS,
    command_rest=True,
    family="container",
)
def run(p: Parsed) -> RunSpec:
    return _spec(p, create_only=False)


@command(
    "create",
    "Create a new container",
    [o for o in OPTIONS if o.key != "detach"],
    POSITIONALS,
    command_rest=True,
    family="container",
)
def create(p: Parsed) -> RunSpec:
    p.options["detach"] = True
    return _spec(p, create_only=True)
