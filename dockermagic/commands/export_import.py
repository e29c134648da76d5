"""``export -o FILE CONTAINER`` and ``import FILE|URL [REPOSITORY[:TAG]]``: a container's
filesystem to a tar archive, and a tar archive (a file here, or a URL the engine fetches) to an image."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from ..errors import CommandError
from .common_options import OUTPUT_FILE, PLATFORM
from .grammar import Positional, repeated, value
from .registry import command


@command("export", "Export a container's filesystem as a tar archive", family="container")
@dataclass(frozen=True)
class ExportSpec:
    container: Annotated[str, Positional("container")]
    output: Annotated[str, OUTPUT_FILE] = ""  # as save's: the CLI's default is stdout


@command("import", "Import the contents from a tarball to create a filesystem image", family="image")
@dataclass(frozen=True)
class ImportSpec:
    """``source``: a path on this machine, or an http(s) URL that the engine downloads."""

    source: Annotated[str, Positional("file")]
    reference: Annotated[str | None, Positional("repository", required=False)] = None
    changes: Annotated[
        tuple[str, ...], repeated("-c", "--change", help="Apply Dockerfile instruction to the created image")
    ] = ()
    message: Annotated[str | None, value("-m", "--message", help="Set commit message for imported image")] = (
        None
    )
    platform: Annotated[str | None, PLATFORM] = None

    def __post_init__(self) -> None:
        if self.source == "-":
            raise CommandError(
                "import -: a notebook cell has no stdin to read from; name the tar file or a URL."
            )

    @property
    def from_url(self) -> bool:
        return self.source.startswith(("http://", "https://"))
