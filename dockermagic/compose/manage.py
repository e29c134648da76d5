"""``down``, ``stop``, ``start``, ``restart`` of a project found by its labels, with or without
its file: a stack made by docker compose is managed the same way as one made here.

Containers go in reverse ``depends_on`` order (read from compose's ``depends_on`` label), so a
service stops before what it depends on, as compose does it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from ..engine import compose as engine
from ..engine import containers
from ..errors import DockerMagicError
from . import labels as L


def _dependencies(container: dict[str, Any]) -> set[str]:
    text = (container.get("Labels") or {}).get(L.DEPENDS_ON, "")
    return {entry.split(":", 1)[0] for entry in text.split(",") if entry}


def start_order(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Containers so that what a service depends on comes first (then by name)."""
    services: dict[str, list[dict[str, Any]]] = {}
    for c in sorted(found, key=lambda c: (c.get("Names") or [""])[0]):
        services.setdefault((c.get("Labels") or {}).get(L.SERVICE, ""), []).append(c)
    needs = {name: set().union(*(_dependencies(c) for c in group)) for name, group in services.items()}
    ordered: list[str] = []
    while len(ordered) < len(services):
        ready = sorted(
            n for n in services if n not in ordered and needs[n] <= set(ordered) | (needs[n] - set(services))
        )
        if not ready:  # a cycle in labels someone else wrote: the rest by name
            ready = sorted(n for n in services if n not in ordered)
        ordered.extend(ready)
    return [c for name in ordered for c in services[name]]


def _name(c: dict[str, Any]) -> str:
    return str((c.get("Names") or ["/" + c["Id"][:12]])[0]).lstrip("/")


def _selected(found: list[dict[str, Any]], services: Iterable[str]) -> list[dict[str, Any]]:
    wanted = set(services)
    if not wanted:
        return found
    return [c for c in found if (c.get("Labels") or {}).get(L.SERVICE) in wanted]


def project_containers(
    api: Any, project: str, services: Iterable[str] = (), oneoff: bool | None = False
) -> list[dict[str, Any]]:
    extra = () if oneoff is None else (f"{L.ONEOFF}={'True' if oneoff else 'False'}",)
    return _selected(engine.containers(api, project, *extra), services)


def down(
    api: Any,
    project: str,
    say: Callable[[str], Any],
    remove_volumes: bool = False,
    keep_services: Iterable[str] | None = None,
    timeout: int | None = None,
) -> int:
    """Stop and remove the project's containers (one-off ones too), then its networks, and with
    ``remove_volumes`` its volumes. ``keep_services``: when given (down with a file and without
    --remove-orphans), containers of other services stay. The number of containers removed."""
    found = engine.containers(api, project)
    if keep_services is not None:
        known = set(keep_services)
        orphans = [c for c in found if (c.get("Labels") or {}).get(L.SERVICE) not in known]
        if orphans:
            names = ", ".join(sorted(_name(c) for c in orphans))
            say(
                f"Found orphan containers ({names}) for this project: remove them with down --remove-orphans."
            )
        found = [c for c in found if c not in orphans]
    for c in reversed(start_order(found)):
        if c.get("State") == "running":
            containers.stop(api, c["Id"], timeout)
            say(f"Container {_name(c)}  Stopped")
        containers.remove(api, c["Id"], force=True, volumes=True)
        say(f"Container {_name(c)}  Removed")
    left = engine.containers(api, project)
    for net in engine.networks(api, project):
        if left and any(
            net["Name"] in ((c.get("NetworkSettings") or {}).get("Networks") or {}) for c in left
        ):
            say(f"Network {net['Name']}  still in use by an orphan container: kept")
            continue
        engine.remove_network(api, net["Id"])
        say(f"Network {net['Name']}  Removed")
    if remove_volumes:
        for vol in engine.volumes(api, project):
            engine.remove_volume(api, vol["Name"])
            say(f"Volume {vol['Name']}  Removed")
    return len(found)


def stop(
    api: Any, project: str, services: Iterable[str], say: Callable[[str], Any], timeout: int | None = None
) -> None:
    for c in reversed(start_order(project_containers(api, project, services))):
        if c.get("State") == "running":
            containers.stop(api, c["Id"], timeout)
            say(f"Container {_name(c)}  Stopped")


def start(api: Any, project: str, services: Iterable[str], say: Callable[[str], Any]) -> None:
    found = project_containers(api, project, services)
    if not found:
        raise DockerMagicError(f"No containers of project {project} to start: run compose up first.")
    for c in start_order(found):
        if c.get("State") != "running":
            containers.start(api, c["Id"])
            say(f"Container {_name(c)}  Started")


def restart(
    api: Any, project: str, services: Iterable[str], say: Callable[[str], Any], timeout: int | None = None
) -> None:
    for c in start_order(project_containers(api, project, services)):
        containers.restart(api, c["Id"], timeout)
        say(f"Container {_name(c)}  Restarted")


def listed(api: Any, include_stopped: bool = False) -> list[tuple[str, str, str]]:
    """``compose ls``: (project, status, config files) of every project on the engine, by name.

    Status as compose writes it: each state's count, ``running(2), exited(1)``; without
    ``include_stopped`` only running containers count, so a stopped project is not listed.
    """
    states: dict[str, Counter[str]] = {}
    files: dict[str, list[str]] = {}
    for c in engine.projects(api):
        if not include_stopped and c.get("State") != "running":
            continue
        labels = c.get("Labels") or {}
        project = labels.get(L.PROJECT, "")
        states.setdefault(project, Counter())[str(c.get("State", ""))] += 1
        for file in filter(None, labels.get(L.CONFIG_FILES, "").split(",")):
            if file not in files.setdefault(project, []):
                files[project].append(file)
    return [
        (name, ", ".join(f"{s}({n})" for s, n in sorted(states[name].items())), ",".join(files.get(name, [])))
        for name in sorted(states)
    ]
