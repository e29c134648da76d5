"""Swarm services and their tasks over the Engine API: one function per operation, taking the API
client and plain values (a ``ServiceSpec`` as the CLI sends it), returning the engine's answer.

The bodies are sent as they are written (``POST /services/create`` takes the spec itself), so a
caller that has a whole ``ServiceSpec`` (``stack deploy``'s, from a compose file) needs no object
model of the SDK's in between.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from .errors import explained
from .logs import STDERR, STDOUT, Lines, _body, _demux, open_logs
from .swarm import NOT_A_MANAGER, api_filters

Filters = Mapping[str, Sequence[str]]


def _missing(ref: str) -> str:
    return f"No such service: {ref}. See %docker service ls for the services that exist."


def _auth_header(registry_auth: str | None) -> dict[str, str]:
    return {"X-Registry-Auth": registry_auth} if registry_auth else {}


def create(api: Any, body: Mapping[str, Any], registry_auth: str | None = None) -> dict[str, Any]:
    """``POST /services/create`` with a ``ServiceSpec``: ``{"ID": ..., "Warning(s)": ...}``."""
    url = api._url("/services/create")

    def post() -> dict[str, Any]:
        response = api._post_json(url, data=dict(body), headers=_auth_header(registry_auth))
        found: dict[str, Any] = api._result(response, True)
        return found

    with explained(missing=NOT_A_MANAGER):
        return post()


def inspect(api: Any, ref: str, insert_defaults: bool = False) -> dict[str, Any]:
    """``GET /services/{id}`` (by id, name or unique id prefix)."""
    with explained(missing=_missing(ref)):
        found: dict[str, Any] = api.inspect_service(ref, insert_defaults=insert_defaults or None)
    return found


def listing(api: Any, filters: Filters, status: bool = True) -> list[dict[str, Any]]:
    """``GET /services`` (``status``: each with ``ServiceStatus``, its running and desired tasks)."""
    with explained(missing=NOT_A_MANAGER):
        found: list[dict[str, Any]] = api.services(filters=api_filters(filters), status=status or None)
    return found


def update(
    api: Any,
    ref: str,
    version: int,
    body: Mapping[str, Any],
    rollback: bool = False,
    registry_auth: str | None = None,
) -> list[str]:
    """``POST /services/{id}/update?version=N`` with the whole new spec (``rollback``: the engine
    goes back to the previous spec instead, ``rollback=previous``). The engine's warnings."""
    url = api._url("/services/{0}/update", ref)
    params: dict[str, Any] = {"version": version}
    if rollback:
        params["rollback"] = "previous"
    headers = _auth_header(registry_auth)
    if registry_auth:
        params["registryAuthFrom"] = "spec"

    def post() -> list[str]:
        response = api._post_json(url, data=dict(body), params=params, headers=headers)
        found: dict[str, Any] = api._result(response, True) if response.content else {}
        return list(found.get("Warnings") or [])

    with explained(missing=_missing(ref)):
        return post()


def remove(api: Any, ref: str) -> None:
    """``DELETE /services/{id}``."""
    with explained(missing=_missing(ref)):
        api.remove_service(ref)


def tasks(api: Any, filters: Filters) -> list[dict[str, Any]]:
    """``GET /tasks`` (``service=``, ``node=``, ``desired-state=``, ``label=``... filters)."""
    with explained(missing=NOT_A_MANAGER):
        found: list[dict[str, Any]] = api.tasks(filters=api_filters(filters))
    return found


def inspect_task(api: Any, ref: str) -> dict[str, Any]:
    """``GET /tasks/{id}``."""
    with explained(missing=f"No such task: {ref}."):
        found: dict[str, Any] = api.inspect_task(ref)
    return found


LogLine = tuple[int, dict[str, str], str, str]  # (stream, the line's details: task, node..., timestamp, text)


def logs(
    api: Any,
    ref: str,
    follow: bool = False,
    tail: str = "all",
    since: str | None = None,
    timestamps: bool = False,
    on_open: Callable[[Callable[[], None]], Any] | None = None,
) -> Iterator[LogLine]:
    """``GET /services/{id}/logs`` (or ``/tasks/{id}/logs`` for a task's id) with ``details``, so
    each line names its task and node as the CLI prints them. A generator that closes its
    connection; ``on_open`` receives a function that ends the stream from another thread."""
    kind = "services"
    with explained(missing=_missing(ref)):
        try:
            ref = api.inspect_service(ref)["ID"]
        except Exception as exc:
            if "NotFound" not in {c.__name__ for c in type(exc).__mro__}:
                raise
            ref, kind = api.inspect_task(ref)["ID"], "tasks"
    params: dict[str, Any] = {
        "stdout": 1,
        "stderr": 1,
        "follow": int(follow),
        "timestamps": int(timestamps),
        "details": 1,
        "tail": tail,
    }
    if since:
        params["since"] = since
    response, _ = open_logs(api, f"/{kind}/{{0}}/logs", ref, params, on_open)
    splitters = {STDOUT: Lines(), STDERR: Lines()}
    try:
        with explained():
            for stream, data in _demux(_body(response)):
                for line in splitters[stream].feed(data):
                    yield (stream, *split_details(line))
            for stream, splitter in splitters.items():
                for line in splitter.feed(b"", final=True):
                    yield (stream, *split_details(line))
    finally:
        response.close()


def split_details(line: str) -> tuple[dict[str, str], str, str]:
    """A service log line with ``details``: ``[TIMESTAMP ]k=v,k=v TEXT`` (the details URL-query
    encoded) -> the details, the timestamp ('' without one) and the text."""
    from urllib.parse import parse_qsl

    stamp = ""
    if line[:1].isdigit() and " " in line:  # timestamps come first
        stamp, _, line = line.partition(" ")
    head, _, text = line.partition(" ")
    details = dict(parse_qsl(head.replace(",", "&"), keep_blank_values=True))
    return details, stamp, text
