"""volume ls/create/rm/inspect/prune: spec -> engine -> view."""

from __future__ import annotations

from ..commands.volumes import (
    VolumeCreateSpec,
    VolumeInspectSpec,
    VolumeLsSpec,
    VolumePruneSpec,
    VolumeRmSpec,
)
from ..engine import volumes as engine
from ..views.base import Text
from . import perform
from .inspect import inspected
from .listing import listed, volume_rows
from .pruning import pruned

COLUMNS = [("Driver", "DRIVER"), ("Name", "VOLUME NAME")]


@perform.register
def _ls(spec: VolumeLsSpec, session):
    rows = volume_rows(engine.listing(session.api, dict(spec.filters)))
    return listed(rows, COLUMNS, "Name", spec.quiet, spec.format, "volume")


@perform.register
def _create(spec: VolumeCreateSpec, session):
    labels = session.labels(dict(spec.labels))
    return Text(engine.create(session.api, spec.name, spec.driver, labels, dict(spec.options)))


@perform.register
def _rm(spec: VolumeRmSpec, session):
    return Text("\n".join(engine.remove(session.api, spec.names, spec.force)))


@perform.register
def _inspect(spec: VolumeInspectSpec, session):
    return inspected([engine.inspect(session.api, name) for name in spec.names], spec.names, spec.format)


@perform.register
def _prune(spec: VolumePruneSpec, session):
    answer = engine.prune(session.api, dict(spec.filters), spec.all)
    return pruned(
        [("Deleted Volumes", answer.get("VolumesDeleted") or [])], answer.get("SpaceReclaimed") or 0
    )
