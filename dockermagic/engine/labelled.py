"""Everything on the engine that carries a label: listed and removed by kind.

Used by the clean-up watchdog and by ``%docker session``. Each function takes
the API client and plain values. A thing that is already gone (removed by its
``--rm``, by a colleague command, by the watchdog a moment earlier) counts as
removed, not as an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CONTAINER, NETWORK, VOLUME, IMAGE = "container", "network", "volume", "image"
KINDS = (CONTAINER, NETWORK, VOLUME, IMAGE)
# A missing object (404) or one the engine is removing already (409): nothing left to do.
_GONE = (404, 409)


@dataclass(frozen=True)
class Labelled:
    """One object on the engine, reduced to what clean-up and the session view need."""

    kind: str
    id: str
    name: str
    state: str
    labels: dict[str, str] = field(default_factory=dict)


def _label_filter(labels: dict[str, str]) -> list[str]:
    return [f"{key}={value}" for key, value in labels.items()]


def containers(api: Any, labels: dict[str, str]) -> list[Labelled]:
    found = api.containers(all=True, filters={"label": _label_filter(labels)})
    return [
        Labelled(
            CONTAINER,
            c["Id"],
            (c.get("Names") or ["/"])[0].lstrip("/"),
            c.get("State") or "",
            dict(c.get("Labels") or {}),
        )
        for c in found
    ]


def networks(api: Any, labels: dict[str, str]) -> list[Labelled]:
    found = api.networks(filters={"label": _label_filter(labels)})
    return [
        Labelled(NETWORK, n["Id"], n.get("Name") or "", n.get("Driver") or "", dict(n.get("Labels") or {}))
        for n in found
    ]


def volumes(api: Any, labels: dict[str, str]) -> list[Labelled]:
    found = (api.volumes(filters={"label": _label_filter(labels)}) or {}).get("Volumes") or []
    return [
        Labelled(VOLUME, v["Name"], v["Name"], v.get("Driver") or "", dict(v.get("Labels") or {}))
        for v in found
    ]


def image(api: Any, image_id: str) -> Labelled | None:
    """One image by id (images are tracked by id: they carry no per-session label)."""
    try:
        doc = api.inspect_image(image_id)
    except Exception as exc:
        if _status(exc) == 404:
            return None
        raise
    tags = doc.get("RepoTags") or []
    return Labelled(
        IMAGE,
        doc["Id"],
        tags[0] if tags else "<none>",
        "built",
        dict((doc.get("Config") or {}).get("Labels") or {}),
    )


def everything(api: Any, labels: dict[str, str]) -> list[Labelled]:
    """Containers, networks and volumes carrying every one of ``labels``."""
    return containers(api, labels) + networks(api, labels) + volumes(api, labels)


_REMOVERS: dict[str, Callable[[Any, str], object]] = {
    CONTAINER: lambda api, ref: api.remove_container(ref, force=True, v=True),
    NETWORK: lambda api, ref: api.remove_network(ref),
    VOLUME: lambda api, ref: api.remove_volume(ref, force=True),
    IMAGE: lambda api, ref: api.remove_image(ref, force=True),
}


def remove(api: Any, item: Labelled) -> bool:
    """Remove one object (containers by force, with their anonymous volumes); False if already gone."""
    try:
        _REMOVERS[item.kind](api, item.id)
    except Exception as exc:
        if _status(exc) in _GONE:
            return False
        raise
    return True


def preload() -> None:
    """Import the SDK ahead of need (a process that must act fast later, at a kernel's death)."""
    import docker  # noqa: F401


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)
