"""%docker session [rm] [--notebook]: list or remove what this kernel (or notebook) created."""

from __future__ import annotations

from typing import Any

from ..commands.session import SessionRmSpec, SessionSpec
from ..engine import labelled
from ..objects.container import Container
from ..reaper.keeper import Keeper
from ..reaper.model import Mode
from ..reaper.plan import ORDER, removed_by
from ..session import NOTEBOOK_LABEL, SESSION_LABEL
from ..views.base import Text
from ..views.session import SessionTable
from . import perform


def _keeper(session: Any) -> Keeper:
    hook = session.on_create
    return hook if isinstance(hook, Keeper) else Keeper(session.session_id, lambda: None, Mode.NONE)


def _found(session: Any, notebook: bool) -> list[labelled.Labelled]:
    """Containers, networks, volumes by label; the images this kernel built by id."""
    api = session.api
    wanted = {NOTEBOOK_LABEL: session.notebook} if notebook else {SESSION_LABEL: session.session_id}
    items = {(i.kind, i.id): i for i in labelled.everything(api, wanted)}
    for image_id in _keeper(session).built:
        image = labelled.image(api, image_id)
        if image is not None:
            items.setdefault((image.kind, image.id), image)
    return sorted(items.values(), key=lambda i: (ORDER[i.kind], i.name))


@perform.register
def _session(spec: SessionSpec, session: Any) -> SessionTable:
    keeper = _keeper(session)
    built = frozenset(keeper.built)
    rows, handles = [], {}
    for item in _found(session, spec.notebook):
        mine = item.id in built or item.labels.get(SESSION_LABEL) == session.session_id
        goes = mine and removed_by(item, keeper.mode, session.session_id, built)
        rows.append(
            {
                "kind": item.kind,
                "name": item.name,
                "id": item.id.removeprefix("sha256:")[:12],
                "state": item.state,
                "kernel": "this" if mine else "earlier",
                "on_exit": "removed" if goes else "kept",
            }
        )
        if item.kind == labelled.CONTAINER:
            handles[item.name] = Container(session, item.id)
    whose = f"notebook {session.notebook}" if spec.notebook else f"session {session.session_id}"
    title = f"Created by {whose} (cleanup = {keeper.mode.value!r})"
    return SessionTable(rows, title, handles)


@perform.register
def _session_rm(spec: SessionRmSpec, session: Any) -> Text:
    removed: dict[str, int] = {}
    for item in _found(session, spec.notebook):
        if labelled.remove(session.api, item):
            removed[item.kind] = removed.get(item.kind, 0) + 1
    _keeper(session).built.clear()
    if not removed:
        return Text("Nothing to remove.")
    counts = ", ".join(f"{n} {kind}{'' if n == 1 else 's'}" for kind, n in removed.items())
    return Text(f"Removed {counts}.")
