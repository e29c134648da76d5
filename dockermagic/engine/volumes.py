"""Volumes over the Engine API: one function per operation, taking the API client and plain
values, returning the engine's answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import CommandError
from .containers import each
from .errors import call, explained
from .networks import Filters, api_filters
from .pruning import when_free

# Before this API version a volume prune removes named volumes too, and takes no ``all`` filter.
PRUNE_ALL_API = (1, 42)


def listing(api: Any, filters: Filters) -> list[dict[str, Any]]:
    """``GET /volumes``: the volumes (the engine's ``Warnings`` are dropped)."""
    answer = call(api.volumes, filters=api_filters(filters)) or {}
    found: list[dict[str, Any]] = answer.get("Volumes") or []
    return found


def create(
    api: Any,
    name: str | None,
    driver: str,
    labels: Mapping[str, str] | None = None,
    options: Mapping[str, str] | None = None,
) -> str:
    """``POST /volumes/create``: the volume's name (the engine makes one up when ``name`` is None)."""
    result = call(
        api.create_volume,
        name,
        driver=driver,
        driver_opts=dict(options or {}) or None,
        labels=dict(labels or {}),
    )
    return str(result["Name"])


def remove(api: Any, names: Iterable[str], force: bool = False) -> list[str]:
    """``DELETE /volumes/{name}`` for each name; all are tried, failures reported together.

    The SDK's ``remove_volume`` never sends ``force`` (it hands it to ``_url``, which drops it), so a
    missing volume failed ``rm -f``; the request is made here with the query the CLI sends.
    """

    def remove_one(name: str) -> None:
        response = api._delete(api._url("/volumes/{0}", name), params={"force": "1"} if force else None)
        api._raise_for_status(response)

    return each(names, remove_one)


def inspect(api: Any, name: str) -> dict[str, Any]:
    """``GET /volumes/{name}``; a missing volume is one line that says where to look."""
    with explained(missing=f"No such volume: {name}. See %docker volume ls for the names that exist."):
        found: dict[str, Any] = api.inspect_volume(name)
    return found


def prune(api: Any, filters: Filters, all: bool = False) -> dict[str, Any]:
    """``POST /volumes/prune``: ``VolumesDeleted`` and ``SpaceReclaimed``.

    ``all`` (API 1.42+) removes named volumes too; older engines always do, and refuse the filter.
    """
    sent = api_filters(filters) or {}
    if all:
        spoken = tuple(int(part) for part in str(api.api_version).split("."))
        if spoken < PRUNE_ALL_API:
            raise CommandError(
                f'"--all" requires API version {".".join(map(str, PRUNE_ALL_API))}, but the engine '
                f"speaks {api.api_version}: leave -a out, a prune on this engine removes named volumes too."
            )
        sent["all"] = ["true"]
    result: dict[str, Any] = when_free(call, api.prune_volumes, filters=sent or None)
    return result
