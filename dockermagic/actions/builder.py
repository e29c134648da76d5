"""builder prune: the CLI's report of the BuildKit cache records removed."""

from __future__ import annotations

from ..commands.builder import BuilderPruneSpec
from ..engine import system
from . import perform
from .pruning import pruned


@perform.register
def _builder_prune(spec: BuilderPruneSpec, session):
    filters = {key: list(values) for key, values in spec.filters}
    gone = system.prune_build_cache(session.api, filters, spec.all, spec.keep_storage)
    return pruned(
        [("Deleted build cache objects", gone.get("CachesDeleted") or [])], gone.get("SpaceReclaimed") or 0
    )
