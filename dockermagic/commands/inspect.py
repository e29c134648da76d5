"""inspect: the low-level document of any object (container, image, network, volume)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from ..errors import CommandError
from .common_options import INSPECT_FORMAT
from .grammar import Positional, flag, value
from .refusals import needs_api
from .registry import command

KINDS = ("container", "image", "network", "volume")


@command(
    "inspect",
    "Return low-level information on Docker objects",
    completes=("container", "image"),
)
@dataclass(frozen=True)
class InspectSpec:
    names: Annotated[tuple[str, ...], Positional("name", many=True)]
    format: Annotated[str | None, INSPECT_FORMAT] = None
    # one of KINDS; None: the first kind that has the name, in that order
    type: Annotated[
        str | None, value("--type", help="Return JSON for specified type (container, image, network, volume)")
    ] = None
    size: Annotated[bool, flag("-s", "--size", help="Display total file sizes if the type is container")] = (
        False
    )

    def __post_init__(self) -> None:
        if self.type not in (None, *KINDS):
            raise CommandError(f"--type {self.type}: use container, image, network or volume.")


# The management spellings inspect one kind only, as the CLI's do (``image inspect`` = ``--type image``).
@command("container inspect", "Display detailed information on one or more containers")
@dataclass(frozen=True)
class ContainerInspectSpec:
    names: Annotated[tuple[str, ...], Positional("container", many=True)]
    format: Annotated[str | None, INSPECT_FORMAT] = None
    size: Annotated[bool, flag("-s", "--size", help="Display total file sizes")] = False


PLATFORM = needs_api("--platform", version="1.49", instead="inspect the platform's image by its id")


@command("image inspect", "Display detailed information on one or more images", [PLATFORM])
@dataclass(frozen=True)
class ImageInspectSpec:
    names: Annotated[tuple[str, ...], Positional("image", many=True)]
    format: Annotated[str | None, INSPECT_FORMAT] = None
