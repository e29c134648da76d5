"""compose up/down/ps/logs/exec/run/start/stop/restart/config/pull/build/top: one spec each.

Every spec carries where the project comes from (``-f FILE``, ``-p NAME``, ``--profile``; the
cell of ``%%compose``), declared once on ``ComposeTarget``. ``%docker compose -p NAME up``
writes those before the subcommand, as the compose CLI does; after it works too. After
``logs``, ``-f`` is ``--follow``, as in the compose CLI (the file is then ``--file``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from ..errors import CommandError
from .grammar import Positional, Rest, flag, repeated, value
from .logs import SINCE, TAIL, TIMESTAMPS
from .registry import command
from .value_kinds import integer

SERVICES = Positional("service", required=False, many=True)
TIMEOUT = integer("-t", "--timeout", help="Specify a shutdown timeout in seconds")


def _scales(entries: list[str]) -> tuple[tuple[str, int], ...]:
    out: dict[str, int] = {}
    for entry in entries:
        name, eq, number = entry.partition("=")
        if not eq or not name or not number.isdigit():
            raise CommandError(f"--scale {entry!r}: write SERVICE=NUMBER, e.g. --scale worker=3.")
        out[name] = int(number)
    return tuple(out.items())


def _choice(*allowed: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if text not in allowed:
            raise ValueError(f"use one of {', '.join(allowed)}")
        return text

    return check


@dataclass(frozen=True)
class ComposeTarget:
    """Where the project comes from; the cell of ``%%compose`` is filled in by the magic."""

    files: Annotated[
        tuple[str, ...], repeated("-f", "--file", help="Compose configuration files", metavar="stringArray")
    ] = ()
    project_name: Annotated[str | None, value("-p", "--project-name", help="Project name")] = None
    profiles: Annotated[
        tuple[str, ...], repeated("--profile", help="Specify a profile to enable", metavar="stringArray")
    ] = ()
    cell: str | None = None


@command("compose up", "Create and start containers (always detached: a cell cannot attach)")
@dataclass(frozen=True)
class ComposeUpSpec(ComposeTarget):
    services: Annotated[tuple[str, ...], SERVICES] = ()
    detach: Annotated[bool, flag("-d", "--detach", help="Detached mode (always, in a notebook)")] = False
    wait: Annotated[bool, flag("--wait", help="Wait for services to be running|healthy")] = False
    wait_timeout: Annotated[
        float | None,
        value("--wait-timeout", help="Maximum duration in seconds to wait", metavar="int", convert=float),
    ] = None
    scale: Annotated[
        tuple[tuple[str, int], ...],
        repeated("--scale", help="Scale SERVICE to NUM instances", metavar="scale", freeze=_scales),
    ] = ()
    remove_orphans: Annotated[
        bool, flag("--remove-orphans", help="Remove containers for services not defined in the Compose file")
    ] = False
    force_recreate: Annotated[
        bool, flag("--force-recreate", help="Recreate containers even if their configuration hasn't changed")
    ] = False
    no_recreate: Annotated[
        bool, flag("--no-recreate", help="If containers already exist, don't recreate them")
    ] = False
    build: Annotated[bool, flag("--build", help="Build images before starting containers")] = False
    no_build: Annotated[bool, flag("--no-build", help="Don't build an image, even if it's missing")] = False
    pull: Annotated[
        str,
        value(
            "--pull",
            help='Pull image before running ("always"|"missing"|"never")',
            convert=_choice("always", "missing", "never"),
        ),
    ] = "missing"
    no_start: Annotated[bool, flag("--no-start", help="Don't start the services after creating them")] = False


@command("compose down", "Stop and remove containers, networks")
@dataclass(frozen=True)
class ComposeDownSpec(ComposeTarget):
    volumes: Annotated[
        bool, flag("-v", "--volumes", help="Remove named volumes declared in the volumes section")
    ] = False
    remove_orphans: Annotated[
        bool, flag("--remove-orphans", help="Remove containers for services not defined in the Compose file")
    ] = False
    timeout: Annotated[int | None, TIMEOUT] = None


@command("compose ps", "List containers")
@dataclass(frozen=True)
class ComposePsSpec(ComposeTarget):
    services: Annotated[tuple[str, ...], SERVICES] = ()
    all: Annotated[bool, flag("-a", "--all", help="Show all stopped containers")] = False
    quiet: Annotated[bool, flag("-q", "--quiet", help="Only display IDs")] = False


@command("compose logs", "View output from containers (-f follows until Ctrl-C or every container stops)")
@dataclass(frozen=True)
class ComposeLogsSpec(ComposeTarget):
    # after ``logs``, -f is --follow as in the compose CLI; the file is --file (or -f before ``logs``)
    files: Annotated[
        tuple[str, ...], repeated("--file", help="Compose configuration files", metavar="stringArray")
    ] = ()
    services: Annotated[tuple[str, ...], SERVICES] = ()
    follow: Annotated[bool, flag("-f", "--follow", help="Follow log output (Ctrl-C / interrupt to stop)")] = (
        False
    )
    tail: Annotated[str, TAIL] = "all"
    timestamps: Annotated[bool, TIMESTAMPS] = False
    since: Annotated[str | None, SINCE] = None


@command("compose exec", "Execute a command in a running container")
@dataclass(frozen=True)
class ComposeExecSpec(ComposeTarget):
    service: Annotated[str, Positional("service")] = ""
    command: Annotated[tuple[str, ...], Rest()] = ()
    index: Annotated[int, integer("--index", help="Index of the container")] = 1
    user: Annotated[str | None, value("-u", "--user", help="Run the command as this user")] = None
    workdir: Annotated[str | None, value("-w", "--workdir", help="Path to workdir directory")] = None
    env: Annotated[tuple[str, ...], repeated("-e", "--env", help="Set environment variables")] = ()
    # a cell runs the command without a terminal unless -it asks for one (the terminal widget)
    interactive: Annotated[
        bool, flag("-i", "--interactive", help="Keep STDIN open (with -t: a terminal)")
    ] = False
    tty: Annotated[bool, flag("-t", "--tty", help="Allocate a pseudo-TTY (with -i: a terminal)")] = False
    no_tty: Annotated[
        bool, flag("-T", "--no-tty", help="Disable pseudo-TTY allocation (the default in a cell)")
    ] = False
    detach: Annotated[bool, flag("-d", "--detach", help="Detached mode: Run command in the background")] = (
        False
    )
    privileged: Annotated[bool, flag("--privileged", help="Give extended privileges to the process")] = False


@command("compose run", "Run a one-off command on a service")
@dataclass(frozen=True)
class ComposeRunSpec(ComposeTarget):
    service: Annotated[str, Positional("service")] = ""
    command: Annotated[tuple[str, ...], Rest()] = ()
    rm: Annotated[bool, flag("--rm", help="Automatically remove the container when it exits")] = False
    env: Annotated[tuple[str, ...], repeated("-e", "--env", help="Set environment variables")] = ()
    no_deps: Annotated[bool, flag("--no-deps", help="Don't start linked services")] = False
    detach: Annotated[bool, flag("-d", "--detach", help="Run container in background and return it")] = False
    service_ports: Annotated[
        bool, flag("-P", "--service-ports", help="Run command with all service's ports enabled and mapped")
    ] = False
    name: Annotated[str | None, value("--name", help="Assign a name to the container")] = None


@command("compose ls", "List running compose projects (every project on the engine, by compose's labels)")
@dataclass(frozen=True)
class ComposeLsSpec(ComposeTarget):  # -f/-p are taken, as by every member of the group, and unused
    all: Annotated[bool, flag("-a", "--all", help="Show all stopped Compose projects")] = False
    quiet: Annotated[bool, flag("-q", "--quiet", help="Only display project names")] = False
    filter: Annotated[
        tuple[str, ...], repeated("--filter", help="Filter output based on conditions provided (name=REGEXP)")
    ] = ()
    format: Annotated[
        str,
        value("--format", help="Format the output. Values: [table | json]", convert=_choice("table", "json")),
    ] = "table"


@command("compose start", "Start services")
@dataclass(frozen=True)
class ComposeStartSpec(ComposeTarget):
    services: Annotated[tuple[str, ...], SERVICES] = ()


@command("compose stop", "Stop services")
@dataclass(frozen=True)
class ComposeStopSpec(ComposeTarget):
    services: Annotated[tuple[str, ...], SERVICES] = ()
    timeout: Annotated[int | None, TIMEOUT] = None


@command("compose restart", "Restart service containers")
@dataclass(frozen=True)
class ComposeRestartSpec(ComposeTarget):
    services: Annotated[tuple[str, ...], SERVICES] = ()
    timeout: Annotated[int | None, TIMEOUT] = None


@command("compose config", "Parse, resolve and render compose file in canonical format")
@dataclass(frozen=True)
class ComposeConfigSpec(ComposeTarget):
    services_only: Annotated[bool, flag("--services", help="Print the service names, one per line")] = False
    quiet: Annotated[
        bool, flag("-q", "--quiet", help="Only validate the configuration, don't print anything")
    ] = False


@command("compose pull", "Pull service images")
@dataclass(frozen=True)
class ComposePullSpec(ComposeTarget):
    services: Annotated[tuple[str, ...], SERVICES] = ()


@command("compose build", "Build or rebuild services")
@dataclass(frozen=True)
class ComposeBuildSpec(ComposeTarget):
    services: Annotated[tuple[str, ...], SERVICES] = ()
    no_cache: Annotated[bool, flag("--no-cache", help="Do not use cache when building the image")] = False


@command("compose top", "Display the running processes")
@dataclass(frozen=True)
class ComposeTopSpec(ComposeTarget):
    services: Annotated[tuple[str, ...], SERVICES] = ()


def cell_words(words: list[str]) -> list[str]:
    """``%%compose``'s line as ``%docker compose`` words: ``[-p NAME] [COMMAND [ARGS]]``, where
    COMMAND defaults to ``up``."""
    from .registry import options_of

    shared = {name: o for o in options_of(ComposeTarget) for name in o.names}
    i = 0
    while i < len(words) and words[i].split("=", 1)[0] in shared:
        i += 1 if "=" in words[i] else 2
    return ["compose", *words] if i < len(words) else ["compose", *words, "up"]
