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

from ..errors import Conflict, NotFound
from .errors import call, explained

CONTAINER, NETWORK, VOLUME, IMAGE = "container", "network", "volume", "image"
SERVICE = "service"  # a swarm service (only a swarm manager lists them)
KINDS = (SERVICE, CONTAINER, NETWORK, VOLUME, IMAGE)


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
    found = call(api.containers, all=True, filters={"label": _label_filter(labels)})
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
    found = call(api.networks, filters={"label": _label_filter(labels)})
    return [
        Labelled(NETWORK, n["Id"], n.get("Name") or "", n.get("Driver") or "", dict(n.get("Labels") or {}))
        for n in found
    ]


def volumes(api: Any, labels: dict[str, str]) -> list[Labelled]:
    found = (call(api.volumes, filters={"label": _label_filter(labels)}) or {}).get("Volumes") or []
    return [
        Labelled(VOLUME, v["Name"], v["Name"], v.get("Driver") or "", dict(v.get("Labels") or {}))
        for v in found
    ]


def services(api: Any, labels: dict[str, str]) -> list[Labelled]:
    """Swarm services; none where the engine is not a swarm manager (it lists none there)."""
    info = call(api.info).get("Swarm") or {}
    if not info.get("ControlAvailable"):
        return []
    found = call(api.services, filters={"label": _label_filter(labels)})
    return [
        Labelled(
            SERVICE, s["ID"], s["Spec"].get("Name") or "", "service", dict(s["Spec"].get("Labels") or {})
        )
        for s in found
    ]


def _image(doc: dict[str, Any]) -> Labelled:
    tags = [t for t in doc.get("RepoTags") or [] if t != "<none>:<none>"]
    labels = doc.get("Labels") or (doc.get("Config") or {}).get("Labels") or {}
    return Labelled(IMAGE, doc["Id"], tags[0] if tags else "<none>", "image", dict(labels))


def images(api: Any, labels: dict[str, str]) -> list[Labelled]:
    """Tagged and top-level untagged images (not the build steps under them)."""
    return [_image(doc) for doc in call(api.images, filters={"label": _label_filter(labels)})]


def image(api: Any, image_id: str) -> Labelled | None:
    """One image by id (an image committed or built without the session's labels); None if gone."""
    try:
        return _image(call(api.inspect_image, image_id))
    except NotFound:
        return None


def everything(api: Any, labels: dict[str, str]) -> list[Labelled]:
    """Services, containers, networks, volumes and images carrying every one of ``labels``."""
    return (
        services(api, labels)
        + containers(api, labels)
        + networks(api, labels)
        + volumes(api, labels)
        + images(api, labels)
    )


_REMOVERS: dict[str, Callable[[Any, str], object]] = {
    SERVICE: lambda api, ref: api.remove_service(ref),
    CONTAINER: lambda api, ref: api.remove_container(ref, force=True, v=True),
    NETWORK: lambda api, ref: api.remove_network(ref),
    VOLUME: lambda api, ref: api.remove_volume(ref, force=True),
    IMAGE: lambda api, ref: api.remove_image(ref, force=True),
}


def remove(api: Any, item: Labelled) -> bool:
    """Remove one object (containers by force, with their anonymous volumes).

    False when there was nothing to do: already gone, or being removed (a ``--rm``
    container the engine removes as it exits).
    """
    try:
        with explained():
            _REMOVERS[item.kind](api, item.id)
    except NotFound:
        return False
    except Conflict:
        if item.kind == CONTAINER and _gone_or_going(api, item.id):
            return False
        raise
    return True


def _gone_or_going(api: Any, container_id: str) -> bool:
    try:
        state = call(api.inspect_container, container_id).get("State") or {}
    except NotFound:
        return True
    return bool(state.get("Dead") or state.get("Status") == "removing")


def preload() -> None:
    """Import the SDK ahead of need (a process that must act fast later, at a kernel's death)."""
    import docker  # noqa: F401
