"""Swarm and its nodes over the Engine API: one function per operation, taking the API client and
plain values (the bodies the CLI sends), returning the engine's answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .errors import call, explained

Filters = Mapping[str, Sequence[str]]

NOT_A_MANAGER = (
    "This engine is not a swarm manager: %docker swarm init makes it one, or point "
    "%config DockerMagics.base_url at a manager."
)


def api_filters(filters: Filters) -> dict[str, list[str]] | None:
    """The SDK serialises lists only (a tuple would be sent as one value)."""
    return {key: list(values) for key, values in filters.items()} or None


def _post(api: Any, path: str, body: Mapping[str, Any], params: Mapping[str, Any] | None = None) -> Any:
    """POST ``body`` as JSON; the decoded answer (None when empty)."""
    url = api._url(path)

    def post() -> Any:
        response = api._post_json(url, data=dict(body), params=dict(params or {}))
        api._raise_for_status(response)
        return response.json() if response.content else None

    return call(post)


def init(api: Any, body: Mapping[str, Any]) -> str:
    """``POST /swarm/init`` with the CLI's body (``ListenAddr``, ``AdvertiseAddr``, ``Spec``...): the
    new node's id."""
    return str(_post(api, "/swarm/init", body))


def join(api: Any, body: Mapping[str, Any]) -> None:
    """``POST /swarm/join`` (``RemoteAddrs``, ``JoinToken``, ``ListenAddr``...)."""
    _post(api, "/swarm/join", body)


def leave(api: Any, force: bool = False) -> None:
    """``POST /swarm/leave``."""
    call(api.leave_swarm, force=force)


def inspect(api: Any) -> dict[str, Any]:
    """``GET /swarm``: the swarm's spec, version and join tokens (managers only)."""
    with explained(missing=NOT_A_MANAGER):
        found: dict[str, Any] = api.inspect_swarm()
    return found


def update(
    api: Any,
    version: int,
    body: Mapping[str, Any],
    rotate_worker_token: bool = False,
    rotate_manager_token: bool = False,
    rotate_manager_unlock_key: bool = False,
) -> None:
    """``POST /swarm/update?version=N`` with the whole spec (the engine replaces it)."""
    params = {
        "version": version,
        "rotateWorkerToken": rotate_worker_token,
        "rotateManagerToken": rotate_manager_token,
        "rotateManagerUnlockKey": rotate_manager_unlock_key,
    }
    _post(
        api,
        "/swarm/update",
        body,
        {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()},
    )


def unlock(api: Any, key: str) -> None:
    """``POST /swarm/unlock``."""
    _post(api, "/swarm/unlock", {"UnlockKey": key})


def unlock_key(api: Any) -> str:
    """``GET /swarm/unlockkey``: the key ('' when autolock is off)."""
    found: dict[str, Any] = call(api.get_unlock_key)
    return str(found.get("UnlockKey") or "")


def info(api: Any) -> dict[str, Any]:
    """``GET /info``'s ``Swarm`` part: this engine's node id, its state, whether it manages."""
    found: dict[str, Any] = call(api.info)
    swarm: dict[str, Any] = found.get("Swarm") or {}
    return swarm


# -- nodes ---------------------------------------------------------------------------------


def nodes(api: Any, filters: Filters) -> list[dict[str, Any]]:
    """``GET /nodes``."""
    with explained(missing=NOT_A_MANAGER):
        found: list[dict[str, Any]] = api.nodes(filters=api_filters(filters))
    return found


def inspect_node(api: Any, ref: str) -> dict[str, Any]:
    """``GET /nodes/{id}`` (``self`` names this engine's node, as with the CLI)."""
    if ref == "self":
        ref = str(info(api).get("NodeID") or ref)
    with explained(missing=f"No such node: {ref}. See %docker node ls for the nodes of the swarm."):
        found: dict[str, Any] = api.inspect_node(ref)
    return found


def update_node(api: Any, ref: str, version: int, body: Mapping[str, Any]) -> None:
    """``POST /nodes/{id}/update?version=N`` with the node's whole spec (role, availability, labels)."""
    with explained(missing=f"No such node: {ref}. See %docker node ls for the nodes of the swarm."):
        api.update_node(ref, version, dict(body))


def remove_node(api: Any, ref: str, force: bool = False) -> None:
    """``DELETE /nodes/{id}``."""
    with explained(missing=f"No such node: {ref}. See %docker node ls for the nodes of the swarm."):
        api.remove_node(ref, force=force)
