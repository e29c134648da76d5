"""run and create: the container's whole configuration, as the CLI reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from ..errors import CommandError
from ..parsing import container_values as cv
from ..parsing import detach_keys
from ..parsing.units import seconds
from .common_options import (
    ADD_HOST,
    CAP_ADD,
    CAP_DROP,
    DNS,
    DNS_SEARCH,
    ENV,
    ENV_FILE,
    INTERACTIVE,
    PLATFORM,
    READ_ONLY,
    STOP_SIGNAL,
    TTY,
    ULIMIT,
    USER,
    WORKDIR,
)
from .grammar import Parsed, Positional, Rest, flag, refused, repeated, value
from .option_groups import ContainerResources, HealthCheck
from .registry import command, fill
from .value_kinds import cpus, device_bps, device_iops, duration, int64, size, swap

# run's limits on the CPU scheduler and on devices' IO, named here so that each field is one line
CPU_PERIOD = int64("--cpu-period", help="Limit CPU CFS (Completely Fair Scheduler) period")
CPU_QUOTA = int64("--cpu-quota", help="Limit CPU CFS (Completely Fair Scheduler) quota")
CPU_RT_PERIOD = int64("--cpu-rt-period", help="Limit CPU real-time period in microseconds")
CPU_RT_RUNTIME = int64("--cpu-rt-runtime", help="Limit CPU real-time runtime in microseconds")
Rates = tuple[dict[str, Any], ...]  # --device-read-bps...: a limit per device
READ_BPS = device_bps("--device-read-bps", help="Limit read rate (bytes per second) from a device")
READ_IOPS = device_iops("--device-read-iops", help="Limit read rate (IO per second) from a device")
WRITE_BPS = device_bps("--device-write-bps", help="Limit write rate (bytes per second) to a device")
WRITE_IOPS = device_iops("--device-write-iops", help="Limit write rate (IO per second) to a device")


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


# the container's whole configuration: a field per run option, declared on it or on its groups
@dataclass(frozen=True)
class RunSpec(HealthCheck, ContainerResources):
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
        tuple[dict[str, Any], ...],
        repeated(
            "--mount", help="Attach a filesystem mount to the container", metavar="mount", convert=cv.mount
        ),
    ] = ()
    workdir: Annotated[str | None, WORKDIR] = None
    user: Annotated[str | None, USER] = None
    hostname: Annotated[str | None, value("-h", "--hostname", help="Container host name")] = None
    entrypoint: Annotated[
        str | None, value("--entrypoint", help="Overwrite the default ENTRYPOINT of the image")
    ] = None
    networks: Annotated[
        tuple[dict[str, Any], ...],
        repeated(
            "--network",
            "--net",
            help="Connect a container to a network (NAME, or name=NAME,ip=,ip6=,alias=,driver-opt=,link-local-ip=)",
            metavar="network",
            convert=cv.network,
        ),
    ] = ()
    network_aliases: Annotated[
        tuple[str, ...],
        repeated("--network-alias", "--net-alias", help="Add network-scoped alias for the container"),
    ] = ()
    links: Annotated[
        tuple[str, ...],
        repeated("--link", help="Add link to another container (legacy: prefer --network)", convert=cv.link),
    ] = ()
    labels: Annotated[tuple[str, ...], repeated("-l", "--label", help="Set meta data on a container")] = ()
    cpus: Annotated[int | None, cpus("--cpus", help="Number of CPUs")] = None
    restart: Annotated[
        tuple[str, int] | None,
        value("--restart", help="Restart policy to apply when a container exits", convert=restart_policy),
    ] = None
    privileged: Annotated[bool, flag("--privileged", help="Give extended privileges to this container")] = (
        False
    )
    cap_add: Annotated[tuple[str, ...], CAP_ADD] = ()
    cap_drop: Annotated[tuple[str, ...], CAP_DROP] = ()
    add_hosts: Annotated[tuple[str, ...], ADD_HOST] = ()
    health_start_period: Annotated[
        int | None,
        duration("--health-start-period", help="Start period for the container to initialize"),
    ] = None
    platform: Annotated[str | None, PLATFORM] = None
    # None when not given: the CLI sends Init only when the flag is written (--init=false too)
    init: Annotated[
        bool | None,
        value(
            "--init",
            help="Run an init inside the container that forwards signals and reaps processes",
            metavar="bool",
            optional_value=True,
            const=True,
            convert=cv.boolean,
        ),
    ] = None
    read_only: Annotated[bool, READ_ONLY] = False
    stop_signal: Annotated[str | None, STOP_SIGNAL] = None
    shm_size: Annotated[int | None, size("--shm-size", help="Size of /dev/shm")] = None
    devices: Annotated[tuple[str, ...], repeated("--device", help="Add a host device to the container")] = ()
    # the rest of the CLI's run/create flags, in the order of its --help
    attach: Annotated[
        tuple[str, ...],
        repeated("-a", "--attach", help="Attach to STDIN, STDOUT or STDERR", convert=cv.attach_stream),
    ] = ()
    blkio_weight: Annotated[
        int | None,
        value(
            "--blkio-weight",
            help="Block IO (relative weight), between 10 and 1000, or 0 to disable",
            metavar="uint16",
            convert=cv.blkio_weight,
        ),
    ] = None
    blkio_weight_devices: Annotated[
        tuple[dict[str, Any], ...],
        repeated(
            "--blkio-weight-device", help="Block IO weight (relative device weight)", convert=cv.weight_device
        ),
    ] = ()
    cgroup_parent: Annotated[
        str | None, value("--cgroup-parent", help="Optional parent cgroup for the container")
    ] = None
    cgroupns: Annotated[
        str | None,
        value("--cgroupns", help="Cgroup namespace to use (host|private)", convert=cv.cgroupns_mode),
    ] = None
    cidfile: Annotated[str | None, value("--cidfile", help="Write the container ID to the file")] = None
    cpu_period: Annotated[int | None, CPU_PERIOD] = None
    cpu_quota: Annotated[int | None, CPU_QUOTA] = None
    cpu_rt_period: Annotated[int | None, CPU_RT_PERIOD] = None
    cpu_rt_runtime: Annotated[int | None, CPU_RT_RUNTIME] = None
    device_cgroup_rules: Annotated[
        tuple[str, ...],
        repeated(
            "--device-cgroup-rule",
            help="Add a rule to the cgroup allowed devices list",
            convert=cv.device_cgroup_rule,
        ),
    ] = ()
    device_read_bps: Annotated[Rates, READ_BPS] = ()
    device_read_iops: Annotated[Rates, READ_IOPS] = ()
    device_write_bps: Annotated[Rates, WRITE_BPS] = ()
    device_write_iops: Annotated[Rates, WRITE_IOPS] = ()
    detach_keys: Annotated[
        str | None,
        value(
            "--detach-keys",
            help="Override the key sequence for detaching a container (-it: the terminal widget's)",
            convert=detach_keys.checked,
        ),
    ] = None
    disable_content_trust: Annotated[
        bool,
        flag(
            "--disable-content-trust",
            help="Skip image verification (default true; image signatures are never checked)",
            default=True,
        ),
    ] = True
    dns: Annotated[tuple[str, ...], DNS] = ()
    dns_options: Annotated[
        tuple[str, ...], repeated("--dns-option", "--dns-opt", help="Set DNS options")
    ] = ()
    dns_search: Annotated[tuple[str, ...], DNS_SEARCH] = ()
    domainname: Annotated[str | None, value("--domainname", help="Container NIS domain name")] = None
    gpus: Annotated[
        tuple[dict[str, Any], ...],
        repeated(
            "--gpus",
            help="GPU devices to add to the container ('all' to pass all GPUs)",
            metavar="gpu-request",
            convert=cv.gpu_request,
        ),
    ] = ()
    group_add: Annotated[tuple[str, ...], repeated("--group-add", help="Add additional groups to join")] = ()
    ip: Annotated[str | None, value("--ip", help="IPv4 address (e.g., 172.30.100.104)")] = None
    ip6: Annotated[str | None, value("--ip6", help="IPv6 address (e.g., 2001:db8::33)")] = None
    ipc: Annotated[str | None, value("--ipc", help="IPC mode to use")] = None
    kernel_memory: Annotated[int | None, size("--kernel-memory", help="Kernel memory limit")] = None
    label_files: Annotated[
        tuple[str, ...], repeated("--label-file", help="Read in a line delimited file of labels")
    ] = ()
    link_local_ips: Annotated[
        tuple[str, ...], repeated("--link-local-ip", help="Container IPv4/IPv6 link-local addresses")
    ] = ()
    log_driver: Annotated[str | None, value("--log-driver", help="Logging driver for the container")] = None
    log_opts: Annotated[tuple[str, ...], repeated("--log-opt", help="Log driver options")] = ()
    mac_address: Annotated[
        str | None,
        value(
            "--mac-address", help="Container MAC address (e.g., 92:d0:c6:0a:29:33)", convert=cv.mac_address
        ),
    ] = None
    memory_reservation: Annotated[int | None, size("--memory-reservation", help="Memory soft limit")] = None
    memory_swap: Annotated[
        int | None,
        swap("--memory-swap", help="Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
    ] = None
    memory_swappiness: Annotated[
        int | None,
        value(
            "--memory-swappiness",
            help="Tune container memory swappiness (0 to 100)",
            metavar="int",
            convert=cv.swappiness,
        ),
    ] = None
    oom_kill_disable: Annotated[bool, flag("--oom-kill-disable", help="Disable OOM Killer")] = False
    oom_score_adj: Annotated[
        int | None,
        int64("--oom-score-adj", help="Tune host's OOM preferences (-1000 to 1000)"),
    ] = None
    pid: Annotated[str | None, value("--pid", help="PID namespace to use", convert=cv.pid_mode)] = None
    pids_limit: Annotated[
        int | None,
        int64("--pids-limit", help="Tune container pids limit (set -1 for unlimited)"),
    ] = None
    pull: Annotated[
        str,
        value(
            "--pull",
            help='Pull image before running ("always", "missing", "never")',
            convert=cv.pull_policy,
            default="missing",
        ),
    ] = "missing"
    quiet: Annotated[bool, flag("-q", "--quiet", help="Suppress the pull output")] = False
    runtime: Annotated[str | None, value("--runtime", help="Runtime to use for this container")] = None
    security_opts: Annotated[
        tuple[str, ...], repeated("--security-opt", help="Security Options", convert=cv.security_opt)
    ] = ()
    stop_timeout: Annotated[
        int | None,
        int64("--stop-timeout", help="Timeout (in seconds) to stop a container"),
    ] = None
    storage_opts: Annotated[
        tuple[str, ...],
        repeated("--storage-opt", help="Storage driver options for the container", convert=cv.storage_opt),
    ] = ()
    sysctls: Annotated[
        tuple[str, ...], repeated("--sysctl", help="Sysctl options", metavar="map", convert=cv.sysctl)
    ] = ()
    tmpfs: Annotated[
        tuple[tuple[str, str], ...], repeated("--tmpfs", help="Mount a tmpfs directory", convert=cv.tmpfs)
    ] = ()
    ulimits: Annotated[tuple[dict[str, Any], ...], ULIMIT] = ()
    userns: Annotated[str | None, value("--userns", help="User namespace to use", convert=cv.userns_mode)] = (
        None
    )
    uts: Annotated[str | None, value("--uts", help="UTS namespace to use", convert=cv.uts_mode)] = None
    volume_driver: Annotated[
        str | None, value("--volume-driver", help="Optional volume driver for the container")
    ] = None
    volumes_from: Annotated[
        tuple[str, ...],
        repeated("--volumes-from", help="Mount volumes from the specified container(s)"),
    ] = ()
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
    if not p.disable_content_trust:
        raise CommandError(
            "--disable-content-trust=false asks for signed images (Docker Content Trust), which %docker "
            "does not verify: drop the flag, or check signatures outside the notebook."
        )
    if create_only:
        return fill(RunSpec, p, detach=True, create_only=True, wait=wait)
    return fill(RunSpec, p, wait=wait)


_NEWER_API = "needs engine API {}, newer than docker.io's 20.10 engine (1.41) that %docker is built for"
# the CLI's flags that a run or a create takes and %docker refuses, each with its reason
REFUSED = (
    refused(
        "--use-api-socket",
        reason="it hands the container this engine's socket and your registry credentials; "
        "if you mean it, mount the socket yourself with -v /var/run/docker.sock:/var/run/docker.sock",
    ),
    refused("--health-start-interval", reason=_NEWER_API.format("1.44")),
    refused("--annotation", reason=_NEWER_API.format("1.43")),
    refused(
        "--cpu-count", "--cpu-percent", "--io-maxbandwidth", "--io-maxiops", reason="Windows containers only"
    ),
)
# and those that only a run (attached to a terminal) takes
RUN_REFUSED = (
    refused(
        "--sig-proxy",
        reason="a kernel has no terminal signals to forward: an interrupt stops a foreground container "
        "(and --rm removes it)",
    ),
)


@command("run", "Create and run a new container from an image", REFUSED + RUN_REFUSED, family="container")
def run(p: Parsed) -> RunSpec:
    return _spec(p, create_only=False)


@command("create", "Create a new container", REFUSED, family="container", omit=("detach", "detach_keys"))
def create(p: Parsed) -> RunSpec:
    return _spec(p, create_only=True)
