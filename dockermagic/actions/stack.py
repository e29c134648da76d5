"""stack deploy/ls/ps/services/rm: a compose file as swarm services, through the Engine API.

``deploy`` sends what ``docker stack deploy`` sends (``compose/swarm_spec.py``): the stack's
overlay networks first, then each service created, or updated in place when the stack has it
already; ``ls``, ``ps`` and ``services`` read the ``com.docker.stack.namespace`` label, as the CLI
does, so stacks made by either are seen by both.
"""

from __future__ import annotations

import time
from typing import Any

from ..commands.stack import StackDeploySpec, StackLsSpec, StackPsSpec, StackRmSpec, StackServicesSpec
from ..compose import swarm_file
from ..compose.swarm_spec import NAMESPACE, external_networks, network_bodies, service_specs
from ..engine import distribution
from ..engine import networks as network_engine
from ..engine import services as engine
from ..errors import CommandError, DockerMagicError
from ..views.table import Table
from . import perform
from .listing import formatted, natural_key
from .services import converge, service_listing, service_rows
from .swarm import listed_tasks

STACK_COLUMNS = [("Name", "NAME"), ("Services", "SERVICES")]
TERMINAL_STATES = {"complete", "failed", "rejected", "shutdown", "orphaned", "remove"}
POLL = 0.5


def _namespace_filter(namespace: str) -> dict[str, list[str]]:
    return {"label": [f"{NAMESPACE}={namespace}"]}


def _stack_services(api: Any, namespace: str, status: bool = False) -> list[dict[str, Any]]:
    return engine.listing(api, _namespace_filter(namespace), status=status)


def _check_external(api: Any, names: list[str]) -> None:
    for name in names:
        try:
            found = network_engine.inspect(api, name)
        except DockerMagicError:
            raise CommandError(
                f'network "{name}" is declared as external, but could not be found: create it first '
                f"(%docker network create -d overlay {name})."
            ) from None
        if found.get("Scope") != "swarm":
            raise CommandError(
                f'network "{name}" is declared as external, but it is not in the right scope: '
                f'"{found.get("Scope")}" instead of "swarm".'
            )


def _resolved(api: Any, spec: dict[str, Any], mode: str, current: dict[str, Any] | None) -> list[str]:
    """``--resolve-image``: the image pinned to the digest a registry gives for it, as the CLI pins
    it (``changed``: only when the file names another image than the service runs). Where no
    registry answers, the image stays as written, with the CLI's warning."""
    container = spec["TaskTemplate"]["ContainerSpec"]
    image = container["Image"]
    if mode == "never" or "@" in image:
        return []
    if mode == "changed" and current is not None:
        running = current["Spec"]["TaskTemplate"]["ContainerSpec"].get("Image", "")
        if running.split("@", 1)[0] == image:
            container["Image"] = running
            return []
    digest = distribution.digest(api, image)
    if digest is None:
        return [
            f"image {image} could not be accessed on a registry to record\nits digest. Each node will "
            f"access {image} independently,\npossibly leading to different nodes running different\n"
            "versions of the image.\n"
        ]
    container["Image"] = f"{image}@{digest}"
    return []


@perform.register
def _deploy(spec: StackDeploySpec, session):
    api = session.api
    namespace = spec.stack
    stack = swarm_file.load(spec.compose_files, namespace)
    for warning in stack.warnings:
        session.err(warning + "\n\n")
    labels = session.labels()
    wanted = service_specs(stack, namespace, labels)
    existing = {s["Spec"]["Name"]: s for s in _stack_services(api, namespace)}
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        if not spec.quiet:
            session.out(line + "\n")

    if spec.prune:
        for name in sorted(set(existing) - set(wanted)):
            say(f"Removing service {name}")
            engine.remove(api, existing.pop(name)["ID"])
    _check_external(api, external_networks(stack.project))
    have = {n["Name"] for n in network_engine.listing(api, _namespace_filter(namespace))}
    for name, body in sorted(network_bodies(stack.project, namespace, labels).items()):
        if name not in have:
            say(f"Creating network {name}")
            network_engine.create(api, name, body)
    ids = []
    for name, service in sorted(wanted.items()):
        current = existing.get(name)
        warnings = _resolved(api, service, spec.resolve_image, current)
        if current is not None:
            say(f"Updating service {name} (id: {current['ID']})")
            # as the CLI: no --force here, so the current ForceUpdate keeps the tasks as they are
            service["TaskTemplate"]["ForceUpdate"] = current["Spec"]["TaskTemplate"].get("ForceUpdate", 0)
            warnings += engine.update(api, current["ID"], current["Version"]["Index"], service)
            for warning in warnings:
                session.err(f"{warning}\n")
            ids.append(current["ID"])
        else:
            say(f"Creating service {name}")
            ids.append(engine.create(api, service)["ID"])
    if not spec.detach:
        for service_id in ids:
            converge(session, service_id)
    return None


@perform.register
def _ls(spec: StackLsSpec, session):
    counts: dict[str, int] = {}
    for s in engine.listing(session.api, {"label": [NAMESPACE]}, status=False):
        namespace = (s["Spec"].get("Labels") or {}).get(NAMESPACE)
        if namespace:
            counts[namespace] = counts.get(namespace, 0) + 1
    rows = [
        {"Name": n, "Services": str(c)} for n, c in sorted(counts.items(), key=lambda kv: natural_key(kv[0]))
    ]
    if spec.format:
        return formatted(rows, spec.format, STACK_COLUMNS)
    return Table(STACK_COLUMNS, rows)


@perform.register
def _services(spec: StackServicesSpec, session):
    filters = {k: list(v) for k, v in spec.filters}
    filters["label"] = [*filters.get("label", []), f"{NAMESPACE}={spec.stack}"]
    rows = service_rows(engine.listing(session.api, filters))
    if not rows and not spec.quiet and not spec.filters:
        session.err(f"Nothing found in stack: {spec.stack}\n")
        return None
    return service_listing(rows, spec.quiet, spec.format)


@perform.register
def _ps(spec: StackPsSpec, session):
    filters = {k: list(v) for k, v in spec.filters}
    filters["label"] = [*filters.get("label", []), f"{NAMESPACE}={spec.stack}"]
    if not engine.tasks(session.api, filters):
        raise CommandError(f"nothing found in stack: {spec.stack}")
    return listed_tasks(session.api, filters, spec)


@perform.register
def _rm(spec: StackRmSpec, session):
    api = session.api
    failed = []
    for namespace in spec.stacks:
        services = sorted(_stack_services(api, namespace), key=lambda s: s["Spec"]["Name"])
        networks = network_engine.listing(api, _namespace_filter(namespace))
        if not services and not networks:
            session.err(f"Nothing found in stack: {namespace}\n")
            continue
        broken = False
        for s in services:
            session.out(f"Removing service {s['Spec']['Name']}\n")
            try:
                engine.remove(api, s["ID"])
            except DockerMagicError as exc:
                session.err(f"Failed to remove service {s['ID']}: {exc}\n")
                broken = True
        for n in networks:
            session.out(f"Removing network {n['Name']}\n")
            try:
                network_engine.remove(api, [n["Id"]])
            except DockerMagicError as exc:
                session.err(f"Failed to remove network {n['Id']}: {exc}\n")
                broken = True
        if broken:
            failed.append(namespace)
        elif not spec.detach:
            _wait_removed(session, namespace)
    if failed:
        raise DockerMagicError(f"Failed to remove some resources from stack: {', '.join(failed)}")
    return None


def _wait_removed(session, namespace: str) -> None:
    """``rm --detach=false``: until every task of the stack has reached a terminal state."""
    limit = float(getattr(session.settings, "wait_timeout", 120.0))
    deadline = time.monotonic() + limit
    session.out("Waiting for the stack to be removed...\n")
    while True:
        tasks = engine.tasks(session.api, _namespace_filter(namespace))
        if all((t.get("Status") or {}).get("State") in TERMINAL_STATES for t in tasks):
            return
        if time.monotonic() > deadline:
            raise DockerMagicError(
                f"stack {namespace}: tasks still running after {limit:g} s; %docker stack ps {namespace} shows them."
            )
        time.sleep(POLL)
