"""``export -o FILE CONTAINER`` and ``import FILE|URL [REPOSITORY[:TAG]]``: a container's
filesystem to a tar archive, and a tar archive (a file here, or a URL the engine fetches) to an image."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CommandError
from .common_options import PLATFORM
from .grammar import Parsed, Positional, repeated, value
from .registry import command


@dataclass(frozen=True)
class ExportSpec:
    container: str
    output: str


@command(
    "export",
    "Export a container's filesystem as a tar archive",
    [value("-o", "--output", help="Write to a file (required in a notebook)")],
    [Positional("container")],
    family="container",
)
def export(p: Parsed) -> ExportSpec:
    if not p.output:  # as save: the CLI's default is its stdout
        raise CommandError("export needs -o FILE: a notebook cell has no stdout to redirect.")
    return ExportSpec(p.container, p.output)


@dataclass(frozen=True)
class ImportSpec:
    """``source``: a path on this machine, or an http(s) URL that the engine downloads."""

    source: str
    reference: str | None = None
    changes: tuple[str, ...] = ()
    message: str | None = None
    platform: str | None = None

    @property
    def from_url(self) -> bool:
        return self.source.startswith(("http://", "https://"))


@command(
    "import",
    "Import the contents from a tarball to create a filesystem image",
    [
        repeated("-c", "--change", help="Apply Dockerfile instruction to the created image"),
        value("-m", "--message", help="Set commit message for imported image"),
        PLATFORM,
    ],
    [Positional("file"), Positional("repository", required=False)],
    family="image",
)
def import_(p: Parsed) -> ImportSpec:
    if p.file == "-":
        raise CommandError("import -: a notebook cell has no stdin to read from; name the tar file or a URL.")
    return ImportSpec(p.file, p.repository, tuple(p.change), p.message, p.platform)
