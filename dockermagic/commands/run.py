"""run and create: the container's whole configuration, as the CLI reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from ..errors import CommandError
from ..parsing.units import duration_ns, memory_bytes, nano_cpus, seconds
from .common_options import ENV, ENV_FILE, INTERACTIVE, PLATFORM, TTY, USER, WORKDIR
from .grammar import Parsed, Positional, Rest, flag, repeated, value
from .registry import command, fill


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


# the container's whole configuration: a field per run option, declared on it
@dataclass(frozen=True)
class RunSpec:
    image: Annotated[str, Positional("image")]
    command: Annotated[tuple[str, ...], Rest()] = ()
    detach: Annotated[
        bool, flag("-d", "--detach", help="Run container in background and return the container object")
    ] = False
    interactive: Annotated[bool, INTERACTIVE] = False
    tty: Annotated[bool, TTY] = False
    remove: Annotated[bool, flag("--rm", help="Automatically remove the container when it exits")] = False
    name: Annotated[str | None, value("--name", help="Assign a name to the container")] = None
    env: Annotated[tuple[str, ...], ENV] = ()
    env_files: Annotated[tuple[str, ...], ENV_FILE] = ()
    publish: Annotated[
        tuple[str, ...],
        repeated(
            "-p",
            "--publish",
            help="Publish a container's port(s) to the host "
            "(no address given: binds %config DockerMagics.publish_host)",
        ),
    ] = ()
    publish_all: Annotated[
        bool, flag("-P", "--publish-all", help="Publish all exposed ports to random ports")
    ] = False
    expose: Annotated[tuple[str, ...], repeated("--expose", help="Expose a port or a range of ports")] = ()
    volumes: Annotated[tuple[str, ...], repeated("-v", "--volume", help="Bind mount a volume")] = ()
    mounts: Annotated[
        tuple[str, ...],
        repeated("--mount", help="Attach a filesystem mount to the container", metavar="mount"),
    ] = ()
    workdir: Annotated[str | None, WORKDIR] = None
    user: Annotated[str | None, USER] = None
    hostname: Annotated[str | None, value("-h", "--hostname", help="Container host name")] = None
    entrypoint: Annotated[
        str | None, value("--entrypoint", help="Overwrite the default ENTRYPOINT of the image")
    ] = None
    network: Annotated[
        str | None, value("--network", "--net", help="Connect a container to a network", metavar="network")
    ] = None
    network_aliases: Annotated[
        tuple[str, ...],
        repeated("--network-alias", "--net-alias", help="Add network-scoped alias for the container"),
    ] = ()
    links: Annotated[
        tuple[str, ...], repeated("--link", help="Add link to another container (legacy: prefer --network)")
    ] = ()
    labels: Annotated[tuple[str, ...], repeated("-l", "--label", help="Set meta data on a container")] = ()
    memory: Annotated[
        int | None, value("-m", "--memory", help="Memory limit", metavar="bytes", convert=memory_bytes)
    ] = None
    cpus: Annotated[
        int | None, value("--cpus", help="Number of CPUs", metavar="decimal", convert=nano_cpus)
    ] = None
    restart: Annotated[
        tuple[str, int] | None,
        value("--restart", help="Restart policy to apply when a container exits", convert=restart_policy),
    ] = None
    privileged: Annotated[bool, flag("--privileged", help="Give extended privileges to this container")] = (
        False
    )
    cap_add: Annotated[tuple[str, ...], repeated("--cap-add", help="Add Linux capabilities")] = ()
    cap_drop: Annotated[tuple[str, ...], repeated("--cap-drop", help="Drop Linux capabilities")] = ()
    add_hosts: Annotated[
        tuple[str, ...], repeated("--add-host", help="Add a custom host-to-IP mapping (host:ip)")
    ] = ()
    health_cmd: Annotated[str | None, value("--health-cmd", help="Command to run to check health")] = None
    health_interval: Annotated[
        int | None,
        value(
            "--health-interval",
            help="Time between running the check (ms|s|m|h)",
            metavar="duration",
            convert=duration_ns,
        ),
    ] = None
    health_timeout: Annotated[
        int | None,
        value(
            "--health-timeout",
            help="Maximum time to allow one check to run (ms|s|m|h)",
            metavar="duration",
            convert=duration_ns,
        ),
    ] = None
    health_retries: Annotated[
        int | None,
        value(
            "--health-retries",
            help="Consecutive failures needed to report unhealthy",
            metavar="int",
            convert=int,
        ),
    ] = None
    health_start_period: Annotated[
        int | None,
        value(
            "--health-start-period",
            help="Start period for the container to initialize",
            metavar="duration",
            convert=duration_ns,
        ),
    ] = None
    no_healthcheck: Annotated[
        bool, flag("--no-healthcheck", help="Disable any container-specified HEALTHCHECK")
    ] = False
    platform: Annotated[str | None, PLATFORM] = None
    init: Annotated[
        bool,
        flag("--init", help="Run an init inside the container that forwards signals and reaps processes"),
    ] = False
    read_only: Annotated[
        bool, flag("--read-only", help="Mount the container's root filesystem as read only")
    ] = False
    stop_signal: Annotated[str | None, value("--stop-signal", help="Signal to stop the container")] = None
    shm_size: Annotated[
        int | None, value("--shm-size", help="Size of /dev/shm", metavar="bytes", convert=memory_bytes)
    ] = None
    devices: Annotated[tuple[str, ...], repeated("--device", help="Add a host device to the container")] = ()
    # beyond the CLI: for notebooks
    create_only: bool = False
    replace: Annotated[
        bool,
        flag(
            "--replace",
            help="(dockermagic) Remove a container of the same name first, so the cell can run again",
        ),
    ] = False
    wait: Annotated[
        float | None,
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
    ] = None
    wait_log: Annotated[
        str | None,
        value(
            "--wait-log",
            help="(dockermagic) With --wait: a regular expression to wait for in the logs",
            metavar="regex",
        ),
    ] = None


def _spec(p: Parsed, create_only: bool) -> RunSpec:
    if p.wait_log is not None:
        try:
            re.compile(p.wait_log)
        except re.error as exc:
            raise CommandError(f"--wait-log is not a valid regular expression: {exc}") from None
    wait = p.wait
    if p.wait_log is not None and wait is None:
        wait = -1.0
    if wait is not None and not (create_only or p.detach):
        raise CommandError("--wait needs -d: the container must run in the background to be waited for.")
    if create_only:
        return fill(RunSpec, p, detach=True, create_only=True, wait=wait)
    return fill(RunSpec, p, wait=wait)


@command("run", "Create and run a new container from an image", family="container")
def run(p: Parsed) -> RunSpec:
    return _spec(p, create_only=False)


@command("create", "Create a new container", family="container", omit=("detach",))
def create(p: Parsed) -> RunSpec:
    return _spec(p, create_only=True)
