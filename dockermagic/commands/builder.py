"""builder prune: BuildKit's cache. (``builder build`` is build's alias, declared in build.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from ..errors import CommandError
from ..parsing.units import memory_bytes
from .common_options import Filters, frozen_filters
from .grammar import flag, repeated, value
from .pruning import prune

# The keys the engine selects build cache by (dockerd's builder-next). It ignores any other key,
# a label one included (cache records carry no labels), and would then prune everything.
CACHE_FILTERS = ("until", "unused-for", "id", "parent", "type", "description", "inuse", "shared", "private")


def _cache(spec: BuilderPruneSpec) -> str:
    return "all unused build cache" if spec.all else "all dangling build cache"


@prune("builder prune", "Remove build cache", _cache, narrow="until=24h")
@dataclass(frozen=True)
class BuilderPruneSpec:
    all: Annotated[
        bool, flag("-a", "--all", help="Remove all unused build cache, not just dangling ones")
    ] = False
    filters: Annotated[
        Filters,
        repeated(
            "--filter",
            help="Provide filter values (e.g. 'until=24h')",
            metavar="filter",
            freeze=frozen_filters,
        ),
    ] = ()
    keep_storage: Annotated[
        int | None,
        value(
            "--keep-storage",
            help="Amount of disk space to keep for cache",
            metavar="bytes",
            convert=memory_bytes,
        ),
    ] = None

    def __post_init__(self) -> None:
        for key, _ in self.filters:
            if key not in CACHE_FILTERS:
                raise CommandError(
                    f"builder prune --filter {key}=...: build cache is selected by "
                    f"{', '.join(CACHE_FILTERS)} only; the engine would ignore {key} and prune all of it."
                )
