"""Networks over the Engine API: one function per operation, taking the API client and plain
values, returning the engine's answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import NotFound
from .containers import each
from .errors import call, explain, explained
from .pruning import when_free

Filters = Mapping[str, Sequence[str]]


def api_filters(filters: Filters) -> dict[str, list[str]] | None:
    """The SDK serialises lists only (a tuple would be sent as one value)."""
    return {key: list(values) for key, values in filters.items()} or None


def listing(api: Any, filters: Filters) -> list[dict[str, Any]]:
    """``GET /networks``."""
    found: list[dict[str, Any]] = call(api.networks, filters=api_filters(filters))
    return found


def create(api: Any, name: str, body: Mapping[str, Any]) -> str:
    """``POST /networks/create`` with the CLI's body (``Driver``, ``IPAM``, ``ConfigFrom``...): the
    SDK's ``create_network`` cannot send ``ConfigOnly``/``ConfigFrom``. The id."""
    url = api._url("/networks/create")
    result: dict[str, Any] = call(lambda: api._result(api._post_json(url, data={"Name": name, **body}), True))
    return str(result["Id"])


def remove(api: Any, names: Iterable[str], force: bool = False) -> list[str]:
    """``DELETE /networks/{id}`` for each name; all are tried, failures reported together. The names
    removed; with ``force`` a network that does not exist is skipped, unnamed, as the CLI's ``-f``."""
    absent: list[str] = []

    def remove_one(name: str) -> None:
        try:
            api.remove_network(name)
        except Exception as exc:
            if not (force and isinstance(explain(exc), NotFound)):
                raise
            absent.append(name)

    return [name for name in each(names, remove_one) if name not in absent]


def connect(api: Any, network: str, container: str, endpoint: Mapping[str, Any]) -> None:
    """``POST /networks/{id}/connect`` with the CLI's ``EndpointConfig`` (aliases, links, addresses,
    driver options)."""
    url = api._url("/networks/{0}/connect", network)
    call(
        lambda: api._raise_for_status(
            api._post_json(url, data={"Container": container, "EndpointConfig": endpoint})
        )
    )


def disconnect(api: Any, network: str, container: str, force: bool = False) -> None:
    """``POST /networks/{id}/disconnect``."""
    call(api.disconnect_container_from_network, container, network, force=force)


def inspect(api: Any, name: str, verbose: bool = False) -> dict[str, Any]:
    """``GET /networks/{id}`` (``verbose``: a swarm network's services too); a missing network is one
    line that says where to look."""
    with explained(missing=f"No such network: {name}. See %docker network ls for the names that exist."):
        found: dict[str, Any] = api.inspect_network(name, verbose=verbose or None)
    return found


def prune(api: Any, filters: Filters) -> dict[str, Any]:
    """``POST /networks/prune``: ``NetworksDeleted`` (after any other prune running on the engine)."""
    result: dict[str, Any] = when_free(call, api.prune_networks, filters=api_filters(filters))
    return result
