"""Container commands other than run/create: lifecycle, listing and inspection."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import CommandError
from .grammar import Positional, flag, repeated, value
from .registry import command

NAMES = Positional("container", many=True)
ONE = Positional("container")


def filters(entries) -> dict:
    """``-f status=exited -f name=db`` -> the API's filters dict."""
    out: dict[str, list[str]] = {}
    for entry in entries:
        key, eq, val = entry.partition("=")
        if not eq or not key:
            raise CommandError(f"bad filter {entry!r}: use key=value, e.g. -f status=running")
        out.setdefault(key.strip(), []).append(val)
    return out


@dataclass(frozen=True)
class PsSpec:
    all: bool = False
    quiet: bool = False
    last: int = -1
    filters: tuple = ()
    format: str | None = None
    no_trunc: bool = False
    size: bool = False
    latest: bool = False


@command("ps", "List containers", [
    flag("-a", "--all", help="Show all containers (default shows just running)"),
    flag("-q", "--quiet", help="Only display container IDs"),
    value("-n", "--last", help="Show n last created containers (includes all states)",
          metavar="int", convert=int, default=-1),
    flag("-l", "--latest", help="Show the latest created container (includes all states)"),
    repeated("-f", "--filter", help="Filter output based on conditions provided", metavar="filter"),
    value("--format", help="Format output using a Go template ('table ...' for a table)"),
    flag("--no-trunc", help="Don't truncate output"),
    flag("-s", "--size", help="Display total file sizes"),
])
def ps(p) -> PsSpec:
    return PsSpec(p.all, p.quiet, 1 if p.latest else p.last, tuple(sorted(filters(p.filter).items())),
                  p.format, p.no_trunc, p.size, p.latest)


@dataclass(frozen=True)
class LifecycleSpec:
    action: str  # start, stop, restart, kill, rm, pause, unpause
    containers: tuple[str, ...]
    timeout: int | None = None
    signal: str | None = None
    force: bool = False
    volumes: bool = False


_TIME = value("-t", "--time", help="Seconds to wait before killing the container", metavar="int",
              convert=int)


def _lifecycle(action):
    def build(p) -> LifecycleSpec:
        return LifecycleSpec(action, tuple(p.container), timeout=p.options.get("time"),
                             signal=p.options.get("signal"), force=p.options.get("force", False),
                             volumes=p.options.get("volumes", False))
    return build


command("start", "Start one or more stopped containers", [
    flag("-a", "--attach", help="(not supported in a notebook: use %docker logs -f)"),
], [NAMES])(_lifecycle("start"))
command("stop", "Stop one or more running containers", [_TIME], [NAMES])(_lifecycle("stop"))
command("restart", "Restart one or more containers", [_TIME], [NAMES])(_lifecycle("restart"))
command("kill", "Kill one or more running containers", [
    value("-s", "--signal", help="Signal to send to the container", default="KILL"),
], [NAMES])(_lifecycle("kill"))
command("rm", "Remove one or more containers", [
    flag("-f", "--force", help="Force the removal of a running container (uses SIGKILL)"),
    flag("-v", "--volumes", help="Remove anonymous volumes associated with the container"),
], [NAMES])(_lifecycle("rm"))
command("pause", "Pause all processes within one or more containers", [], [NAMES])(_lifecycle("pause"))
command("unpause", "Unpause all processes within one or more containers", [], [NAMES])(_lifecycle("unpause"))


@dataclass(frozen=True)
class QuerySpec:
    action: str  # diff, port, top, stats
    container: str
    argument: str | None = None
    extra: tuple[str, ...] = ()


@command("diff", "Inspect changes to files or directories on a container's filesystem", [], [ONE])
def diff(p) -> QuerySpec:
    return QuerySpec("diff", p.container)


@command("port", "List port mappings or a specific mapping for the container", [],
         [ONE, Positional("private_port", required=False)])
def port(p) -> QuerySpec:
    return QuerySpec("port", p.container, p.private_port)


@command("top", "Display the running processes of a container", [], [ONE], command_rest=True)
def top(p) -> QuerySpec:
    return QuerySpec("top", p.container, " ".join(p.rest) or None)


@command("stats", "Display a snapshot of containers' resource usage", [
    flag("--no-stream", help="(always: a notebook shows one snapshot)"),
    flag("-a", "--all", help="Show all containers (default shows just running)"),
], [Positional("container", required=False, many=True)])
def stats(p) -> QuerySpec:
    return QuerySpec("stats", "", "all" if p.all else None, tuple(p.container or ()))


@dataclass(frozen=True)
class CommitSpec:
    container: str
    repository: str | None
    message: str | None = None
    author: str | None = None
    changes: tuple[str, ...] = ()
    pause: bool = True


@command("commit", "Create a new image from a container's changes", [
    value("-m", "--message", help="Commit message"),
    value("-a", "--author", help='Author (e.g., "Jane Doe <jane@example.com>")'),
    repeated("-c", "--change", help="Apply Dockerfile instruction to the created image"),
    flag("-p", "--pause", help="Pause container during commit", default=True),
], [ONE, Positional("repository", required=False)])
def commit(p) -> CommitSpec:
    return CommitSpec(p.container, p.repository, p.message, p.author, tuple(p.change), p.pause)


@dataclass(frozen=True)
class CopySpec:
    source: str
    dest: str


@command("cp", "Copy files/folders between a container and the local filesystem", [],
         [Positional("src_path"), Positional("dest_path")])
def cp(p) -> CopySpec:
    def in_container(path):
        head = path.split(":", 1)[0]
        return ":" in path and "/" not in head and head not in ("", ".")
    if in_container(p.src_path) == in_container(p.dest_path):
        raise CommandError("cp: exactly one of the two paths must be CONTAINER:PATH, "
                           "e.g. %docker cp web:/etc/hostname ./hostname")
    return CopySpec(p.src_path, p.dest_path)


@dataclass(frozen=True)
class AttachSpec:
    container: str


@command("attach", "Attach to a running container's terminal (opens a terminal widget)", [
    value("--detach-keys", help="(the widget uses ctrl-p,ctrl-q)"),
    flag("--no-stdin", help="Do not attach STDIN"),
    flag("--sig-proxy", help="(ignored in a notebook)", default=True),
], [ONE])
def attach(p) -> AttachSpec:
    return AttachSpec(p.container)
