"""The supported subset of the compose specification, typed: what ``normalise`` produces.

Everything is in its long form already (ports, volumes, depends_on, environment), with relative
paths made absolute, so that the plan, the config hash and the engine body read one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import CommandError


@dataclass(frozen=True)
class Build:
    context: str
    dockerfile: str | None = None
    args: tuple[tuple[str, str | None], ...] = ()
    target: str | None = None


@dataclass(frozen=True)
class Port:
    target: int
    published: str = ""  # '' lets the engine choose; a range is kept as written ('8000-8001')
    host_ip: str = ""  # '' binds the session's publish host (127.0.0.1 by default)
    protocol: str = "tcp"


@dataclass(frozen=True)
class Mount:
    type: str  # volume | bind | tmpfs
    target: str
    source: str = ""  # a volume's key in the file ('' for an anonymous one), or an absolute host path
    read_only: bool = False
    tmpfs_size: int | None = None
    nocopy: bool = False
    # How the file wrote it, which only compose's config hash sees: the short syntax (which
    # implies the type's options block, and create_host_path for a bind) or a written block.
    short: bool = field(default=False, compare=False)
    options_written: bool = field(default=False, compare=False)
    create_host_path: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Dependency:
    service: str
    condition: str = "service_started"  # service_healthy | service_completed_successfully
    restart: bool = False
    required: bool = True


@dataclass(frozen=True)
class Healthcheck:
    test: tuple[str, ...] | None = None  # ("CMD", ...), ("CMD-SHELL", "..."), ("NONE",)
    interval: int | None = None  # nanoseconds, as the Engine API takes them
    timeout: int | None = None
    retries: int | None = None
    start_period: int | None = None
    disable: bool = False


@dataclass(frozen=True)
class Attachment:
    network: str  # its key in the file ('default' for the project's own)
    aliases: tuple[str, ...] = ()
    options_written: bool = field(default=False, compare=False)  # 'front: {}' rather than 'front:'


@dataclass(frozen=True)
class Service:
    name: str
    image: str | None = None
    build: Build | None = None
    command: tuple[str, ...] | None = None
    entrypoint: tuple[str, ...] | None = None
    environment: tuple[tuple[str, str], ...] = ()
    ports: tuple[Port, ...] = ()
    expose: tuple[str, ...] = ()
    volumes: tuple[Mount, ...] = ()
    networks: tuple[Attachment, ...] = (Attachment("default"),)
    depends_on: tuple[Dependency, ...] = ()
    healthcheck: Healthcheck | None = None
    restart: str = ""  # '' when the file has none: compose's config hash tells it from 'no'
    labels: tuple[tuple[str, str], ...] = ()
    container_name: str | None = None
    hostname: str | None = None
    working_dir: str | None = None
    user: str | None = None
    replicas: int = 1
    profiles: tuple[str, ...] = ()
    # Only for compose's config hash: bare environment names the kernel does not set (compose
    # keeps them as null), and whether the file has a deploy block at all.
    unset_environment: tuple[str, ...] = field(default=(), compare=False)
    deploy_written: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class ResourceDef:
    """What a top-level ``networks:`` and ``volumes:`` entry both declare."""

    key: str
    name: str  # on the engine: PROJECT_KEY, or 'name:' as written, or the external one's
    external: bool = False
    driver: str | None = None
    driver_opts: tuple[tuple[str, str], ...] = ()
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class NetworkDef(ResourceDef):
    internal: bool = False
    attachable: bool = False


@dataclass(frozen=True)
class VolumeDef(ResourceDef):
    pass


@dataclass(frozen=True)
class Project:
    name: str
    working_dir: str
    config_files: tuple[str, ...]
    services: tuple[Service, ...]
    networks: tuple[NetworkDef, ...] = ()
    volumes: tuple[VolumeDef, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def service(self, name: str) -> Service:
        for service in self.services:
            if service.name == name:
                return service
        known = ", ".join(s.name for s in self.services) or "none"
        raise CommandError(f"No service {name!r} in project {self.name} (services: {known}).")

    def network(self, key: str) -> NetworkDef:
        return next(n for n in self.networks if n.key == key)

    def volume(self, key: str) -> VolumeDef:
        return next(v for v in self.volumes if v.key == key)
