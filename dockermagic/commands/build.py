"""build PATH, and the line of a %%dockerfile cell (the same options plus --context)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import CommandError
from ..parsing.keyvalue import mapping, pairs
from .common_options import PLATFORM
from .grammar import HelpRequested, Parsed, Positional, flag, parse, repeated, split, usage, value
from .registry import command


@dataclass(frozen=True)
class BuildSpec:
    context: str | None  # a directory; None: the cell's Dockerfile needs none
    dockerfile: str | None = None  # -f FILE (a path), for %docker build
    cell: str | None = None  # the Dockerfile text, for %%dockerfile
    tags: tuple[str, ...] = ()
    build_args: tuple[tuple[str, str | None], ...] = ()  # a bare KEY: None
    target: str | None = None
    no_cache: bool = False
    pull: bool = False
    labels: tuple[tuple[str, str], ...] = ()
    platform: str | None = None
    quiet: bool = False


# the CLI's build options; network create's list has the same shape, not the same options
OPTIONS = (
    repeated("-t", "--tag", help="Name and optionally a tag in the 'name:tag' format"),
    repeated("--build-arg", help="Set build-time variables"),
    value("--target", help="Set the target build stage to build"),
    flag("--no-cache", help="Do not use cache when building the image"),
    flag("--pull", help="Always attempt to pull a newer version of the image"),
    repeated("--label", help="Set metadata for an image"),
    PLATFORM,
    flag("-q", "--quiet", help="Suppress the build output"),
)
CELL_OPTIONS = OPTIONS + (
    value(
        "--context",
        help="Directory sent as the build context when the "
        "Dockerfile has ADD or COPY (default: the working directory)",
    ),
)


def _common(p: Parsed) -> dict[str, Any]:
    """What ``build`` and ``%%dockerfile`` share: every option but the Dockerfile's place."""
    return dict(
        tags=tuple(p.tag),
        build_args=pairs(p.build_arg, "--build-arg"),
        target=p.target,
        no_cache=p.no_cache,
        pull=p.pull,
        labels=tuple(mapping(p.label, "--label").items()),
        platform=p.platform,
        quiet=p.quiet,
    )


@command(
    "build",
    "Build an image from a Dockerfile (classic builder)",
    OPTIONS + (value("-f", "--file", help="Name of the Dockerfile (default: 'PATH/Dockerfile')"),),
    [Positional("path")],
    aliases=("image build", "builder build"),
)
def build(p: Parsed) -> BuildSpec:
    return BuildSpec(context=p.path, dockerfile=p.file, **_common(p))


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
    return BuildSpec(context=p.context, cell=cell, **_common(p))
