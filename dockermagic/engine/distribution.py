"""The registry's answer for an image, through the engine (``GET /distribution/{name}/json``)."""

from __future__ import annotations

from typing import Any

from .errors import call


def digest(api: Any, image: str) -> str | None:
    """The digest a registry gives for ``image`` (the engine asks it), or None when none answers."""
    try:
        found: dict[str, Any] = call(api.inspect_distribution, image)
    except Exception:  # no registry reachable, or it does not know the image: used as written
        return None
    value = (found.get("Descriptor") or {}).get("digest")
    return str(value) if value else None
