"""Image commands: images, pull, push, rmi, tag, save, load, history, search, layers, image prune."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from ..errors import CommandError
from ..parsing import imageref
from .common_options import (
    FILTER,
    FORMAT,
    NO_TRUNC,
    OUTPUT_FILE,
    PLATFORM,
    QUIET_IMAGE_IDS,
    QUIET_PROGRESS,
    Filters,
)
from .grammar import Positional, flag, value
from .pruning import FILTER as PRUNE_FILTER
from .pruning import prune
from .refusals import CONTENT_TRUST, needs_api, verified_content_refused
from .registry import command
from .value_kinds import integer

Images = Annotated[tuple[str, ...], Positional("image", many=True)]


@command(
    "images",
    "List images",
    [needs_api("--tree", version="1.47", instead="%docker layers IMAGE shows one image's layers")],
    aliases=("image ls", "image list"),
)
@dataclass(frozen=True)
class ImagesSpec:
    repository: Annotated[str | None, Positional("repository", required=False)] = None
    all: Annotated[bool, flag("-a", "--all", help="Show all images (default hides intermediate images)")] = (
        False
    )
    quiet: Annotated[bool, QUIET_IMAGE_IDS] = False
    filters: Annotated[Filters, FILTER] = ()
    format: Annotated[str | None, FORMAT] = None
    no_trunc: Annotated[bool, NO_TRUNC] = False
    digests: Annotated[bool, flag("--digests", help="Show digests")] = False


class _Transfer:
    """pull and push: no content trust here, and -a names a repository, never one of its tags.

    Each spec declares its own fields.
    """

    verb: ClassVar[str]
    image: str
    all_tags: bool
    disable_content_trust: bool

    def __post_init__(self) -> None:
        verified_content_refused(self.disable_content_trust)
        if self.all_tags and imageref.with_tag(self.image) == self.image:
            raise CommandError(
                f"{self.verb} -a {self.image}: a tag can't be used with --all-tags/-a; name the repository alone."
            )


@command("pull", "Download an image from a registry", family="image", completes=("image",))
@dataclass(frozen=True)
class PullSpec(_Transfer):
    verb = "pull"
    image: Annotated[str, Positional("name")]
    all_tags: Annotated[
        bool, flag("-a", "--all-tags", help="Download all tagged images in the repository")
    ] = False
    quiet: Annotated[bool, QUIET_PROGRESS] = False
    platform: Annotated[str | None, PLATFORM] = None
    disable_content_trust: Annotated[bool, CONTENT_TRUST] = True


@command(
    "push",
    "Upload an image to a registry",
    [needs_api("--platform", version="1.46", instead="push the tag of a single-platform image")],
    family="image",
    completes=("image",),
)
@dataclass(frozen=True)
class PushSpec(_Transfer):
    verb = "push"
    image: Annotated[str, Positional("name")]
    quiet: Annotated[bool, QUIET_PROGRESS] = False
    all_tags: Annotated[
        bool, flag("-a", "--all-tags", help="Push all tags of an image to the repository")
    ] = False
    disable_content_trust: Annotated[bool, CONTENT_TRUST] = True


@command(
    "rmi",
    "Remove one or more images",
    [needs_api("--platform", version="1.50", instead="remove the image by its tag or id")],
    aliases=("image rm", "image remove", "image rmi"),
)
@dataclass(frozen=True)
class RmiSpec:
    images: Images
    force: Annotated[bool, flag("-f", "--force", help="Force removal of the image")] = False
    no_prune: Annotated[bool, flag("--no-prune", help="Do not delete untagged parents")] = False


@command("tag", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", family="image", completes=("image",))
@dataclass(frozen=True)
class TagSpec:
    source: Annotated[str, Positional("source_image")]
    target: Annotated[str, Positional("target_image")]


# save, load and history take --platform from API 1.48 on
SAVE_PLATFORM = needs_api("--platform", version="1.48", instead="save the image with all its platforms")
LOAD_PLATFORM = needs_api("--platform", version="1.48", instead="load the archive with all its platforms")
HISTORY_PLATFORM = needs_api("--platform", version="1.48", instead="name the platform's image by its id")


@command("save", "Save one or more images to a tar archive", [SAVE_PLATFORM], family="image")
@dataclass(frozen=True)
class SaveSpec:
    images: Images
    output: Annotated[str, OUTPUT_FILE] = ""


@command("load", "Load an image from a tar archive", [LOAD_PLATFORM], family="image")
@dataclass(frozen=True)
class LoadSpec:
    input: Annotated[
        str,
        value(
            "-i",
            "--input",
            help="Read from tar archive file (required in a notebook)",
            required="FILE: a notebook cell has no stdin to read from",
        ),
    ] = ""
    quiet: Annotated[bool, flag("-q", "--quiet", help="Suppress the load output")] = False


@command("history", "Show the history of an image", [HISTORY_PLATFORM], family="image")
@dataclass(frozen=True)
class HistorySpec:
    image: Annotated[str, Positional("image")]
    no_trunc: Annotated[bool, NO_TRUNC] = False
    quiet: Annotated[bool, QUIET_IMAGE_IDS] = False
    format: Annotated[str | None, FORMAT] = None
    human: Annotated[bool, flag("-H", "--human", help="Print sizes and dates in human readable format")] = (
        True
    )


@command("search", "Search a registry for images")
@dataclass(frozen=True)
class SearchSpec:
    term: Annotated[str, Positional("term")]
    limit: Annotated[int, integer("--limit", help="Max number of search results")] = 25
    filters: Annotated[Filters, FILTER] = ()  # stars=N, is-official=true|false, is-automated=true|false
    no_trunc: Annotated[bool, NO_TRUNC] = False
    format: Annotated[str | None, value("--format", help="Pretty-print search using a Go template")] = None


@command("layers", "(dockermagic) Show an image's layers: instruction, size, sharing, files changed")
@dataclass(frozen=True)
class LayersSpec:
    image: Annotated[str, Positional("image")]
    max_files: Annotated[int, integer("--max-files", help="Files listed per layer and kind")] = 300


def _unused(spec: ImagePruneSpec) -> str:
    return "every image no container uses" if spec.all else "every dangling (untagged) image"


@prune("image prune", "Remove unused images", _unused)
@dataclass(frozen=True)
class ImagePruneSpec:
    all: Annotated[bool, flag("-a", "--all", help="Remove all unused images, not just dangling ones")] = False
    filters: Annotated[Filters, PRUNE_FILTER] = ()
