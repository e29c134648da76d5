"""Container commands other than run/create: lifecycle, listing, changes, queries, copies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from ..errors import CommandError
from ..parsing import detach_keys
from ..parsing.units import memory_bytes, nano_cpus
from .common_options import FILTER, NO_TRUNC, Filters
from .grammar import Parsed, Positional, Rest, flag, refused, repeated, value
from .pruning import PruneFilters, prune
from .refusals import needs_api
from .registry import command, fill
from .run import restart_policy
from .value_kinds import integer

Containers = Annotated[tuple[str, ...], Positional("container", many=True)]
Container = Annotated[str, Positional("container")]


@dataclass(frozen=True)
class PsSpec:
    all: Annotated[bool, flag("-a", "--all", help="Show all containers (default shows just running)")] = False
    quiet: Annotated[bool, flag("-q", "--quiet", help="Only display container IDs")] = False
    last: Annotated[
        int,
        integer("-n", "--last", help="Show n last created containers (includes all states)"),
    ] = -1
    latest: Annotated[
        bool, flag("-l", "--latest", help="Show the latest created container (includes all states)")
    ] = False
    filters: Annotated[Filters, FILTER] = ()
    format: Annotated[
        str | None, value("--format", help="Format output using a Go template ('table ...' for a table)")
    ] = None
    no_trunc: Annotated[bool, NO_TRUNC] = False
    size: Annotated[bool, flag("-s", "--size", help="Display total file sizes")] = False


@command("ps", "List containers", family="container", aliases=("container ls", "container list"))
def ps(p: Parsed) -> PsSpec:
    return fill(PsSpec, p, last=1 if p.latest else p.last)


_TIME = integer("-t", "--time", "--timeout", help="Seconds to wait before killing the container")
_STOP_SIGNAL = needs_api(
    "-s", "--signal", version="1.42", instead="send it with %docker kill -s SIGNAL, then %docker wait"
)


# start -a/-i and attach: the terminal widget sends these keys when it detaches
_DETACH_KEYS = value(
    "--detach-keys", help="Override the key sequence for detaching a container", convert=detach_keys.checked
)


_CHECKPOINTS = "restoring a checkpoint needs an experimental engine with CRIU, which %docker does not drive"


@command(
    "start",
    "Start one or more stopped containers",
    [refused("--checkpoint", reason=_CHECKPOINTS), refused("--checkpoint-dir", reason=_CHECKPOINTS)],
    family="container",
)
@dataclass(frozen=True)
class StartSpec:
    containers: Containers
    attach: Annotated[bool, flag("-a", "--attach", help="Attach STDOUT/STDERR and forward signals")] = False
    detach_keys: Annotated[str | None, _DETACH_KEYS] = None
    interactive: Annotated[bool, flag("-i", "--interactive", help="Attach container's STDIN")] = False

    def __post_init__(self) -> None:
        if (self.attach or self.interactive) and len(self.containers) > 1:
            raise CommandError(
                "you cannot start and attach multiple containers at once: start -a/-i takes one "
                "container (start the others without -a, and follow one with %docker logs -f NAME)"
            )


@command("kill", "Kill one or more running containers", family="container")
@dataclass(frozen=True)
class KillSpec:
    containers: Containers
    signal: Annotated[str, value("-s", "--signal", help="Signal to send to the container")] = "KILL"


@command("rm", "Remove one or more containers", family="container", aliases=("container remove",))
@dataclass(frozen=True)
class RmSpec:
    containers: Containers
    force: Annotated[
        bool, flag("-f", "--force", help="Force the removal of a running container (uses SIGKILL)")
    ] = False
    volumes: Annotated[
        bool, flag("-v", "--volumes", help="Remove anonymous volumes associated with the container")
    ] = False
    link: Annotated[bool, flag("-l", "--link", help="Remove the specified link (/CONTAINER/ALIAS)")] = False


@dataclass(frozen=True)
class Targets:
    """What the lifecycle commands without options read: the containers."""

    containers: Containers


@dataclass(frozen=True)
class Stopping(Targets):
    """What ``stop`` and ``restart`` read."""

    timeout: Annotated[int | None, _TIME] = None


# one spec type per command (dispatch is by type), each with its base's grammar
class StopSpec(Stopping):
    pass


class RestartSpec(Stopping):
    pass


class PauseSpec(Targets):
    pass


class UnpauseSpec(Targets):
    pass


class WaitSpec(Targets):
    pass


for _spec, _name, _summary, _refused in (
    (StopSpec, "stop", "Stop one or more running containers", [_STOP_SIGNAL]),
    (RestartSpec, "restart", "Restart one or more containers", [_STOP_SIGNAL]),
    (PauseSpec, "pause", "Pause all processes within one or more containers", []),
    (UnpauseSpec, "unpause", "Unpause all processes within one or more containers", []),
    (WaitSpec, "wait", "Block until one or more containers stop, then print their exit codes", []),
):
    command(_name, _summary, _refused, family="container")(_spec)


@command("rename", "Rename a container", family="container")
@dataclass(frozen=True)
class RenameSpec:
    container: Container
    new_name: Annotated[str, Positional("new_name")]


@dataclass(frozen=True)
class UpdateSpec:
    containers: Containers
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
    return fill(UpdateSpec, p, changes=tuple(changes))


@prune("container prune", "Remove all stopped containers", "every stopped container")
class ContainerPruneSpec(PruneFilters):
    pass


@command("diff", "Inspect changes to files or directories on a container's filesystem", family="container")
@dataclass(frozen=True)
class DiffSpec:
    container: Container


@command("port", "List port mappings or a specific mapping for the container", family="container")
@dataclass(frozen=True)
class PortSpec:
    container: Container
    private_port: Annotated[str | None, Positional("private_port", required=False)] = None


def _ps_args(words: list[str]) -> str | None:
    return " ".join(words) or None


@command("top", "Display the running processes of a container", family="container")
@dataclass(frozen=True)
class TopSpec:
    container: Container
    ps_args: Annotated[str | None, Rest(_ps_args)] = None


@command("commit", "Create a new image from a container's changes", family="container")
@dataclass(frozen=True)
class CommitSpec:
    container: Container
    repository: Annotated[str | None, Positional("repository", required=False)]
    message: Annotated[str | None, value("-m", "--message", help="Commit message")] = None
    author: Annotated[
        str | None, value("-a", "--author", help='Author (e.g., "Jane Doe <jane@example.com>")')
    ] = None
    changes: Annotated[
        tuple[str, ...], repeated("-c", "--change", help="Apply Dockerfile instruction to the created image")
    ] = ()
    pause: Annotated[bool, flag("-p", "--pause", help="Pause container during commit")] = True


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
    archive: bool = False  # -a: the files get the container's user's UID/GID
    follow_link: bool = False  # -L: a symbolic link as the source is copied as what it points to
    quiet: bool = False


@dataclass(frozen=True)
class CopyOutSpec:
    """``cp CONTAINER:PATH HOSTPATH``."""

    container: str
    path: str
    host_path: str
    follow_link: bool = False
    quiet: bool = False


@dataclass(frozen=True)
class CopyOutArchiveSpec:
    """``cp CONTAINER:PATH -``: the tar archive itself, which the CLI writes to stdout."""

    container: str
    path: str
    follow_link: bool = False


CopySpec = CopyIntoSpec | CopyOutSpec | CopyOutArchiveSpec


@command(
    "cp",
    "Copy files/folders between a container and the local filesystem "
    "(DEST '-' returns the tar archive, which the CLI writes to stdout)",
    [
        flag("-a", "--archive", help="Archive mode (copy all uid/gid information)"),
        flag("-L", "--follow-link", help="Always follow symbol link in SRC_PATH"),
        flag("-q", "--quiet", help="Suppress the line saying what was copied"),
    ],
    [Positional("src_path"), Positional("dest_path")],
    family="container",
)
def cp(p: Parsed) -> CopySpec:
    source, dest = container_path(p.src_path), container_path(p.dest_path)
    if source is not None and dest is None:
        if p.dest_path == "-":
            return CopyOutArchiveSpec(*source, p.follow_link)
        return CopyOutSpec(*source, p.dest_path, p.follow_link, p.quiet)
    if dest is not None and source is None:
        if p.src_path == "-":
            raise CommandError(
                "cp: '-' as the source reads a tar archive from stdin, which a notebook "
                "does not have: copy a file or directory on this machine instead."
            )
        return CopyIntoSpec(p.src_path, *dest, p.archive, p.follow_link, p.quiet)
    raise CommandError(
        "cp: exactly one of the two paths must be CONTAINER:PATH, "
        "e.g. %docker cp web:/etc/hostname ./hostname"
    )


@command(
    "attach",
    "Attach to a running container's output (into the cell) or terminal (a terminal widget)",
    family="container",
)
@dataclass(frozen=True)
class AttachSpec:
    container: Container
    detach_keys: Annotated[str | None, _DETACH_KEYS] = None
    no_stdin: Annotated[bool, flag("--no-stdin", help="Do not attach STDIN")] = False
    # a kernel interrupt is the one signal a cell receives: SIGINT
    sig_proxy: Annotated[bool, flag("--sig-proxy", help="Proxy all received signals to the process")] = True
