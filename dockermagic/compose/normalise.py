"""The compose file's data -> the typed model, long forms only; anything unsupported is named.

Every mistake is one line that names the key path and its line in the file
(``'services.db.ports.0' (line 9): ...``) and says what to write. A key outside the supported
subset is refused the same way, never silently ignored; ``x-`` extension keys are the spec's
way of saying "ignore this", and are.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping
from typing import Any

from ..errors import CommandError
from ..parsing.units import duration_ns, memory_bytes
from .model import (
    Attachment,
    Build,
    Dependency,
    Healthcheck,
    Mount,
    NetworkDef,
    Port,
    Project,
    Service,
    VolumeDef,
)
from .source import Document, Path

TOP_KEYS = {"services", "networks", "volumes", "name", "version"}
SERVICE_KEYS = {
    "image", "build", "command", "entrypoint", "environment", "env_file", "ports", "expose",
    "volumes", "networks", "depends_on", "healthcheck", "restart", "labels", "container_name",
    "hostname", "working_dir", "user", "deploy", "profiles",
}  # fmt: skip
BUILD_KEYS = {"context", "dockerfile", "args", "target"}
HEALTH_KEYS = {"test", "interval", "timeout", "retries", "start_period", "disable"}
PORT_KEYS = {"target", "published", "host_ip", "protocol", "mode"}
MOUNT_KEYS = {"type", "source", "target", "read_only", "volume", "bind", "tmpfs"}
NETWORK_KEYS = {"driver", "driver_opts", "external", "name", "labels", "internal", "attachable"}
VOLUME_KEYS = {"driver", "driver_opts", "external", "name", "labels"}
CONDITIONS = ("service_started", "service_healthy", "service_completed_successfully")
RESTARTS = re.compile(r"no|always|unless-stopped|on-failure(:\d+)?")
_PROJECT = re.compile(r"[a-z0-9][a-z0-9_-]*")
_SHORT_PORT = re.compile(
    r"(?:(?:(?P<ip>\[[0-9a-fA-F:]+\]|[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:]*):)?(?P<published>\d*(?:-\d+)?):)?"
    r"(?P<target>\d+(?:-\d+)?)(?:/(?P<protocol>tcp|udp|sctp))?"
)


def project_name(written: str, where: str) -> str:
    """A project name as compose accepts it: lower case letters, digits, '-' and '_'."""
    if not _PROJECT.fullmatch(written):
        raise CommandError(
            f"{where}: project name {written!r} must be lower case letters, digits, '-' and '_', "
            "starting with a letter or digit (e.g. -p my-stack)."
        )
    return written


def default_project_name(working_dir: str) -> str:
    """Compose's default: the directory's name, lower-cased, other characters dropped."""
    name = re.sub(r"[^a-z0-9_-]", "", os.path.basename(os.path.abspath(working_dir)).lower())
    return name.lstrip("_-") or "default"


class _Reader:
    """Reads one document; ``fail`` raises the one-line error for a key path."""

    def __init__(self, doc: Document, working_dir: str, environ: Mapping[str, str]):
        self.doc, self.working_dir, self.environ = doc, working_dir, environ

    def fail(self, path: Path, what: str) -> CommandError:
        return CommandError(f"{self.doc.name}: {self.doc.where(path)}: {what}")

    def keys(self, value: Any, allowed: set[str], path: Path, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"must be a mapping ({what}).")
        for key in value:
            if not isinstance(key, str):
                raise self.fail(path, f"key {key!r} must be a string.")
            if key not in allowed and not key.startswith("x-"):
                known = ", ".join(sorted(allowed))
                raise self.fail(
                    path + (key,), f"{key!r} is not supported here (supported: {known}); remove it."
                )
        return value

    def string(self, value: Any, path: Path) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(path, "must be a string.")
        return str(value)

    def strings(self, value: Any, path: Path) -> tuple[str, ...]:
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return (str(value),)
        if not isinstance(value, list):
            raise self.fail(path, "must be a string or a list of strings.")
        return tuple(self.string(v, path + (str(i),)) for i, v in enumerate(value))

    def boolean(self, value: Any, path: Path) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise self.fail(path, "must be true or false.")

    def integer(self, value: Any, path: Path, least: int = 0) -> int:
        try:
            number = int(value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            number = None
        if number is None or number < least:
            raise self.fail(path, f"must be a whole number of at least {least}.")
        return number

    def duration(self, value: Any, path: Path) -> int:
        try:
            return duration_ns(self.string(value, path))
        except ValueError as exc:
            raise self.fail(path, f"{value!r}: {exc}.") from None

    def mapping(self, value: Any, path: Path, bare: str = "empty") -> tuple[tuple[str, str | None], ...]:
        """``[A=1, B]`` or ``{A: 1, B: null}`` -> pairs; ``bare`` keys have None (environment) or ''."""
        if value is None:
            return ()
        pairs: list[tuple[str, str | None]] = []
        if isinstance(value, dict):
            for key, item in value.items():
                if item is None:
                    pairs.append((str(key), None if bare == "none" else ""))
                elif isinstance(item, bool):
                    pairs.append((str(key), str(item).lower()))
                else:
                    pairs.append((str(key), self.string(item, path + (str(key),))))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                key, eq, text = self.string(item, path + (str(i),)).partition("=")
                if not key:
                    raise self.fail(path + (str(i),), "write KEY=VALUE.")
                pairs.append((key, text if eq else (None if bare == "none" else "")))
        else:
            raise self.fail(path, "must be a list of KEY=VALUE or a mapping.")
        return tuple(pairs)

    def path(self, written: str) -> str:
        expanded = os.path.expanduser(written)
        return os.path.normpath(os.path.join(self.working_dir, expanded))


def _command(r: _Reader, value: Any, path: Path) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return tuple(shlex.split(value))
        except ValueError as exc:
            raise r.fail(path, f"{exc}: close the quote, or write the command as a list.") from None
    return r.strings(value, path)


def _build(r: _Reader, value: Any, path: Path) -> Build:
    if isinstance(value, str):
        return Build(r.path(value))
    body = r.keys(value, BUILD_KEYS, path, "context, dockerfile, args, target")
    args = tuple(r.mapping(body.get("args"), path + ("args",), bare="none"))
    target = body.get("target")
    return Build(
        r.path(r.string(body.get("context", "."), path + ("context",))),
        r.string(body["dockerfile"], path + ("dockerfile",)) if "dockerfile" in body else None,
        args,
        r.string(target, path + ("target",)) if target is not None else None,
    )


def _ports(r: _Reader, value: Any, path: Path) -> tuple[Port, ...]:
    if not isinstance(value, list):
        raise r.fail(path, 'must be a list (e.g. - "8080:80").')
    out: list[Port] = []
    for i, item in enumerate(value):
        where = path + (str(i),)
        if isinstance(item, dict):
            body = r.keys(item, PORT_KEYS, where, "target, published, host_ip, protocol")
            if "target" not in body:
                raise r.fail(where, "needs target: the container's port.")
            out.append(
                Port(
                    r.integer(body["target"], where + ("target",), 1),
                    r.string(body.get("published", ""), where + ("published",)),
                    r.string(body.get("host_ip", ""), where + ("host_ip",)),
                    r.string(body.get("protocol", "tcp"), where + ("protocol",)),
                )
            )
            continue
        out.extend(_short_port(r, r.string(item, where), where))
    return tuple(out)


def _span(text: str) -> list[int]:
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def _short_port(r: _Reader, text: str, where: Path) -> list[Port]:
    match = _SHORT_PORT.fullmatch(text)
    if match is None:
        raise r.fail(
            where, f'{text!r} is not a port: write PORT, HOST:PORT or IP:HOST:PORT (e.g. "8080:80").'
        )
    targets = _span(match["target"])
    published = match["published"] or ""
    host_ip = (match["ip"] or "").strip("[]")
    protocol = match["protocol"] or "tcp"
    if published and "-" in published:
        hosts = _span(published)
        if len(hosts) != len(targets):
            if len(targets) == 1:  # one container port, a range of host ports: the engine picks one
                return [Port(targets[0], published, host_ip, protocol)]
            raise r.fail(where, f"{text!r}: the host and container port ranges differ in length.")
        return [Port(t, str(h), host_ip, protocol) for t, h in zip(targets, hosts, strict=True)]
    if published and len(targets) > 1:
        raise r.fail(where, f"{text!r}: a range of container ports needs a range of host ports.")
    return [Port(t, published, host_ip, protocol) for t in targets]


def _mounts(r: _Reader, value: Any, path: Path, declared: set[str]) -> tuple[Mount, ...]:
    if not isinstance(value, list):
        raise r.fail(path, "must be a list (e.g. - data:/var/lib/mysql).")
    out: list[Mount] = []
    for i, item in enumerate(value):
        where = path + (str(i),)
        mount = (
            _long_mount(r, item, where)
            if isinstance(item, dict)
            else _short_mount(r, r.string(item, where), where)
        )
        if mount.type == "volume" and mount.source and mount.source not in declared:
            raise r.fail(
                where, f"volume {mount.source!r} is not declared: add it under the top-level 'volumes:'."
            )
        out.append(mount)
    return tuple(out)


def _is_path(source: str) -> bool:
    return source.startswith((".", "/", "~"))


def _short_mount(r: _Reader, text: str, where: Path) -> Mount:
    parts = text.split(":")
    if len(parts) == 1:
        return Mount("volume", parts[0], short=True)
    if len(parts) > 3:
        raise r.fail(where, f"{text!r}: write SOURCE:TARGET[:ro].")
    source, target = parts[0], parts[1]
    mode = parts[2] if len(parts) == 3 else ""
    if mode not in ("", "ro", "rw", "z", "Z", "ro,z", "ro,Z"):
        raise r.fail(where, f"{text!r}: the mode {mode!r} is not ro or rw.")
    read_only = mode.startswith("ro")
    if _is_path(source):
        return Mount("bind", target, r.path(source), read_only, short=True)
    return Mount("volume", target, source, read_only, short=True)


def _long_mount(r: _Reader, body: dict[str, Any], where: Path) -> Mount:
    r.keys(body, MOUNT_KEYS, where, "type, source, target, read_only, volume, bind, tmpfs")
    kind = r.string(body.get("type", "volume"), where + ("type",))
    if kind not in ("volume", "bind", "tmpfs"):
        raise r.fail(where + ("type",), f"{kind!r} is not supported: use volume, bind or tmpfs.")
    if "target" not in body:
        raise r.fail(where, "needs target: the path inside the container.")
    target = r.string(body["target"], where + ("target",))
    source = r.string(body.get("source", ""), where + ("source",))
    read_only = r.boolean(body.get("read_only", False), where + ("read_only",))
    if kind == "bind":
        if not source:
            raise r.fail(where, "a bind mount needs source: a path on this machine.")
        bind = r.keys(body.get("bind") or {}, {"create_host_path"}, where + ("bind",), "create_host_path")
        create = r.boolean(bind.get("create_host_path", False), where + ("bind", "create_host_path"))
        written = "bind" in body
        return Mount(
            "bind", target, r.path(source), read_only, options_written=written, create_host_path=create
        )
    if kind == "tmpfs":
        options = r.keys(body.get("tmpfs") or {}, {"size"}, where + ("tmpfs",), "size")
        size = None
        if "size" in options:
            try:
                size = memory_bytes(str(options["size"]))
            except ValueError as exc:
                raise r.fail(where + ("tmpfs", "size"), f"{exc}.") from None
        return Mount("tmpfs", target, "", read_only, size, options_written="tmpfs" in body)
    options = r.keys(body.get("volume") or {}, {"nocopy"}, where + ("volume",), "nocopy")
    nocopy = r.boolean(options.get("nocopy", False), where + ("volume", "nocopy"))
    return Mount("volume", target, source, read_only, None, nocopy, options_written="volume" in body)


def _networks(r: _Reader, value: Any, path: Path, declared: set[str]) -> tuple[Attachment, ...]:
    if isinstance(value, list):
        attached = [(r.string(v, path + (str(i),)), None) for i, v in enumerate(value)]
    elif isinstance(value, dict):
        attached = list(value.items())
    else:
        raise r.fail(path, "must be a list of network names or a mapping.")
    out: list[Attachment] = []
    for name, options in attached:
        where = path + (str(name),)
        if name not in declared:
            raise r.fail(where, f"network {name!r} is not declared: add it under the top-level 'networks:'.")
        aliases: tuple[str, ...] = ()
        if options is not None:
            body = r.keys(options, {"aliases"}, where, "aliases")
            aliases = r.strings(body.get("aliases", []), where + ("aliases",))
        out.append(Attachment(str(name), aliases, options_written=options is not None))
    return tuple(out)


def _depends_on(r: _Reader, value: Any, path: Path) -> tuple[Dependency, ...]:
    if isinstance(value, list):
        return tuple(Dependency(r.string(v, path + (str(i),))) for i, v in enumerate(value))
    if not isinstance(value, dict):
        raise r.fail(path, "must be a list of services or a mapping of service: {condition: ...}.")
    out: list[Dependency] = []
    for name, options in value.items():
        where = path + (str(name),)
        body = r.keys(
            options or {}, {"condition", "restart", "required"}, where, "condition, restart, required"
        )
        condition = r.string(body.get("condition", "service_started"), where + ("condition",))
        if condition not in CONDITIONS:
            raise r.fail(where + ("condition",), f"{condition!r}: use one of {', '.join(CONDITIONS)}.")
        out.append(
            Dependency(
                str(name),
                condition,
                r.boolean(body.get("restart", False), where + ("restart",)),
                r.boolean(body.get("required", True), where + ("required",)),
            )
        )
    return tuple(out)


def _healthcheck(r: _Reader, value: Any, path: Path) -> Healthcheck:
    body = r.keys(value, HEALTH_KEYS, path, "test, interval, timeout, retries, start_period, disable")
    if r.boolean(body.get("disable", False), path + ("disable",)):
        return Healthcheck(("NONE",), disable=True)
    test: tuple[str, ...] | None = None
    if "test" in body:
        raw = body["test"]
        if isinstance(raw, str):
            test = ("CMD-SHELL", raw)
        else:
            test = r.strings(raw, path + ("test",))
            if not test or test[0] not in ("CMD", "CMD-SHELL", "NONE"):
                raise r.fail(path + ("test",), 'a list starts with "CMD", "CMD-SHELL" or "NONE".')
    durations = {
        key: r.duration(body[key], path + (key,)) if key in body else None
        for key in ("interval", "timeout", "start_period")
    }
    retries = r.integer(body["retries"], path + ("retries",)) if "retries" in body else None
    return Healthcheck(test, durations["interval"], durations["timeout"], retries, durations["start_period"])


def _environment(r: _Reader, body: dict[str, Any], path: Path) -> tuple[tuple[str, str], ...]:
    """env_file first, then environment over it; a bare NAME takes the kernel's value, or is left out."""
    merged: dict[str, str] = {}
    files = body.get("env_file")
    if files is not None:
        entries = files if isinstance(files, list) else [files]
        for i, entry in enumerate(entries):
            where = path + ("env_file", str(i))
            required = True
            if isinstance(entry, dict):
                r.keys(entry, {"path", "required"}, where, "path, required")
                required = r.boolean(entry.get("required", True), where + ("required",))
                entry = entry.get("path", "")
            file = r.path(r.string(entry, where))
            if not os.path.isfile(file):
                if required:
                    raise r.fail(where, f"no env file at {file}: create it, or mark it required: false.")
                continue
            from .interpolate import read_dotenv

            merged.update(read_dotenv(file))
    for key, value in r.mapping(body.get("environment"), path + ("environment",), bare="none"):
        if value is None:
            if key in r.environ:
                merged[key] = r.environ[key]
            continue
        merged[key] = value
    return tuple(merged.items())


def _unset_environment(r: _Reader, body: dict[str, Any], path: Path) -> tuple[str, ...]:
    pairs = r.mapping(body.get("environment"), path + ("environment",), bare="none")
    return tuple(key for key, value in pairs if value is None and key not in r.environ)


def _service(r: _Reader, name: str, value: Any, networks: set[str], volumes: set[str]) -> Service:
    path = ("services", name)
    body = r.keys(value, SERVICE_KEYS, path, "image, build, command, ports, ...")
    if "image" not in body and "build" not in body:
        raise r.fail(path, "needs an image or a build (e.g. image: debian:bookworm).")
    deploy = r.keys(body.get("deploy") or {}, {"replicas"}, path + ("deploy",), "replicas")
    restart = r.string(body.get("restart", ""), path + ("restart",))
    if restart and not RESTARTS.fullmatch(restart):
        raise r.fail(path + ("restart",), f"{restart!r}: use no, always, on-failure[:N] or unless-stopped.")
    optional = {
        key: r.string(body[key], path + (key,)) if body.get(key) is not None else None
        for key in ("image", "container_name", "hostname", "working_dir", "user")
    }
    return Service(
        name=name,
        image=optional["image"],
        build=_build(r, body["build"], path + ("build",)) if "build" in body else None,
        command=_command(r, body.get("command"), path + ("command",)),
        entrypoint=_command(r, body.get("entrypoint"), path + ("entrypoint",)),
        environment=_environment(r, body, path),
        ports=_ports(r, body["ports"], path + ("ports",)) if "ports" in body else (),
        expose=r.strings(body["expose"], path + ("expose",)) if "expose" in body else (),
        volumes=_mounts(r, body["volumes"], path + ("volumes",), volumes) if "volumes" in body else (),
        networks=_networks(r, body["networks"], path + ("networks",), networks)
        if body.get("networks")
        else (Attachment("default"),),
        depends_on=_depends_on(r, body["depends_on"], path + ("depends_on",)) if "depends_on" in body else (),
        healthcheck=_healthcheck(r, body["healthcheck"], path + ("healthcheck",))
        if "healthcheck" in body
        else None,
        restart=restart,
        labels=tuple((k, v or "") for k, v in r.mapping(body.get("labels"), path + ("labels",))),
        container_name=optional["container_name"],
        hostname=optional["hostname"],
        working_dir=optional["working_dir"],
        user=optional["user"],
        replicas=r.integer(deploy["replicas"], path + ("deploy", "replicas")) if "replicas" in deploy else 1,
        profiles=r.strings(body["profiles"], path + ("profiles",)) if "profiles" in body else (),
        unset_environment=_unset_environment(r, body, path),
        deploy_written="deploy" in body,
    )


def _definitions(r: _Reader, kind: str, project: str) -> list[dict[str, Any]]:
    raw = r.doc.data.get(kind) or {}
    if not isinstance(raw, dict):
        raise r.fail((kind,), "must be a mapping of names.")
    allowed = NETWORK_KEYS if kind == "networks" else VOLUME_KEYS
    out = []
    for key, value in raw.items():
        where = (kind, str(key))
        body = r.keys(value or {}, allowed, where, ", ".join(sorted(allowed)))
        external = body.get("external", False)
        if isinstance(external, dict):  # the old form, external: {name: x}
            body = {**body, "name": body.get("name", external.get("name", key))}
            external = True
        external = r.boolean(external, where + ("external",))
        written = r.string(body["name"], where + ("name",)) if "name" in body else None
        name = written or (str(key) if external else f"{project}_{key}")
        out.append(
            {
                "key": str(key),
                "name": name,
                "external": external,
                "driver": r.string(body["driver"], where + ("driver",)) if "driver" in body else None,
                "driver_opts": tuple(
                    (k, v or "") for k, v in r.mapping(body.get("driver_opts"), where + ("driver_opts",))
                ),
                "labels": tuple((k, v or "") for k, v in r.mapping(body.get("labels"), where + ("labels",))),
                "body": body,
                "where": where,
            }
        )
    return out


def normalise(
    doc: Document,
    working_dir: str,
    environ: Mapping[str, str],
    project: str | None,
    config_files: tuple[str, ...],
) -> Project:
    """The document as a Project; ``project`` (``-p``) wins over ``name:`` and the directory's name."""
    r = _Reader(doc, working_dir, environ)
    r.keys(doc.data, TOP_KEYS, (), "services, networks, volumes, name")
    if project is not None:
        name = project_name(project, "-p")
    elif doc.data.get("name") is not None:
        name = project_name(r.string(doc.data["name"], ("name",)), doc.where(("name",)))
    elif environ.get("COMPOSE_PROJECT_NAME"):
        name = project_name(environ["COMPOSE_PROJECT_NAME"], "COMPOSE_PROJECT_NAME")
    else:
        name = default_project_name(working_dir)
    services = doc.data.get("services")
    if not isinstance(services, dict) or not services:
        raise r.fail(("services",), "needs at least one service (services: web: image: ...).")
    networks = [
        NetworkDef(
            d["key"],
            d["name"],
            d["external"],
            d["driver"],
            d["driver_opts"],
            d["labels"],
            r.boolean(d["body"].get("internal", False), d["where"] + ("internal",)),
            r.boolean(d["body"].get("attachable", False), d["where"] + ("attachable",)),
        )  # fmt: skip
        for d in _definitions(r, "networks", name)
    ]
    if not any(n.key == "default" for n in networks):
        networks.insert(0, NetworkDef("default", f"{name}_default"))
    volumes = [
        VolumeDef(d["key"], d["name"], d["external"], d["driver"], d["driver_opts"], d["labels"])
        for d in _definitions(r, "volumes", name)
    ]
    keys_n, keys_v = {n.key for n in networks}, {v.key for v in volumes}
    parsed = tuple(_service(r, str(key), value, keys_n, keys_v) for key, value in services.items())
    known = {s.name for s in parsed}
    for service in parsed:
        for dep in service.depends_on:
            if dep.service not in known and dep.required:
                raise r.fail(
                    ("services", service.name, "depends_on"),
                    f"service {dep.service!r} is not defined (services: {', '.join(sorted(known))}).",
                )
    return Project(name, working_dir, config_files, parsed, tuple(networks), tuple(volumes))
