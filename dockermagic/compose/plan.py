"""What ``up`` must do, decided from the project and the containers that exist: no engine here.

Services are handled in ``depends_on`` order. For each, containers whose config hash (and image)
still match are kept (started if stopped), others recreated under the same number, missing
numbers created, numbers beyond the replica count removed; containers of services the file no
longer has are orphans, removed with ``--remove-orphans``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..errors import CommandError
from .confighash import config_hash
from .model import Project, Service


@dataclass(frozen=True)
class Existing:
    """A container of the project, as its labels and state describe it."""

    id: str
    name: str
    service: str
    number: int
    config_hash: str
    running: bool
    image: str = ""  # the image id it was created from


@dataclass
class ServiceStep:
    service: Service
    config_hash: str
    keep: list[Existing] = field(default_factory=list)  # current; started when stopped
    recreate: list[Existing] = field(default_factory=list)  # replaced under the same number
    create: list[int] = field(default_factory=list)  # new container numbers
    remove: list[Existing] = field(default_factory=list)  # beyond the replica count

    @property
    def changes(self) -> bool:
        return bool(self.recreate or self.create or self.remove or any(not e.running for e in self.keep))


@dataclass
class Plan:
    steps: list[ServiceStep]
    orphans: list[Existing]


def order(project: Project) -> list[Service]:
    """Services so that each comes after what it depends on; a cycle is one line that names it."""
    by_name = {s.name: s for s in project.services}
    done: list[Service] = []
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = " -> ".join(trail[trail.index(name) :] + [name])
            raise CommandError(f"depends_on has a cycle: {cycle}: remove one of these dependencies.")
        state[name] = "visiting"
        for dep in by_name[name].depends_on:
            if dep.service in by_name:
                visit(dep.service, trail + [name])
        state[name] = "done"
        done.append(by_name[name])

    for service in project.services:
        visit(service.name, [])
    return done


def plan(
    project: Project,
    existing: Iterable[Existing],
    scale: Mapping[str, int] | None = None,
    force_recreate: bool = False,
    no_recreate: bool = False,
    images: Mapping[str, str] | None = None,
    known_services: Iterable[str] = (),
) -> Plan:
    """``images``: each service's current image id, when known (a rebuilt image recreates)."""
    scale, images = dict(scale or {}), dict(images or {})
    for name in scale:
        project.service(name)
    by_service: dict[str, list[Existing]] = {}
    for container in existing:
        by_service.setdefault(container.service, []).append(container)
    steps = []
    for service in order(project):
        wanted = scale.get(service.name, service.replicas)
        if service.container_name and wanted > 1:
            raise CommandError(
                f"service {service.name!r} has container_name {service.container_name!r} and cannot run "
                f"{wanted} replicas: remove container_name to scale it."
            )
        digest = config_hash(service)
        step = ServiceStep(service, digest)
        have = sorted(by_service.get(service.name, []), key=lambda e: e.number)
        numbers = set()
        for container in have:
            if container.number > wanted or container.number in numbers:
                step.remove.append(container)
                continue
            numbers.add(container.number)
            image = images.get(service.name)
            stale = container.config_hash != digest or (
                image and container.image and container.image != image
            )
            if force_recreate or (stale and not no_recreate):
                step.recreate.append(container)
            else:
                step.keep.append(container)
        step.create = [n for n in range(1, wanted + 1) if n not in numbers]
        steps.append(step)
    known = {s.name for s in project.services} | set(known_services)
    orphans = [c for name, group in by_service.items() if name not in known for c in group]
    return Plan(steps, orphans)
