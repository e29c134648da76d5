"""Engine-wide facts and clean-up: version, info, disk usage, build cache prune. Each function takes
the API client and plain values and returns the engine's answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .errors import call
from .networks import api_filters
from .pruning import when_free


def sdk_version() -> str:
    """The docker SDK's own version: the client half of ``--version``."""
    import docker

    return str(docker.__version__)


def sdk_default_api_version() -> str:
    """The newest API version the docker SDK speaks (the CLI's ``DefaultAPIVersion``)."""
    import docker.constants

    return str(docker.constants.DEFAULT_DOCKER_API_VERSION)


def version(api: Any) -> dict[str, Any]:
    """``GET /version``."""
    found: dict[str, Any] = call(api.version)
    return found


def api_version(api: Any) -> str:
    """The API version this client negotiated with the engine."""
    return str(api.api_version)


def info(api: Any) -> dict[str, Any]:
    """``GET /info``."""
    found: dict[str, Any] = call(api.info)
    return found


def disk_usage(api: Any) -> dict[str, Any]:
    """``GET /system/df``, waiting while someone else's count runs."""
    found: dict[str, Any] = when_free(call, api.df)
    return found


def prune_build_cache(
    api: Any, filters: Mapping[str, Sequence[str]], all: bool = False, keep_storage: int | None = None
) -> dict[str, Any]:
    """``POST /build/prune``: ``CachesDeleted`` and ``SpaceReclaimed``."""
    result: dict[str, Any] = when_free(
        call, api.prune_builds, filters=api_filters(filters), all=all or None, keep_storage=keep_storage
    )
    return result
