"""One container of a service as the Engine API's create body, with compose v2's labels.

Pure: the plan's executor passes it the names the engine will know (networks, volumes), the
publish host and the session's labels. Ports without an address bind the publish host
(127.0.0.1 by default), as ``%docker run`` does, where compose would bind every interface.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import labels as L
from .model import Mount, NetworkDef, Project, Service


@dataclass(frozen=True)
class Creation:
    name: str
    body: dict[str, Any]
    # networks joined after the create (the Engine API takes one at create time): (name, aliases)
    later_networks: tuple[tuple[str, tuple[str, ...]], ...]


def compose_labels(
    project: Project, service: Service, number: int, digest: str, image_id: str, oneoff: bool = False
) -> dict[str, str]:
    """The labels compose v2 puts on a service's container (and reads back in ps, down, up)."""
    return {
        L.PROJECT: project.name,
        L.SERVICE: service.name,
        L.NUMBER: str(number),
        L.ONEOFF: "True" if oneoff else "False",
        L.CONFIG_HASH: digest,
        L.WORKING_DIR: project.working_dir,
        L.CONFIG_FILES: ",".join(project.config_files),
        L.VERSION: L.COMPOSE_VERSION,
        L.DEPENDS_ON: ",".join(
            f"{d.service}:{d.condition}:{str(d.restart).lower()}" for d in service.depends_on
        ),
        L.IMAGE: image_id,
    }


def _port_key(port: str | int, protocol: str = "tcp") -> str:
    text = str(port)
    return text if "/" in text else f"{text}/{protocol}"


def _exposed(service: Service) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for entry in service.expose:
        number, _, protocol = entry.partition("/")
        low, _, high = number.partition("-")
        for n in range(int(low), int(high or low) + 1):
            out[_port_key(n, protocol or "tcp")] = {}
    for port in service.ports:
        out[_port_key(port.target, port.protocol)] = {}
    return out


def _bindings(service: Service, publish_host: str) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for port in service.ports:
        out.setdefault(_port_key(port.target, port.protocol), []).append(
            {"HostIp": port.host_ip or publish_host, "HostPort": port.published}
        )
    return out


def _mount(project: Project, mount: Mount) -> dict[str, Any]:
    if mount.type == "tmpfs":
        entry: dict[str, Any] = {"Type": "tmpfs", "Target": mount.target, "ReadOnly": mount.read_only}
        if mount.tmpfs_size is not None:
            entry["TmpfsOptions"] = {"SizeBytes": mount.tmpfs_size}
        return entry
    source = project.volume(mount.source).name if mount.source else ""
    entry = {"Type": "volume", "Source": source, "Target": mount.target, "ReadOnly": mount.read_only}
    if mount.nocopy:
        entry["VolumeOptions"] = {"NoCopy": True}
    return entry


def _restart(policy: str) -> dict[str, Any]:
    name, _, count = policy.partition(":")
    return {"Name": "" if name == "no" else name, "MaximumRetryCount": int(count or 0)}


def healthcheck(service: Service) -> dict[str, Any] | None:
    """The service's ``healthcheck:`` as the API's HealthConfig, for a container and a swarm task alike."""
    check = service.healthcheck
    if check is None:
        return None
    if check.disable:
        return {"Test": ["NONE"]}
    out: dict[str, Any] = {}
    if check.test is not None:
        out["Test"] = list(check.test)
    for key, value in (
        ("Interval", check.interval),
        ("Timeout", check.timeout),
        ("Retries", check.retries),
        ("StartPeriod", check.start_period),
    ):
        if value is not None:
            out[key] = value
    return out


def network_settings(net: NetworkDef) -> dict[str, Any]:
    """A network's ``driver_opts``, ``internal`` and ``attachable`` in the API's create body, written
    only when given (a local network and a stack's overlay alike)."""
    out: dict[str, Any] = {}
    if net.driver_opts:
        out["Options"] = dict(net.driver_opts)
    if net.internal:
        out["Internal"] = True
    if net.attachable:
        out["Attachable"] = True
    return out


def creation(
    project: Project,
    service: Service,
    number: int,
    image: str,
    image_id: str,
    digest: str,
    publish_host: str,
    session_labels: Mapping[str, str],
) -> Creation:
    """The create body of the ``number``-th container of ``service``, from image ``image``."""
    name = service.container_name or L.container_name(project.name, service.name, number)
    attachments = [(project.network(a.network).name, (service.name, *a.aliases)) for a in service.networks]
    first, *rest = attachments
    labels = {**dict(service.labels), **session_labels}
    labels.update(compose_labels(project, service, number, digest, image_id))
    host_config: dict[str, Any] = {
        "NetworkMode": first[0],
        "PortBindings": _bindings(service, publish_host),
        "RestartPolicy": _restart(service.restart),
        "Binds": [
            f"{m.source}:{m.target}:{'ro' if m.read_only else 'rw'}"
            for m in service.volumes
            if m.type == "bind"
        ],
        "Mounts": [_mount(project, m) for m in service.volumes if m.type != "bind"],
    }
    body: dict[str, Any] = {
        "Image": image,
        "Labels": labels,
        "Env": [f"{k}={v}" for k, v in service.environment],
        "ExposedPorts": _exposed(service),
        "HostConfig": host_config,
        "NetworkingConfig": {"EndpointsConfig": {first[0]: {"Aliases": list(first[1])}}},
    }
    optional = {
        "Cmd": list(service.command) if service.command is not None else None,
        "Entrypoint": list(service.entrypoint) if service.entrypoint is not None else None,
        "Hostname": service.hostname,
        "WorkingDir": service.working_dir,
        "User": service.user,
        "Healthcheck": healthcheck(service),
    }
    body.update({k: v for k, v in optional.items() if v is not None})
    return Creation(name, body, tuple(rest))


def image_name(project: Project, service: Service) -> str:
    """The image a service runs: its ``image:``, or compose's name for what it builds."""
    return service.image or f"{project.name}-{service.name}"
