"""Carrying out compose commands on the engine: ``up`` follows the plan, ``down`` undoes it.

Everything goes through ``engine/`` functions with the session's API client; every container,
network and volume made here carries compose v2's labels and the session's clean-up labels.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from ..engine import build as engine_build
from ..engine import compose as engine
from ..engine import containers
from ..engine import run as engine_run
from ..engine.context import build_context
from ..engine.images import pull_events
from ..errors import DockerMagicError
from . import labels as L
from .body import creation, image_name, network_settings
from .model import Project, ResourceDef, Service
from .plan import Existing, Plan, plan
from .states import StateBoard

Declared = TypeVar("Declared", bound=ResourceDef)


@dataclass(frozen=True)
class UpOptions:
    scale: Mapping[str, int] | None = None
    remove_orphans: bool = False
    force_recreate: bool = False
    no_recreate: bool = False
    build: bool = False
    no_build: bool = False
    pull: str = "missing"  # missing | always | never
    wait: bool = False
    wait_timeout: float | None = None
    no_start: bool = False


def existing(api: Any, project: str, oneoff: bool = False) -> list[Existing]:
    """The project's containers as the plan reads them (one-off ``run`` containers apart)."""
    out = []
    for c in engine.containers(api, project, f"{L.ONEOFF}={'True' if oneoff else 'False'}"):
        labels = c.get("Labels") or {}
        try:
            number = int(labels.get(L.NUMBER, "1"))
        except ValueError:
            number = 1
        out.append(
            Existing(
                id=c["Id"],
                name=(c.get("Names") or ["/"])[0].lstrip("/"),
                service=labels.get(L.SERVICE, ""),
                number=number,
                config_hash=labels.get(L.CONFIG_HASH, ""),
                running=c.get("State") == "running",
                image=c.get("ImageID", ""),
            )
        )
    return out


class Runner:
    """One project on one session's engine."""

    def __init__(self, session: Any, project: Project, say: Callable[[str], Any] | None = None):
        self.session, self.project = session, project
        self.api = session.api
        self.say = say or (lambda line: session.out(line + "\n"))

    # -- resources ---------------------------------------------------------------------
    def _declared(
        self, kind: str, declared: Iterable[Declared], used: Container[str], find: Callable[[Any, str], Any]
    ) -> Iterator[tuple[Declared, Any]]:
        """Each declared network or volume in use and not external, with what the engine has of that name;
        an external one must exist already."""
        for item in declared:
            if item.key not in used:
                continue
            found = find(self.api, item.name)
            if not item.external:
                yield item, found
            elif found is None:
                raise DockerMagicError(
                    f"{kind} {item.name} is declared external but does not exist: "
                    f"create it first (%docker {kind} create {item.name})."
                )

    def _labels(self, item: ResourceDef, key_label: str) -> dict[str, str]:
        """Its own labels, the session's, and compose v2's (project, key, version)."""
        labels = {**dict(item.labels), **self.session.labels()}
        labels.update({L.PROJECT: self.project.name, key_label: item.key, L.VERSION: L.COMPOSE_VERSION})
        return labels

    def networks(self, services: Iterable[Service]) -> None:
        used = {a.network for s in services for a in s.networks}
        for net, found in self._declared("network", self.project.networks, used, engine.find_network):
            if found is not None:
                owner = (found.get("Labels") or {}).get(L.PROJECT)
                if owner not in (None, self.project.name):
                    raise DockerMagicError(
                        f"network {net.name} belongs to compose project {owner}: use another -p."
                    )
                continue
            body: dict[str, Any] = {
                "Driver": net.driver or "bridge",
                "Labels": self._labels(net, L.NETWORK),
                **network_settings(net),
            }
            engine.create_network(self.api, net.name, body)
            self.say(f"Network {net.name}  Created")

    def volumes(self, services: Iterable[Service]) -> None:
        used = {m.source for s in services for m in s.volumes if m.type == "volume" and m.source}
        for vol, found in self._declared("volume", self.project.volumes, used, engine.find_volume):
            if found is None:
                labels = self._labels(vol, L.VOLUME)
                engine.create_volume(self.api, vol.name, vol.driver or "local", dict(vol.driver_opts), labels)
                self.say(f"Volume {vol.name}  Created")

    # -- images ------------------------------------------------------------------------
    def pull(self, service: Service) -> None:
        ref = image_name(self.project, service)
        self.say(f"Image {ref}  Pulling")
        for _ in pull_events(self.api, ref):
            pass
        self.say(f"Image {ref}  Pulled")

    def build(self, service: Service, no_cache: bool = False) -> str:
        spec = service.build
        assert spec is not None
        tag = image_name(self.project, service)
        dockerfile = spec.dockerfile or "Dockerfile"
        limit = self.session.settings.build_context_limit
        context = build_context(spec.context, None, limit, keep=(".dockerignore", dockerfile))
        options = engine_build.BuildOptions(
            tags=(tag,),
            build_args=dict(spec.args),
            target=spec.target,
            labels=dict(self.session.settings.labels),
            dockerfile=dockerfile,
            no_cache=no_cache,
        )
        self.say(f"Image {tag}  Building")
        run = engine_build.BuildRun()
        image = engine_build.build(
            self.api, context, options, run, idle_timeout=self.session.engine.stream_timeout
        )
        self.say(f"Image {tag}  Built")
        self.session.image_built(image)  # for the clean-up: "session" mode removes it with the rest
        return image

    def images(self, services: Iterable[Service], options: UpOptions) -> dict[str, str]:
        """Each service's image id: built, pulled or found, as ``--build``/``--pull`` say."""
        ids: dict[str, str] = {}
        for service in services:
            ref = image_name(self.project, service)
            found = engine.image_id(self.api, ref)
            if service.build is not None and not options.no_build and (options.build or found is None):
                found = self.build(service)
            elif options.pull == "always" or (found is None and options.pull != "never"):
                if service.image is None:
                    raise DockerMagicError(
                        f"service {service.name}: image {ref} is missing and --no-build was given."
                    )
                self.pull(service)
                found = engine.image_id(self.api, ref)
            if found is None:
                raise DockerMagicError(
                    f"service {service.name}: no image {ref} here, and --pull never was given."
                )
            ids[service.name] = found
        return ids

    # -- containers --------------------------------------------------------------------
    def create(self, service: Service, number: int, digest: str, image_id: str) -> str:
        made = creation(
            self.project,
            service,
            number,
            image_name(self.project, service),
            image_id,
            digest,
            self.session.settings.publish_host,
            self.session.labels(),
        )
        cid = engine_run.create(self.api, made.body, made.name)
        for network, aliases in made.later_networks:
            engine.connect(self.api, network, cid, aliases)
        self.say(f"Container {made.name}  Created")
        return cid

    def wait_for(self, service: Service, board: StateBoard, timeout: float) -> None:
        """Block until each dependency of ``service`` meets its condition."""
        for dep in service.depends_on:
            group = [e for e in existing(self.api, self.project.name) if e.service == dep.service]
            for container in group:
                board.wait_condition(container, dep.condition, timeout)

    def up(self, options: UpOptions) -> Plan:
        services = list(self.project.services)
        self.networks(services)
        self.volumes(services)
        image_ids = self.images(services, options)
        decided = plan(
            self.project,
            existing(self.api, self.project.name),
            options.scale,
            options.force_recreate,
            options.no_recreate,
            image_ids,
        )
        timeout = options.wait_timeout or self.session.settings.wait_timeout
        board = StateBoard(self.api, self.say)
        for step in decided.steps:
            if not options.no_start:
                self.wait_for(step.service, board, timeout)
            for old in step.remove:
                containers.remove(self.api, old.id, force=True, volumes=True)
                self.say(f"Container {old.name}  Removed")
            to_start = [e.id for e in step.keep if not e.running]
            for e in step.keep:
                if e.running:
                    self.say(f"Container {e.name}  Running")
            for old in step.recreate:
                containers.remove(self.api, old.id, force=True)
                self.say(f"Container {old.name}  Recreate")
                to_start.append(
                    self.create(step.service, old.number, step.config_hash, image_ids[step.service.name])
                )
            for number in step.create:
                to_start.append(
                    self.create(step.service, number, step.config_hash, image_ids[step.service.name])
                )
            if options.no_start:
                continue
            for cid in to_start:
                containers.start(self.api, cid)
                self.say(f"Container {engine.name_of(self.api, cid)}  Started")
        self.orphans(decided, options.remove_orphans)
        if options.wait and not options.no_start:
            board.wait_all(self.project, existing(self.api, self.project.name), timeout)
        return decided

    def orphans(self, decided: Plan, remove: bool) -> None:
        if not decided.orphans:
            return
        if not remove:
            names = ", ".join(sorted(o.name for o in decided.orphans))
            self.say(
                f"Found orphan containers ({names}) for this project: remove them with up --remove-orphans."
            )
            return
        for orphan in decided.orphans:
            containers.remove(self.api, orphan.id, force=True, volumes=True)
            self.say(f"Container {orphan.name}  Removed")


@dataclass(frozen=True)
class OneOff:
    """What ``compose run`` changes in the service for its one-off container."""

    command: tuple[str, ...] = ()
    env: tuple[str, ...] = ()  # NAME=VALUE, over the service's environment
    remove: bool = False
    service_ports: bool = False  # as compose run: the service's ports are published only if asked
    name: str | None = None


def create_oneoff(session: Any, project: Project, service: Service, oneoff: OneOff, detach: bool) -> str:
    """A one-off container of ``service`` (compose's ``oneoff`` label, a ``PROJECT-SERVICE-run-SLUG``
    name unless ``--name``), created and connected; its id."""
    import uuid
    from dataclasses import replace

    from .confighash import config_hash

    api = session.api
    slug = uuid.uuid4().hex
    environment = dict(service.environment)
    environment.update(tuple(e.split("=", 1)) for e in oneoff.env if "=" in e)  # type: ignore[misc]
    changed = replace(
        service,
        command=oneoff.command or service.command,
        environment=tuple(environment.items()),
        ports=service.ports if oneoff.service_ports else (),
        container_name=oneoff.name or f"{project.name}-{service.name}-run-{slug[:12]}",
    )
    image = image_name(project, changed)
    made = creation(
        project,
        changed,
        1,
        image,
        engine.image_id(api, image) or "",
        config_hash(changed),
        session.settings.publish_host,
        session.labels(temporary=oneoff.remove),
    )
    made.body["Labels"].update({L.ONEOFF: "True", L.SLUG: slug})
    if detach:
        made.body["HostConfig"]["AutoRemove"] = oneoff.remove  # the engine removes it when it exits
    else:
        made.body.update({"AttachStdout": True, "AttachStderr": True})
    cid = engine_run.create(api, made.body, made.name)
    for network, aliases in made.later_networks:
        engine.connect(api, network, cid, aliases)
    return cid


def start_oneoff(session: Any, project: Project, service: Service, oneoff: OneOff) -> str:
    """``compose run -d``: the one-off container started in the background; its id."""
    cid = create_oneoff(session, project, service, oneoff, detach=True)
    try:
        containers.start(session.api, cid)
    except BaseException:
        containers.remove_quietly(session.api, cid)
        raise
    return cid


def run_oneoff(
    session: Any, project: Project, service: Service, oneoff: OneOff
) -> tuple[int, str, str, float]:
    """``compose run``: the one-off container run in the foreground with its output streamed."""
    api = session.api
    cid = create_oneoff(session, project, service, oneoff, detach=False)
    try:
        return engine_run.run_foreground(api, cid, session.out, session.err, remove=oneoff.remove)
    finally:
        if oneoff.remove:  # removed here rather than by the engine (AutoRemove), so it is gone on return
            containers.remove_quietly(api, cid)
