"""The Engine API calls a compose stack needs that no other family makes: finding a project's
containers, networks and volumes by compose's labels, and creating its networks and volumes
with theirs. Containers themselves are created, started and removed by the usual functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import NotFound
from .errors import call, explain

PROJECT_LABEL = "com.docker.compose.project"


def _project(name: str, *more: str) -> dict[str, list[str]]:
    return {"label": [f"{PROJECT_LABEL}={name}", *more]}


def containers(api: Any, project: str, *labels: str) -> list[dict[str, Any]]:
    """``GET /containers/json?all=1``: every container of ``project`` (and ``labels``), in one call."""
    found: list[dict[str, Any]] = call(api.containers, all=True, filters=_project(project, *labels))
    return found


def networks(api: Any, project: str) -> list[dict[str, Any]]:
    """``GET /networks``: the networks labelled as ``project``'s."""
    found: list[dict[str, Any]] = call(api.networks, filters=_project(project))
    return found


def volumes(api: Any, project: str) -> list[dict[str, Any]]:
    """``GET /volumes``: the volumes labelled as ``project``'s."""
    answer: dict[str, Any] = call(api.volumes, filters=_project(project)) or {}
    found: list[dict[str, Any]] = answer.get("Volumes") or []
    return found


def projects(api: Any) -> list[dict[str, Any]]:
    """Every compose container on the engine (``compose ls``'s source), in one call."""
    found: list[dict[str, Any]] = call(api.containers, all=True, filters={"label": [PROJECT_LABEL]})
    return found


def _absent(fn: Any, *args: Any) -> Any:
    """``fn(*args)``'s answer, or None when the engine says the object does not exist."""
    try:
        return fn(*args)
    except Exception as exc:
        error = explain(exc)
        if isinstance(error, NotFound):
            return None
        raise error from None


def find_network(api: Any, name: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = _absent(api.inspect_network, name)
    return found


def find_volume(api: Any, name: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = _absent(api.inspect_volume, name)
    return found


def image_id(api: Any, ref: str) -> str | None:
    """The id of the local image ``ref``, or None when it is not here."""
    found: dict[str, Any] | None = _absent(api.inspect_image, ref)
    return str(found["Id"]) if found else None


def create_network(api: Any, name: str, body: Mapping[str, Any]) -> str:
    """``POST /networks/create`` with the Engine API's own body (Driver, Labels, Options...)."""
    url = api._url("/networks/create")
    data = {"Name": name, "CheckDuplicate": True, **body}
    result: dict[str, Any] = call(lambda: api._result(api._post_json(url, data=data), True))
    return str(result["Id"])


def create_volume(
    api: Any, name: str, driver: str, options: Mapping[str, str], labels: Mapping[str, str]
) -> str:
    result: dict[str, Any] = call(
        api.create_volume, name, driver=driver, driver_opts=dict(options) or None, labels=dict(labels)
    )
    return str(result["Name"])


def connect(api: Any, network: str, container: str, aliases: Sequence[str]) -> None:
    """``POST /networks/{id}/connect`` with the container's aliases on that network."""
    url = api._url("/networks/{0}/connect", network)
    data = {"Container": container, "EndpointConfig": {"Aliases": list(aliases)}}
    call(lambda: api._raise_for_status(api._post_json(url, data=data)))


def remove_network(api: Any, name: str) -> None:
    call(api.remove_network, name)


def remove_volume(api: Any, name: str) -> None:
    call(api.remove_volume, name)


def health(api: Any, ref: str) -> tuple[str, str, int]:
    """(state, health, exit code) of a container: ``running``/``exited``..., ``healthy``/'' ..."""
    doc: dict[str, Any] = call(api.inspect_container, ref)
    state = doc.get("State") or {}
    return (
        str(state.get("Status") or ""),
        str((state.get("Health") or {}).get("Status") or ""),
        int(state.get("ExitCode") or 0),
    )


def name_of(api: Any, ref: str) -> str:
    """A container's name (without the leading slash)."""
    doc: dict[str, Any] = call(api.inspect_container, ref)
    return str(doc.get("Name") or ref).lstrip("/")
