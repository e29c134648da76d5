"""What clean-up removes: a pure function of the objects' labels and the mode."""

from __future__ import annotations

from collections.abc import Iterable

from ..engine.labelled import CONTAINER, IMAGE, NETWORK, VOLUME, Labelled
from ..session import SESSION_LABEL, TEMPORARY_LABEL
from .model import Mode

# Containers first (they hold networks and volumes), images last (containers use them).
ORDER = {CONTAINER: 0, NETWORK: 1, VOLUME: 2, IMAGE: 3}


def removed_by(item: Labelled, mode: Mode, session_id: str, built: frozenset[str] = frozenset()) -> bool:
    """Whether ``mode`` removes ``item`` when the kernel of ``session_id`` goes.

    Images carry no session label (a per-kernel LABEL step would be in every
    image's history): the ones the kernel built are known by id, ``built``.
    """
    if mode is Mode.NONE:
        return False
    if item.kind == IMAGE:
        return mode is Mode.SESSION and item.id in built
    if item.labels.get(SESSION_LABEL) != session_id:
        return False
    if mode is Mode.SESSION:
        return True
    return item.kind == CONTAINER and item.labels.get(TEMPORARY_LABEL) == "1"


def doomed(
    items: Iterable[Labelled], mode: Mode, session_id: str, built: frozenset[str] = frozenset()
) -> list[Labelled]:
    """The items ``mode`` removes, in an order the engine accepts."""
    chosen = [i for i in items if removed_by(i, mode, session_id, built)]
    return sorted(chosen, key=lambda i: ORDER[i.kind])
