"""Image commands: images, pull, push, rmi, tag, save, load, history, search, layers, image prune."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CommandError
from ..parsing import imageref
from .common_options import FILTER, FORMAT, NO_TRUNC, PLATFORM, QUIET_IMAGE_IDS, QUIET_PROGRESS
from .grammar import Parsed, Positional, flag, value
from .pruning import PRUNE_OPTIONS, Filters, confirmed, frozen_filters
from .registry import command


@dataclass(frozen=True)
class ImagesSpec:
    repository: str | None = None
    all: bool = False
    quiet: bool = False
    filters: Filters = ()
    format: str | None = None
    no_trunc: bool = False
    digests: bool = False


@command(
    "images",
    "List images",
    [
        flag("-a", "--all", help="Show all images (default hides intermediate images)"),
        QUIET_IMAGE_IDS,
        FILTER,
        FORMAT,
        NO_TRUNC,
        flag("--digests", help="Show digests"),
    ],
    [Positional("repository", required=False)],
    aliases=("image ls", "image list"),
)
def images(p: Parsed) -> ImagesSpec:
    return ImagesSpec(p.repository, p.all, p.quiet, frozen_filters(p.filter), p.format, p.no_trunc, p.digests)


@dataclass(frozen=True)
class PullSpec:
    image: str
    all_tags: bool = False
    quiet: bool = False
    platform: str | None = None


# alike in shape to stats' declaration: each lists the CLI's own options
@command(
    "pull",
    "Download an image from a registry",
    [
        flag("-a", "--all-tags", help="Download all tagged images in the repository"),
        QUIET_PROGRESS,
        PLATFORM,
    ],
    [Positional("name")],
    family="image",
    completes=("image",),
)
def pull(p: Parsed) -> PullSpec:
    if p.all_tags and imageref.with_tag(p.name) == p.name:
        raise CommandError(
            f"pull -a {p.name}: a tag can't be used with --all-tags/-a; name the repository alone."
        )
    return PullSpec(p.name, p.all_tags, p.quiet, p.platform)


@dataclass(frozen=True)
class PushSpec:
    image: str
    quiet: bool = False


@command(
    "push",
    "Upload an image to a registry",
    [QUIET_PROGRESS],
    [Positional("name")],
    family="image",
    completes=("image",),
)
def push(p: Parsed) -> PushSpec:
    return PushSpec(p.name, p.quiet)


@dataclass(frozen=True)
class RmiSpec:
    images: tuple[str, ...]
    force: bool = False
    no_prune: bool = False


# rmi, tag and save share the registry's declaration form, not logic
@command(
    "rmi",
    "Remove one or more images",
    [
        flag("-f", "--force", help="Force removal of the image"),
        flag("--no-prune", help="Do not delete untagged parents"),
    ],
    [Positional("image", many=True)],
    aliases=("image rm",),
)
def rmi(p: Parsed) -> RmiSpec:
    return RmiSpec(tuple(p.image), p.force, p.no_prune)


@dataclass(frozen=True)
class TagSpec:
    source: str
    target: str


@command(
    "tag",
    "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    [],
    [Positional("source_image"), Positional("target_image")],
    family="image",
    completes=("image",),
)
def tag(p: Parsed) -> TagSpec:
    return TagSpec(p.source_image, p.target_image)


@dataclass(frozen=True)
class SaveSpec:
    images: tuple[str, ...]
    output: str


@command(
    "save",
    "Save one or more images to a tar archive",
    [
        value("-o", "--output", help="Write to a file (required in a notebook)"),
    ],
    [Positional("image", many=True)],
    family="image",
)
def save(p: Parsed) -> SaveSpec:
    if not p.output:
        raise CommandError("save needs -o FILE: a notebook cell has no stdout to redirect.")
    return SaveSpec(tuple(p.image), p.output)


@dataclass(frozen=True)
class LoadSpec:
    input: str
    quiet: bool = False


@command(
    "load",
    "Load an image from a tar archive",
    [
        value("-i", "--input", help="Read from tar archive file (required in a notebook)"),
        flag("-q", "--quiet", help="Suppress the load output"),
    ],
    family="image",
)
def load(p: Parsed) -> LoadSpec:
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


@command(
    "history",
    "Show the history of an image",
    [
        NO_TRUNC,
        QUIET_IMAGE_IDS,
        FORMAT,
        flag("-H", "--human", help="Print sizes and dates in human readable format", default=True),
    ],
    [Positional("image")],
    family="image",
)
def history(p: Parsed) -> HistorySpec:
    return HistorySpec(p.image, p.no_trunc, p.quiet, p.format, p.human)


@dataclass(frozen=True)
class SearchSpec:
    term: str
    limit: int = 25
    filters: Filters = ()  # stars=N, is-official=true|false, is-automated=true|false
    no_trunc: bool = False


@command(
    "search",
    "Search a registry for images",
    [
        value("--limit", help="Max number of search results", metavar="int", convert=int, default=25),
        FILTER,
        NO_TRUNC,
    ],
    [Positional("term")],
)
def search(p: Parsed) -> SearchSpec:
    return SearchSpec(p.term, p.limit, frozen_filters(p.filter), p.no_trunc)


@dataclass(frozen=True)
class LayersSpec:
    image: str
    max_files: int = 300


@command(
    "layers",
    "(dockermagic) Show an image's layers: instruction, size, sharing, files changed",
    [
        value("--max-files", help="Files listed per layer and kind", metavar="int", convert=int, default=300),
    ],
    [Positional("image")],
)
def layers(p: Parsed) -> LayersSpec:
    return LayersSpec(p.image, p.max_files)


@dataclass(frozen=True)
class ImagePruneSpec:
    all: bool = False
    filters: Filters = ()


@command(
    "image prune",
    "Remove unused images (-f required: a notebook has no prompt)",
    [flag("-a", "--all", help="Remove all unused images, not just dangling ones"), *PRUNE_OPTIONS],
)
def image_prune(p: Parsed) -> ImagePruneSpec:
    removes = "every image no container uses" if p.all else "every dangling (untagged) image"
    return ImagePruneSpec(p.all, confirmed(p, "image prune", removes))
