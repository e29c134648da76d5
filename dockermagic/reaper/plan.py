"""What clean-up removes: a pure function of the objects' labels and the mode."""

from __future__ import annotations

from collections.abc import Iterable

from ..engine.labelled import CONTAINER, IMAGE, NETWORK, SERVICE, VOLUME, Labelled
from ..session import SESSION_LABEL, TEMPORARY_LABEL
from .model import Mode

# Services first (their tasks are containers the swarm would start again), then containers (they
# hold networks and volumes), images last (containers use them).
ORDER = {SERVICE: -1, CONTAINER: 0, NETWORK: 1, VOLUME: 2, IMAGE: 3}


def removed_by(item: Labelled, mode: Mode, session_id: str, built: frozenset[str] = frozenset()) -> bool:
    """Whether ``mode`` removes ``item`` when the kernel of ``session_id`` goes.

    ``built``: ids of images the kernel built or committed, known even where
    the image carries no session label (a commit gets only the configured ones).
    """
    if mode is Mode.NONE:
        return False
    if item.kind == IMAGE and item.id in built:
        return mode is Mode.SESSION
    if item.labels.get(SESSION_LABEL) != session_id:
        return False
    if mode is Mode.SESSION:
        return True
    return item.kind == CONTAINER and item.labels.get(TEMPORARY_LABEL) == "1"


def doomed(
    items: Iterable[Labelled], mode: Mode, session_id: str, built: frozenset[str] = frozenset()
) -> list[Labelled]:
    """The items ``mode`` removes, each once, in an order the engine accepts."""
    unique = {(i.kind, i.id): i for i in items}.values()
    chosen = [i for i in unique if removed_by(i, mode, session_id, built)]
    return sorted(chosen, key=lambda i: ORDER[i.kind])
