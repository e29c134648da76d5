"""build PATH, and the line of a %%dockerfile cell (the same options plus --context)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Annotated

from ..errors import CommandError
from ..parsing.keyvalue import pairs
from .common_options import PLATFORM, frozen_mapping
from .grammar import HelpRequested, Positional, flag, parse, repeated, split, usage, value
from .registry import command, fill, options_of


@command(
    "build", "Build an image from a Dockerfile (classic builder)", aliases=("image build", "builder build")
)
@dataclass(frozen=True)
class BuildSpec:
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
    labels: Annotated[
        tuple[tuple[str, str], ...],
        repeated("--label", help="Set metadata for an image", freeze=frozen_mapping("--label")),
    ] = ()
    platform: Annotated[str | None, PLATFORM] = None
    quiet: Annotated[bool, flag("-q", "--quiet", help="Suppress the build output")] = False
    # -f FILE (a path), for %docker build
    dockerfile: Annotated[
        str | None, value("-f", "--file", help="Name of the Dockerfile (default: 'PATH/Dockerfile')")
    ] = None
    cell: str | None = None  # the Dockerfile text, for %%dockerfile


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
