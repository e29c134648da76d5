"""Container commands other than run/create: lifecycle, listing, changes, queries, copies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import CommandError
from ..parsing.keyvalue import filters
from ..parsing.units import memory_bytes, nano_cpus
from .common_options import FILTER, NO_TRUNC
from .grammar import Parsed, Positional, flag, repeated, value
from .pruning import PRUNE_OPTIONS, Filters, confirmed
from .registry import command
from .run import restart_policy

NAMES = Positional("container", many=True)
ONE = Positional("container")


@dataclass(frozen=True)
class PsSpec:
    all: bool = False
    quiet: bool = False
    last: int = -1
    filters: tuple[tuple[str, list[str]], ...] = ()
    format: str | None = None
    no_trunc: bool = False
    size: bool = False
    latest: bool = False


# same shape as images' declaration (and stats'): the CLI's listing options, worded per command
@command(
    "ps",
    "List containers",
    [
        flag("-a", "--all", help="Show all containers (default shows just running)"),
        flag("-q", "--quiet", help="Only display container IDs"),
        # logs' -n/--tail looks the same: another option, another meaning
        value(
            "-n",
            "--last",
            help="Show n last created containers (includes all states)",
            metavar="int",
            convert=int,
            default=-1,
        ),
        flag("-l", "--latest", help="Show the latest created container (includes all states)"),
        FILTER,
        value("--format", help="Format output using a Go template ('table ...' for a table)"),
        NO_TRUNC,
        flag("-s", "--size", help="Display total file sizes"),
    ],
    family="container",
    aliases=("container ls", "container list"),
)
def ps(p: Parsed) -> PsSpec:
    return PsSpec(
        p.all,
        p.quiet,
        1 if p.latest else p.last,
        tuple(sorted(filters(p.filter).items())),
        p.format,
        p.no_trunc,
        p.size,
        p.latest,
    )


# one small spec per lifecycle command, as network's and volume's: one spec type per command
@dataclass(frozen=True)
class StartSpec:
    containers: tuple[str, ...]


@dataclass(frozen=True)
class StopSpec:
    containers: tuple[str, ...]
    timeout: int | None = None


@dataclass(frozen=True)
class RestartSpec:
    containers: tuple[str, ...]
    timeout: int | None = None


@dataclass(frozen=True)
class KillSpec:
    containers: tuple[str, ...]
    signal: str = "KILL"


@dataclass(frozen=True)
class RmSpec:
    containers: tuple[str, ...]
    force: bool = False
    volumes: bool = False


@dataclass(frozen=True)
class PauseSpec:
    containers: tuple[str, ...]


@dataclass(frozen=True)
class UnpauseSpec:
    containers: tuple[str, ...]


_TIME = value("-t", "--time", help="Seconds to wait before killing the container", metavar="int", convert=int)


@command(
    "start",
    "Start one or more stopped containers",
    [
        flag("-a", "--attach", help="(not supported in a notebook: use %docker logs -f)"),
    ],
    [NAMES],
    family="container",
)
def start(p: Parsed) -> StartSpec:
    return StartSpec(tuple(p.container))


@command("stop", "Stop one or more running containers", [_TIME], [NAMES], family="container")
def stop(p: Parsed) -> StopSpec:
    return StopSpec(tuple(p.container), p.time)


@command("restart", "Restart one or more containers", [_TIME], [NAMES], family="container")
def restart(p: Parsed) -> RestartSpec:
    return RestartSpec(tuple(p.container), p.time)


@command(
    "kill",
    "Kill one or more running containers",
    [
        value("-s", "--signal", help="Signal to send to the container", default="KILL"),
    ],
    [NAMES],
    family="container",
)
def kill(p: Parsed) -> KillSpec:
    return KillSpec(tuple(p.container), p.signal)


# a spec's @command has this shape everywhere (volume rm's too): the registry's declaration form
@command(
    "rm",
    "Remove one or more containers",
    [
        flag("-f", "--force", help="Force the removal of a running container (uses SIGKILL)"),
        flag("-v", "--volumes", help="Remove anonymous volumes associated with the container"),
    ],
    [NAMES],
    family="container",
    aliases=("container remove",),
)
def rm(p: Parsed) -> RmSpec:
    return RmSpec(tuple(p.container), p.force, p.volumes)


@command("pause", "Pause all processes within one or more containers", [], [NAMES], family="container")
def pause(p: Parsed) -> PauseSpec:
    return PauseSpec(tuple(p.container))


@command("unpause", "Unpause all processes within one or more containers", [], [NAMES], family="container")
def unpause(p: Parsed) -> UnpauseSpec:
    return UnpauseSpec(tuple(p.container))


@dataclass(frozen=True)
class RenameSpec:
    container: str
    new_name: str


@command("rename", "Rename a container", [], [ONE, Positional("new_name")], family="container")
def rename(p: Parsed) -> RenameSpec:
    return RenameSpec(p.container, p.new_name)


@dataclass(frozen=True)
class WaitSpec:
    containers: tuple[str, ...]


@command(
    "wait",
    "Block until one or more containers stop, then print their exit codes",
    [],
    [NAMES],
    family="container",
)
def wait(p: Parsed) -> WaitSpec:
    return WaitSpec(tuple(p.container))


@dataclass(frozen=True)
class UpdateSpec:
    containers: tuple[str, ...]
    # (field, value) pairs of the Engine API's update body, for the flags given only
    changes: tuple[tuple[str, Any], ...]


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError("use a whole number, e.g. 512") from None


def _swap_bytes(text: str) -> int:
    """``--memory-swap``: bytes, or -1 for unlimited swap."""
    return -1 if text.strip() == "-1" else memory_bytes(text)


# flag -> (the API's field, converter), in the order of the CLI's help
_UPDATE_FIELDS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "blkio_weight": ("BlkioWeight", _whole_number),
    "cpu_period": ("CpuPeriod", _whole_number),
    "cpu_quota": ("CpuQuota", _whole_number),
    "cpu_rt_period": ("CpuRealtimePeriod", _whole_number),
    "cpu_rt_runtime": ("CpuRealtimeRuntime", _whole_number),
    "cpu_shares": ("CpuShares", _whole_number),
    "cpus": ("NanoCpus", nano_cpus),
    "cpuset_cpus": ("CpusetCpus", str),
    "cpuset_mems": ("CpusetMems", str),
    "kernel_memory": ("KernelMemory", memory_bytes),
    "memory": ("Memory", memory_bytes),
    "memory_reservation": ("MemoryReservation", memory_bytes),
    "memory_swap": ("MemorySwap", _swap_bytes),
    "pids_limit": ("PidsLimit", _whole_number),
    "restart": (
        "RestartPolicy",
        lambda text: dict(zip(("Name", "MaximumRetryCount"), restart_policy(text), strict=True)),
    ),
}


@command(
    "update",
    "Update configuration of one or more containers",
    [
        value(
            "--blkio-weight",
            help="Block IO (relative weight), between 10 and 1000, or 0 to disable",
            metavar="uint16",
        ),
        value("--cpu-period", help="Limit CPU CFS (Completely Fair Scheduler) period", metavar="int"),
        value("--cpu-quota", help="Limit CPU CFS (Completely Fair Scheduler) quota", metavar="int"),
        value("--cpu-rt-period", help="Limit the CPU real-time period in microseconds", metavar="int"),
        value("--cpu-rt-runtime", help="Limit the CPU real-time runtime in microseconds", metavar="int"),
        value("-c", "--cpu-shares", help="CPU shares (relative weight)", metavar="int"),
        value("--cpus", help="Number of CPUs", metavar="decimal"),
        value("--cpuset-cpus", help="CPUs in which to allow execution (0-3, 0,1)"),
        value("--cpuset-mems", help="MEMs in which to allow execution (0-3, 0,1)"),
        value("--kernel-memory", help="Kernel memory limit", metavar="bytes"),
        value("-m", "--memory", help="Memory limit", metavar="bytes"),
        value("--memory-reservation", help="Memory soft limit", metavar="bytes"),
        value(
            "--memory-swap",
            help="Swap limit equal to memory plus swap: -1 to enable unlimited swap",
            metavar="bytes",
        ),
        value("--pids-limit", help="Tune container pids limit (set -1 for unlimited)", metavar="int"),
        value("--restart", help="Restart policy to apply when a container exits"),
    ],
    [NAMES],
    family="container",
)
def update(p: Parsed) -> UpdateSpec:
    changes = []
    for key, (field, convert) in _UPDATE_FIELDS.items():
        raw = p.options[key]
        if raw is None:
            continue
        try:
            changes.append((field, convert(raw)))
        except ValueError as exc:
            flag_name = "--" + key.replace("_", "-")
            raise CommandError(
                f'invalid argument "{raw}" for "{flag_name}" flag: {exc}. See \'%docker update --help\'.'
            ) from None
    if not changes:
        raise CommandError(
            "'%docker update' needs at least one flag, e.g. --memory 256m or "
            "--restart always. See '%docker update --help'."
        )
    return UpdateSpec(tuple(p.container), tuple(changes))


@dataclass(frozen=True)
class ContainerPruneSpec:
    filters: Filters = ()


@command(
    "container prune", "Remove all stopped containers (-f required: a notebook has no prompt)", PRUNE_OPTIONS
)
def container_prune(p: Parsed) -> ContainerPruneSpec:
    return ContainerPruneSpec(confirmed(p, "container prune", "every stopped container"))


@dataclass(frozen=True)
class DiffSpec:
    container: str


@command(
    "diff",
    "Inspect changes to files or directories on a container's filesystem",
    [],
    [ONE],
    family="container",
)
def diff(p: Parsed) -> DiffSpec:
    return DiffSpec(p.container)


@dataclass(frozen=True)
class PortSpec:
    container: str
    private_port: str | None = None


@command(
    "port",
    "List port mappings or a specific mapping for the container",
    [],
    [ONE, Positional("private_port", required=False)],
    family="container",
)
def port(p: Parsed) -> PortSpec:
    return PortSpec(p.container, p.private_port)


@dataclass(frozen=True)
class TopSpec:
    container: str
    ps_args: str | None = None


@command(
    "top", "Display the running processes of a container", [], [ONE], command_rest=True, family="container"
)
def top(p: Parsed) -> TopSpec:
    return TopSpec(p.container, " ".join(p.rest) or None)


@dataclass(frozen=True)
class CommitSpec:
    container: str
    repository: str | None
    message: str | None = None
    author: str | None = None
    changes: tuple[str, ...] = ()
    pause: bool = True


# same shape as ps' declaration: a spec, then the CLI's own option list for the command
@command(
    "commit",
    "Create a new image from a container's changes",
    [
        value("-m", "--message", help="Commit message"),
        value("-a", "--author", help='Author (e.g., "Jane Doe <jane@example.com>")'),
        repeated("-c", "--change", help="Apply Dockerfile instruction to the created image"),
        flag("-p", "--pause", help="Pause container during commit", default=True),
    ],
    [ONE, Positional("repository", required=False)],
    family="container",
)
def commit(p: Parsed) -> CommitSpec:
    return CommitSpec(p.container, p.repository, p.message, p.author, tuple(p.change), p.pause)


def container_path(arg: str) -> tuple[str, str] | None:
    """The one rule for which ``cp`` argument is ``CONTAINER:PATH``: (container, path), or None.

    Absolute paths, paths starting with '.', and words whose part before the
    first ':' holds a '/' (no container name does) are paths on this machine.
    """
    head, colon, path = arg.partition(":")
    if not colon or not head or arg.startswith("/") or head.startswith(".") or "/" in head:
        return None
    return head, path


@dataclass(frozen=True)
class CopyIntoSpec:
    """``cp HOSTPATH CONTAINER:PATH``."""

    host_path: str
    container: str
    path: str


@dataclass(frozen=True)
class CopyOutSpec:
    """``cp CONTAINER:PATH HOSTPATH``."""

    container: str
    path: str
    host_path: str


@dataclass(frozen=True)
class CopyOutArchiveSpec:
    """``cp CONTAINER:PATH -``: the tar archive itself, which the CLI writes to stdout."""

    container: str
    path: str


CopySpec = CopyIntoSpec | CopyOutSpec | CopyOutArchiveSpec


@command(
    "cp",
    "Copy files/folders between a container and the local filesystem "
    "(DEST '-' returns the tar archive, which the CLI writes to stdout)",
    [],
    [Positional("src_path"), Positional("dest_path")],
    family="container",
)
def cp(p: Parsed) -> CopySpec:
    source, dest = container_path(p.src_path), container_path(p.dest_path)
    if source is not None and dest is None:
        if p.dest_path == "-":
            return CopyOutArchiveSpec(*source)
        return CopyOutSpec(*source, p.dest_path)
    if dest is not None and source is None:
        if p.src_path == "-":
            raise CommandError(
                "cp: '-' as the source reads a tar archive from stdin, which a notebook "
                "does not have: copy a file or directory on this machine instead."
            )
        return CopyIntoSpec(p.src_path, *dest)
    raise CommandError(
        "cp: exactly one of the two paths must be CONTAINER:PATH, "
        "e.g. %docker cp web:/etc/hostname ./hostname"
    )


@dataclass(frozen=True)
class AttachSpec:
    container: str


@command(
    "attach",
    "Attach to a running container's terminal (opens a terminal widget)",
    [
        value("--detach-keys", help="(the widget uses ctrl-p,ctrl-q)"),
        flag("--no-stdin", help="Do not attach STDIN"),
        flag("--sig-proxy", help="(ignored in a notebook)", default=True),
    ],
    [ONE],
    family="container",
)
def attach(p: Parsed) -> AttachSpec:
    return AttachSpec(p.container)
