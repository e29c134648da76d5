"""Image commands: images, pull, push, rmi, tag, save, load, history, search, inspect."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import CommandError
from .containers import filters
from .grammar import Positional, flag, repeated, value
from .registry import command


@dataclass(frozen=True)
class ImagesSpec:
    repository: str | None = None
    all: bool = False
    quiet: bool = False
    filters: tuple = ()
    format: str | None = None
    no_trunc: bool = False
    digests: bool = False


@command("images", "List images", [
    flag("-a", "--all", help="Show all images (default hides intermediate images)"),
    flag("-q", "--quiet", help="Only show image IDs"),
    repeated("-f", "--filter", help="Filter output based on conditions provided", metavar="filter"),
    value("--format", help="Format output using a Go template"),
    flag("--no-trunc", help="Don't truncate output"),
    flag("--digests", help="Show digests"),
], [Positional("repository", required=False)])
def images(p) -> ImagesSpec:
    return ImagesSpec(p.repository, p.all, p.quiet, tuple(sorted(filters(p.filter).items())),
                      p.format, p.no_trunc, p.digests)


@dataclass(frozen=True)
class TransferSpec:
    action: str  # pull, push
    image: str
    all_tags: bool = False
    quiet: bool = False
    platform: str | None = None


@command("pull", "Download an image from a registry", [
    flag("-a", "--all-tags", help="Download all tagged images in the repository"),
    flag("-q", "--quiet", help="Suppress verbose output"),
    value("--platform", help="Set platform if server is multi-platform capable"),
], [Positional("name")])
def pull(p) -> TransferSpec:
    return TransferSpec("pull", p.name, p.all_tags, p.quiet, p.platform)


@command("push", "Upload an image to a registry", [
    flag("-q", "--quiet", help="Suppress verbose output"),
], [Positional("name")])
def push(p) -> TransferSpec:
    return TransferSpec("push", p.name, quiet=p.quiet)


@dataclass(frozen=True)
class RmiSpec:
    images: tuple[str, ...]
    force: bool = False
    no_prune: bool = False


@command("rmi", "Remove one or more images", [
    flag("-f", "--force", help="Force removal of the image"),
    flag("--no-prune", help="Do not delete untagged parents"),
], [Positional("image", many=True)])
def rmi(p) -> RmiSpec:
    return RmiSpec(tuple(p.image), p.force, p.no_prune)


@dataclass(frozen=True)
class TagSpec:
    source: str
    target: str


@command("tag", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", [],
         [Positional("source_image"), Positional("target_image")])
def tag(p) -> TagSpec:
    return TagSpec(p.source_image, p.target_image)


@dataclass(frozen=True)
class SaveSpec:
    images: tuple[str, ...]
    output: str


@command("save", "Save one or more images to a tar archive", [
    value("-o", "--output", help="Write to a file (required in a notebook)"),
], [Positional("image", many=True)])
def save(p) -> SaveSpec:
    if not p.output:
        raise CommandError("save needs -o FILE: a notebook cell has no stdout to redirect.")
    return SaveSpec(tuple(p.image), p.output)


@dataclass(frozen=True)
class LoadSpec:
    input: str
    quiet: bool = False


@command("load", "Load an image from a tar archive", [
    value("-i", "--input", help="Read from tar archive file (required in a notebook)"),
    flag("-q", "--quiet", help="Suppress the load output"),
])
def load(p) -> LoadSpec:
    if not p.input:
        raise CommandError("load needs -i FILE: a notebook cell has no stdin to read from.")
    return LoadSpec(p.input, p.quiet)


@dataclass(frozen=True)
class HistorySpec:
    image: str
    no_trunc: bool = False
    quiet: bool = False
    format: str | None = None
    human: bool = True


@command("history", "Show the history of an image", [
    flag("--no-trunc", help="Don't truncate output"),
    flag("-q", "--quiet", help="Only show image IDs"),
    value("--format", help="Format output using a Go template"),
    flag("-H", "--human", help="Print sizes and dates in human readable format", default=True),
], [Positional("image")])
def history(p) -> HistorySpec:
    return HistorySpec(p.image, p.no_trunc, p.quiet, p.format, p.human)


@dataclass(frozen=True)
class SearchSpec:
    term: str
    limit: int = 25


@command("search", "Search a registry for images", [
    value("--limit", help="Max number of search results", metavar="int", convert=int, default=25),
    repeated("-f", "--filter", help="(accepted for compatibility)"),
    flag("--no-trunc", help="Don't truncate output"),
], [Positional("term")])
def search(p) -> SearchSpec:
    return SearchSpec(p.term, p.limit)


@dataclass(frozen=True)
class InspectSpec:
    names: tuple[str, ...]
    format: str | None = None
    type: str | None = None
    size: bool = False


@command("inspect", "Return low-level information on Docker objects", [
    value("-f", "--format", help="Format the output using a Go template"),
    value("--type", help="Return JSON for specified type (container, image, network, volume)"),
    flag("-s", "--size", help="Display total file sizes if the type is container"),
], [Positional("name", many=True)])
def inspect(p) -> InspectSpec:
    if p.type not in (None, "container", "image", "network", "volume"):
        raise CommandError(f"--type {p.type}: use container, image, network or volume.")
    return InspectSpec(tuple(p.name), p.format, p.type, p.size)


@dataclass(frozen=True)
class LayersSpec:
    image: str
    max_files: int = 300


@command("layers", "(dockermagic) Show an image's layers: instruction, size, sharing, files changed", [
    value("--max-files", help="Files listed per layer and kind", metavar="int", convert=int, default=300),
], [Positional("image")])
def layers(p) -> LayersSpec:
    return LayersSpec(p.image, p.max_files)
