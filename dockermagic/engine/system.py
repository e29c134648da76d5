"""Engine-wide facts: version and info."""
from __future__ import annotations

from ..errors import explain


def version(client) -> dict:
    try:
        return client.api.version()
    except Exception as exc:
        raise explain(exc) from exc


def info(client) -> dict:
    try:
        return client.api.info()
    except Exception as exc:
        raise explain(exc) from exc
