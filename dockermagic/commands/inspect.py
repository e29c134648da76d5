"""inspect: the low-level document of any object (container, image, network, volume)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CommandError
from .common_options import INSPECT_FORMAT
from .grammar import Parsed, Positional, flag, value
from .registry import command

KINDS = ("container", "image", "network", "volume")


@dataclass(frozen=True)
class InspectSpec:
    names: tuple[str, ...]
    format: str | None = None
    type: str | None = None  # one of KINDS; None: the first kind that has the name, in that order
    size: bool = False


@command(
    "inspect",
    "Return low-level information on Docker objects",
    [
        INSPECT_FORMAT,
        value("--type", help="Return JSON for specified type (container, image, network, volume)"),
        flag("-s", "--size", help="Display total file sizes if the type is container"),
    ],
    [Positional("name", many=True)],
    aliases=("container inspect", "image inspect"),
    completes=("container", "image"),
)
def inspect(p: Parsed) -> InspectSpec:
    if p.type not in (None, *KINDS):
        raise CommandError(f"--type {p.type}: use container, image, network or volume.")
    return InspectSpec(tuple(p.name), p.format, p.type, p.size)
