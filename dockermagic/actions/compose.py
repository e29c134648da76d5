"""compose commands: the project from the cell, ``-f`` or the working directory, then
``compose/`` carries the command out; ``up``, ``start``, ``stop``, ``restart`` return the Stack."""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict

from ..commands.compose import (
    ComposeBuildSpec,
    ComposeConfigSpec,
    ComposeDownSpec,
    ComposeExecSpec,
    ComposeLogsSpec,
    ComposeLsSpec,
    ComposePsSpec,
    ComposePullSpec,
    ComposeRestartSpec,
    ComposeRunSpec,
    ComposeStartSpec,
    ComposeStopSpec,
    ComposeTarget,
    ComposeTopSpec,
    ComposeUpSpec,
)
from ..commands.exec import ExecSpec
from ..compose import labels as L
from ..compose import manage
from ..compose.execute import OneOff, Runner, UpOptions, run_oneoff, start_oneoff
from ..compose.model import Project
from ..compose.project import active, find_file, from_files, from_text
from ..compose.stack import Stack
from ..engine import containers as engine_containers
from ..errors import CommandError
from ..objects.completed import Completed
from ..objects.container import Container
from ..views.base import Text
from ..views.table import Table
from . import perform
from .compose_logs import compose_logs


def _profiles(spec: ComposeTarget) -> list[str]:
    from_env = [p for p in os.environ.get("COMPOSE_PROFILES", "").split(",") if p]
    return [*spec.profiles, *from_env]


def _file_project(spec: ComposeTarget) -> Project | None:
    """The project the cell, ``-f`` or the working directory's compose file describes; None without one."""
    if spec.cell is not None:
        return from_text(spec.cell, os.getcwd(), spec.project_name, name="%%compose cell")
    if spec.files:
        return from_files(spec.files, spec.project_name)
    found = find_file(os.getcwd())
    return from_files([found], spec.project_name) if found else None


def _project(spec: ComposeTarget, session, named: tuple[str, ...] = ()) -> Project:
    project = _file_project(spec)
    if project is None:
        raise CommandError(
            "No compose file: write the file in a %%compose cell, pass -f FILE, or put compose.yaml in the "
            "working directory."
        )
    for warning in project.warnings:
        session.err(f"WARN {warning}\n")
    return active(project, _profiles(spec), named)


def _name(spec: ComposeTarget) -> tuple[str, Project | None]:
    """The project's name, from the file when there is one, else ``-p`` alone (a stack found by labels)."""
    project = _file_project(spec)
    if project is not None:
        return project.name, project
    if spec.project_name:
        return spec.project_name, None
    raise CommandError("Which project? Pass -p NAME, -f FILE, or write the file in a %%compose cell.")


def _say(session):
    return lambda line: session.out(line + "\n")


def _stack(session, name: str, project: Project | None) -> Stack:
    return Stack(session, name, tuple(s.name for s in project.services) if project else ())


@perform.register
def _up(spec: ComposeUpSpec, session):
    project = _project(spec, session, spec.services)
    options = UpOptions(
        scale=dict(spec.scale),
        remove_orphans=spec.remove_orphans,
        force_recreate=spec.force_recreate,
        no_recreate=spec.no_recreate,
        build=spec.build,
        no_build=spec.no_build,
        pull=spec.pull,
        wait=spec.wait,
        wait_timeout=spec.wait_timeout,
        no_start=spec.no_start,
    )
    Runner(session, project).up(options)
    return _stack(session, project.name, project)


@perform.register
def _down(spec: ComposeDownSpec, session):
    name, project = _name(spec)
    keep = None if spec.remove_orphans or project is None else [s.name for s in project.services]
    manage.down(session.api, name, _say(session), spec.volumes, keep, spec.timeout)


PS_COLUMNS = [
    ("NAME", "NAME"),
    ("IMAGE", "IMAGE"),
    ("SERVICE", "SERVICE"),
    ("STATUS", "STATUS"),
    ("PORTS", "PORTS"),
]


@perform.register
def _ps(spec: ComposePsSpec, session):
    name, _ = _name(spec)
    found = manage.project_containers(session.api, name, spec.services)
    if not spec.all:
        found = [c for c in found if c.get("State") == "running"]
    found.sort(key=lambda c: str((c.get("Names") or [""])[0]))
    if spec.quiet:
        return Text("\n".join(c["Id"] for c in found))
    rows = [
        {
            "ID": c["Id"],
            "NAME": str((c.get("Names") or [""])[0]).lstrip("/"),
            "IMAGE": c.get("Image", ""),
            "SERVICE": (c.get("Labels") or {}).get(L.SERVICE, ""),
            "STATUS": c.get("Status", ""),
            "PORTS": ", ".join(
                f"{p.get('IP', '')}:{p['PublicPort']}->{p['PrivatePort']}/{p.get('Type', 'tcp')}"
                for p in c.get("Ports") or []
                if p.get("PublicPort")
            ),
        }
        for c in found
    ]
    return Table(PS_COLUMNS, rows, title=f"compose ps {name}")


@perform.register
def _ls(spec: ComposeLsSpec, session):
    wanted = []
    for entry in spec.filter:
        key, eq, pattern = entry.partition("=")
        if key != "name" or not eq:
            raise CommandError(f"--filter {entry!r}: compose ls filters by name=REGEXP only.")
        try:
            wanted.append(re.compile(pattern))
        except re.error as exc:
            raise CommandError(f"--filter {entry!r}: {exc} (a regular expression).") from None
    found = [p for p in manage.listed(session.api, spec.all) if all(w.search(p[0]) for w in wanted)]
    if spec.quiet:
        return Text("\n".join(name for name, _, _ in found))
    if spec.format == "json":
        return Text(json.dumps([{"Name": n, "Status": s, "ConfigFiles": f} for n, s, f in found]))
    rows = [{"NAME": n, "STATUS": s, "CONFIG FILES": f} for n, s, f in found]
    return Table([(c, c) for c in ("NAME", "STATUS", "CONFIG FILES")], rows, title="compose ls")


@perform.register
def _logs(spec: ComposeLogsSpec, session):
    name, _ = _name(spec)
    found = manage.start_order(manage.project_containers(session.api, name, spec.services))
    # compose's prefix: the container's name without the project's (a container_name stays whole)
    named = [(str((c.get("Names") or [""])[0]).lstrip("/"), c["Id"]) for c in found]
    shown = [(n.removeprefix(f"{name}-"), cid) for n, cid in named]
    options = {"tail": spec.tail, "since": spec.since, "timestamps": spec.timestamps}
    return compose_logs(session, f"project {name}", shown, spec.follow, **options)


def _container(session, name: str, service: str, index: int) -> str:
    for c in manage.project_containers(session.api, name, [service]):
        if (c.get("Labels") or {}).get(L.NUMBER) == str(index):
            return c["Id"]
    raise CommandError(
        f"service {service!r} of project {name} has no container number {index}: see compose ps."
    )


@perform.register
def _exec(spec: ComposeExecSpec, session):
    name, _ = _name(spec)
    if not spec.command:
        raise CommandError("compose exec needs a command after the service name.")
    cid = _container(session, name, spec.service, spec.index)
    terminal = spec.interactive and spec.tty and not spec.no_tty  # as %docker exec -it: the widget
    inner = ExecSpec(
        container=cid, command=spec.command, user=spec.user, workdir=spec.workdir, env=spec.env,
        privileged=spec.privileged, detach=spec.detach, interactive=terminal, tty=terminal,
    )  # fmt: skip
    return perform(inner, session)


@perform.register
def _run(spec: ComposeRunSpec, session):
    project = _project(spec, session, (spec.service,))
    service = project.service(spec.service)
    if not spec.no_deps and service.depends_on:
        needed = active(project, [], tuple(d.service for d in service.depends_on))
        Runner(session, needed).up(UpOptions())
    oneoff = OneOff(spec.command, spec.env, spec.rm, spec.service_ports, spec.name)
    if spec.detach:
        return Container(session, start_oneoff(session, project, service, oneoff))
    code, out, err, seconds = run_oneoff(session, project, service, oneoff)
    return Completed(code, out, err, seconds)


@perform.register
def _start(spec: ComposeStartSpec, session):
    name, project = _name(spec)
    manage.start(session.api, name, spec.services, _say(session))
    return _stack(session, name, project)


@perform.register
def _stop(spec: ComposeStopSpec, session):
    name, project = _name(spec)
    manage.stop(session.api, name, spec.services, _say(session), spec.timeout)
    return _stack(session, name, project)


@perform.register
def _restart(spec: ComposeRestartSpec, session):
    name, project = _name(spec)
    manage.restart(session.api, name, spec.services, _say(session), spec.timeout)
    return _stack(session, name, project)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v not in (None, (), [], {}, False)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@perform.register
def _config(spec: ComposeConfigSpec, session):
    project = _project(spec, session)
    if spec.quiet:
        return None
    if spec.services_only:
        return Text("\n".join(s.name for s in project.services))
    import yaml

    data = _plain(asdict(project))
    data.pop("warnings", None)
    return Text(yaml.safe_dump(data, sort_keys=False).rstrip())


@perform.register
def _pull(spec: ComposePullSpec, session):
    project = _project(spec, session, spec.services)
    runner = Runner(session, project)
    for service in project.services:
        if service.image and (not spec.services or service.name in spec.services):
            runner.pull(service)


@perform.register
def _build(spec: ComposeBuildSpec, session):
    project = _project(spec, session, spec.services)
    runner = Runner(session, project)
    for service in project.services:
        if service.build is not None and (not spec.services or service.name in spec.services):
            runner.build(service, no_cache=spec.no_cache)


@perform.register
def _top(spec: ComposeTopSpec, session):
    name, _ = _name(spec)
    blocks = []
    for c in manage.start_order(manage.project_containers(session.api, name, spec.services)):
        if c.get("State") != "running":
            continue
        top = engine_containers.top(session.api, c["Id"])
        rows = [dict(zip(top["Titles"], p, strict=False)) for p in top.get("Processes") or []]
        table = Table([(t, t) for t in top["Titles"]], rows)
        blocks.append(str((c.get("Names") or [""])[0]).lstrip("/") + "\n" + table.text())
    return Text("\n\n".join(blocks))
