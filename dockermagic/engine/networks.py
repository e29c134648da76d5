"""Networks over the Engine API: one function per operation, taking the API client and plain
values, returning the engine's answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .containers import each
from .errors import call, explained
from .pruning import when_free

Filters = Mapping[str, Sequence[str]]


def api_filters(filters: Filters) -> dict[str, list[str]] | None:
    """The SDK serialises lists only (a tuple would be sent as one value)."""
    return {key: list(values) for key, values in filters.items()} or None


def listing(api: Any, filters: Filters) -> list[dict[str, Any]]:
    """``GET /networks``."""
    found: list[dict[str, Any]] = call(api.networks, filters=api_filters(filters))
    return found


def create(
    api: Any,
    name: str,
    driver: str,
    subnets: Sequence[str] = (),
    gateways: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
    internal: bool = False,
    attachable: bool = False,
    options: Mapping[str, str] | None = None,
) -> str:
    """``POST /networks/create``; the n-th ``--gateway`` belongs to the n-th ``--subnet``. The id."""
    from docker.types import IPAMConfig, IPAMPool

    ipam = None
    if subnets:
        padded = list(gateways) + [None] * len(subnets)
        ipam = IPAMConfig(
            pool_configs=[
                IPAMPool(subnet=s, gateway=g) for s, g in zip(subnets, padded[: len(subnets)], strict=True)
            ]
        )
    result = call(
        api.create_network,
        name,
        driver=driver,
        ipam=ipam,
        internal=internal,
        attachable=attachable or None,
        labels=dict(labels or {}),
        options=dict(options or {}) or None,
        check_duplicate=True,
    )
    return str(result["Id"])


def remove(api: Any, names: Iterable[str]) -> list[str]:
    """``DELETE /networks/{id}`` for each name; all are tried, failures reported together."""
    return each(names, api.remove_network)


def connect(
    api: Any, network: str, container: str, aliases: Sequence[str] = (), ip: str | None = None
) -> None:
    """``POST /networks/{id}/connect``."""
    call(api.connect_container_to_network, container, network, aliases=list(aliases) or None, ipv4_address=ip)


def disconnect(api: Any, network: str, container: str, force: bool = False) -> None:
    """``POST /networks/{id}/disconnect``."""
    call(api.disconnect_container_from_network, container, network, force=force)


def inspect(api: Any, name: str) -> dict[str, Any]:
    """``GET /networks/{id}``; a missing network is one line that says where to look."""
    with explained(missing=f"No such network: {name}. See %docker network ls for the names that exist."):
        found: dict[str, Any] = api.inspect_network(name)
    return found


def prune(api: Any, filters: Filters) -> dict[str, Any]:
    """``POST /networks/prune``: ``NetworksDeleted`` (after any other prune running on the engine)."""
    result: dict[str, Any] = when_free(call, api.prune_networks, filters=api_filters(filters))
    return result
