"""build PATH, and the line of a %%dockerfile cell (the same options plus --context)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

from ..errors import CommandError
from ..parsing.keyvalue import pairs
from .common_options import (
    ADD_HOST,
    PLATFORM,
    ULIMIT,
    KeyValues,
    key_values,
)
from .grammar import HelpRequested, Positional, flag, parse, repeated, split, usage, value
from .option_groups import ContainerResources
from .refusals import CONTENT_TRUST, verified_content_refused
from .registry import command, fill, options_of
from .value_kinds import choice, int64, size, swap


def _builder(text: str) -> str:
    """``--builder``: which of the engine's builders runs the build."""
    if text not in ("buildkit", "classic"):
        raise ValueError(f"unknown builder {text!r}: use buildkit or classic")
    return text


def _secret(text: str) -> tuple[str, str, str]:
    """``--secret id=NAME,env=VAR`` or ``id=NAME,src=FILE`` (BuildKit): (id, kind, where)."""
    fields = dict(part.split("=", 1) for part in text.split(",") if "=" in part)
    unknown = set(fields) - {"id", "env", "src", "source", "type"}
    where = [(k, fields[k]) for k in ("env", "src", "source") if k in fields]
    if unknown or len(where) > 1 or ("id" not in fields and not where):
        raise ValueError(f"{text!r}: write id=NAME,env=VARIABLE or id=NAME,src=FILE")
    kind, place = where[0] if where else ("env", fields["id"])
    return fields.get("id") or place, "src" if kind == "source" else kind, place


@dataclass(frozen=True)
class LocalOutput:
    """``-o DIR``, ``-o type=local,dest=DIR``: the result's files written into DIR."""

    dest: str


@dataclass(frozen=True)
class TarOutput:
    """``-o type=tar,dest=FILE``: the result's files as one tar file."""

    dest: str


_NO_STDOUT = "'-' is the CLI's stdout, which a notebook cell does not have: write type=tar,dest=FILE"


def _output(text: str) -> LocalOutput | TarOutput:
    """``-o/--output`` (BuildKit), as the CLI reads it: one word that is not ``type=...`` is a
    directory; otherwise ``type=local|tar,dest=PATH``."""
    fields = next(csv.reader([text]), [])
    if len(fields) == 1 and fields[0] == text and not text.startswith("type="):
        if text == "-":
            raise ValueError(_NO_STDOUT)
        return LocalOutput(text)
    if any("=" not in f for f in fields):
        raise ValueError(f"{text!r}: write type=local,dest=DIR or type=tar,dest=FILE")
    given = dict(f.split("=", 1) for f in fields)
    kind, dest = given.pop("type", ""), given.pop("dest", "")
    if kind not in ("local", "tar"):
        raise ValueError(
            f"type={kind or '?'}: the engine's BuildKit exports type=local,dest=DIR or type=tar,dest=FILE "
            "(an image is what a build without -o makes)"
        )
    if not dest:
        raise ValueError(f"type={kind} needs dest={'DIR' if kind == 'local' else 'FILE'}")
    if given:
        raise ValueError(f"{', '.join(given)}: type={kind} takes dest= alone")
    if dest == "-":
        raise ValueError(_NO_STDOUT)
    return LocalOutput(dest) if kind == "local" else TarOutput(dest)


def _ssh(text: str) -> tuple[str, tuple[str, ...]]:
    """``--ssh default|ID[=SOCKET|KEY[,KEY]]`` (BuildKit): (ID, the paths given)."""
    name, _, paths = text.partition("=")
    return name or "default", tuple(p for p in paths.split(",") if p)


def _csv_words(entries: list[str]) -> tuple[str, ...]:
    """``--cache-from a,b``: the CLI's string slice, comma-separated values."""
    return tuple(word for entry in entries for word in next(csv.reader([entry]), []))


@command("build", "Build an image from a Dockerfile", aliases=("image build", "builder build"))
@dataclass(frozen=True)
class BuildSpec(ContainerResources):
    # a directory; None: the cell's Dockerfile needs none (%%dockerfile takes it from --context)
    context: Annotated[str | None, Positional("path")]
    tags: Annotated[
        tuple[str, ...], repeated("-t", "--tag", help="Name and optionally a tag in the 'name:tag' format")
    ] = ()
    build_args: Annotated[  # a bare KEY: None
        tuple[tuple[str, str | None], ...],
        repeated("--build-arg", help="Set build-time variables", freeze=partial(pairs, flag="--build-arg")),
    ] = ()
    target: Annotated[str | None, value("--target", help="Set the target build stage to build")] = None
    no_cache: Annotated[bool, flag("--no-cache", help="Do not use cache when building the image")] = False
    pull: Annotated[bool, flag("--pull", help="Always attempt to pull a newer version of the image")] = False
    labels: Annotated[KeyValues, key_values("--label", help="Set metadata for an image")] = ()
    platform: Annotated[str | None, PLATFORM] = None
    quiet: Annotated[bool, flag("-q", "--quiet", help="Suppress the build output")] = False
    # None: %config DockerMagics.builder decides
    builder: Annotated[
        str | None,
        value("--builder", help="Builder to run the build: buildkit or classic", convert=_builder),
    ] = None
    secrets: Annotated[
        tuple[tuple[str, str, str], ...],
        repeated(
            "--secret",
            help="Secret to expose to the build (BuildKit): id=NAME,env=VARIABLE or id=NAME,src=FILE",
            convert=_secret,
        ),
    ] = ()
    outputs: Annotated[
        tuple[LocalOutput | TarOutput, ...],
        repeated(
            "-o",
            "--output",
            help='Output destination (BuildKit; format: "type=local,dest=path" or "type=tar,dest=file")',
            convert=_output,
        ),
    ] = ()
    ssh: Annotated[
        tuple[tuple[str, tuple[str, ...]], ...],
        repeated(
            "--ssh",
            help="SSH agent socket or keys to expose to the build (BuildKit; format: "
            "default|<id>[=<socket>|<key>[,<key>]])",
            convert=_ssh,
        ),
    ] = ()
    # The build's lines are the CLI's plain progress whatever is asked: a cell is no terminal, and
    # the CLI's auto is plain where there is none. Taken so that a pasted --progress=plain works.
    progress: Annotated[
        str,
        choice(
            "--progress",
            allowed=("auto", "plain", "tty"),
            help="Set type of progress output (auto, plain; tty needs a terminal, which a cell is not)",
        ),
    ] = "auto"
    # -f FILE (a path), for %docker build
    dockerfile: Annotated[
        str | None, value("-f", "--file", help="Name of the Dockerfile (default: 'PATH/Dockerfile')")
    ] = None
    cell: str | None = None  # the Dockerfile text, for %%dockerfile
    # what the RUN steps' containers get, as with run's flags of the same names
    extra_hosts: Annotated[tuple[str, ...], ADD_HOST] = ()
    network: Annotated[
        str | None, value("--network", help="Set the networking mode for the RUN instructions during build")
    ] = None
    security_opt: Annotated[tuple[str, ...], repeated("--security-opt", help="Security options")] = ()
    ulimits: Annotated[tuple[dict[str, Any], ...], ULIMIT] = ()
    cgroup_parent: Annotated[
        str | None,
        value("--cgroup-parent", help='Set the parent cgroup for the "RUN" instructions during build'),
    ] = None
    cpu_period: Annotated[
        int | None,
        int64("--cpu-period", help="Limit the CPU CFS (Completely Fair Scheduler) period"),
    ] = None
    cpu_quota: Annotated[
        int | None,
        int64("--cpu-quota", help="Limit the CPU CFS (Completely Fair Scheduler) quota"),
    ] = None
    memory_swap: Annotated[
        int | None,
        swap("--memory-swap", help="Swap limit equal to memory plus swap: -1 to enable unlimited swap"),
    ] = None
    shm_size: Annotated[int | None, size("--shm-size", help='Size of "/dev/shm"')] = None
    # what the build sends and keeps
    cache_from: Annotated[
        tuple[str, ...],
        repeated("--cache-from", help="Images to consider as cache sources", freeze=_csv_words),
    ] = ()
    compress: Annotated[bool, flag("--compress", help="Compress the build context using gzip")] = False
    squash: Annotated[
        bool,
        flag("--squash", help="Squash newly built layers into a single new layer (experimental engines)"),
    ] = False
    iidfile: Annotated[str | None, value("--iidfile", help="Write the image ID to the file")] = None
    disable_content_trust: Annotated[bool, CONTENT_TRUST] = True
    remove: Annotated[
        bool,
        flag(
            "--rm",
            help="Remove intermediate containers after a successful build (always: --rm=false is refused)",
        ),
    ] = True
    force_remove: Annotated[
        bool, flag("--force-rm", help="Always remove intermediate containers (always done here)")
    ] = False

    @property
    def buildkit_only(self) -> list[str]:
        """The options given that only BuildKit takes."""
        given = {"--secret": self.secrets, "--output": self.outputs, "--ssh": self.ssh}
        return [flag for flag, value in given.items() if value]

    def __post_init__(self) -> None:
        verified_content_refused(self.disable_content_trust)
        if len(self.outputs) > 1:
            raise CommandError("One -o/--output per build: the engine's BuildKit exports to one place.")
        if self.outputs and self.iidfile:
            raise CommandError("--iidfile with -o/--output: a build that exports makes no image; drop one.")
        ids = [name for name, _ in self.ssh]
        if len(set(ids)) < len(ids):
            raise CommandError(
                f"--ssh: the ID {sorted(i for i in ids if ids.count(i) > 1)[0]!r} is given twice."
            )
        if self.progress == "tty":
            raise CommandError(
                "--progress=tty draws on a terminal, which a notebook cell is not: leave it out "
                "(the build's lines are the CLI's plain progress) or write --progress=plain."
            )
        if not self.remove:
            raise CommandError(
                "--rm=false would keep the build's intermediate containers: %docker always removes "
                "them, so that a build leaves nothing behind. Leave --rm out."
            )


# %%dockerfile's line: build's options but -f (the cell is the Dockerfile), and --context
CELL_OPTIONS = tuple(o for o in options_of(BuildSpec) if o.key != "file") + (
    value(
        "--context",
        help="Directory sent as the build context when the "
        "Dockerfile has ADD or COPY (default: the working directory)",
    ),
)


def parse_cell_line(line: str, cell: str) -> BuildSpec | str:
    """The %%dockerfile line; returns help text for --help."""
    try:
        p = parse("%%dockerfile", split(line), CELL_OPTIONS, ())
    except HelpRequested:
        return usage(
            "%%dockerfile", "Build the cell as a Dockerfile, streaming the build.", CELL_OPTIONS, ()
        ).replace("%docker %%dockerfile", "%%dockerfile")
    if not cell.strip():
        raise CommandError("The %%dockerfile cell is empty: write the Dockerfile below the magic line.")
    return fill(BuildSpec, p, context=p.context, cell=cell)
