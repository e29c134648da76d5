"""A compose file read for ``stack deploy``: the project, plus what only a swarm reads.

The file goes through the same reading as ``%%compose`` (interpolation, several files merged, the
supported keys checked), after the keys that only swarm services have are taken out of it and
read here: each service's ``deploy:`` block (mode, replicas, labels, placement, resources,
update_config, rollback_config, restart_policy, endpoint_mode) and a long port's ``mode``. Keys a
swarm ignores are named in one warning, as ``docker stack deploy`` names them.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import CommandError
from ..parsing.units import memory_bytes, nano_cpus
from .model import Project
from .normalise import _Reader, normalise
from .project import _read, merged
from .source import Path

DEPLOY_KEYS = {
    "mode", "replicas", "labels", "placement", "resources", "update_config", "rollback_config",
    "restart_policy", "endpoint_mode",
}  # fmt: skip
PLACEMENT_KEYS = {"constraints", "preferences", "max_replicas_per_node"}
LIMIT_KEYS = {"cpus", "memory", "pids"}
RESERVATION_KEYS = {"cpus", "memory"}
UPDATE_KEYS = {"parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"}
RESTART_KEYS = {"condition", "delay", "max_attempts", "window"}
MODES = ("replicated", "global")
# What docker stack deploy names and ignores (its loader's lists, for the keys read here).
UNSUPPORTED = ("build", "restart")
DEPRECATED = {
    "container_name": "Setting the container name is not supported.",
    "expose": "Exposing ports is unnecessary - services on the same network can access each other's "
    "containers on any port.",
}
# Keys of a swarm service that %docker does not deploy: refused in one line, never dropped.
NOT_YET = {
    "configs": "swarm configs are not deployed by %docker stack deploy: mount the file with a bind "
    "volume, or put it in the image",
    "secrets": "swarm secrets are not deployed by %docker stack deploy: pass the value in environment "
    "(masked in every view), or a file in the image",
}


@dataclass(frozen=True)
class Rollout:
    """``update_config`` / ``rollback_config``."""

    parallelism: int = 1
    delay: int = 0  # nanoseconds
    failure_action: str = ""
    monitor: int = 0
    max_failure_ratio: float = 0.0
    order: str = ""


@dataclass(frozen=True)
class RestartPolicy:
    condition: str = ""
    delay: int | None = None
    max_attempts: int | None = None
    window: int | None = None


@dataclass(frozen=True)
class Deploy:
    mode: str = "replicated"
    replicas: int | None = None
    labels: tuple[tuple[str, str], ...] = ()
    constraints: tuple[str, ...] = ()
    preferences: tuple[str, ...] = ()  # spread descriptors
    max_replicas_per_node: int = 0
    limits: tuple[tuple[str, int], ...] = ()  # NanoCPUs, MemoryBytes, Pids
    reservations: tuple[tuple[str, int], ...] = ()
    update_config: Rollout | None = None
    rollback_config: Rollout | None = None
    restart_policy: RestartPolicy | None = None
    endpoint_mode: str = ""
    host_ports: tuple[tuple[int, str, str], ...] = ()  # (target, published, protocol) with mode: host


@dataclass(frozen=True)
class StackFile:
    project: Project
    deploys: Mapping[str, Deploy]
    restarts: Mapping[str, str] = field(default_factory=dict)  # the service's restart:, as written
    warnings: tuple[str, ...] = ()


def load(files: Iterable[str], namespace: str, environ: Mapping[str, str] | None = None) -> StackFile:
    """``-c FILE``...: the first file's directory is the working directory; later ones are merged."""
    paths = [os.path.abspath(f) for f in files]
    texts = [(_read(path), os.path.basename(path)) for path in paths]
    (text, name), overrides = texts[0], tuple(texts[1:])
    where = os.path.dirname(paths[0])
    doc, variables, warnings = merged(text, where, environ, name, overrides)
    reader = _Reader(doc, where, variables)
    services = doc.data.get("services")
    deploys: dict[str, Deploy] = {}
    restarts: dict[str, str] = {}
    ignored: set[str] = set()
    deprecated: set[str] = set()
    if isinstance(services, dict):
        doc.data = copy.deepcopy(doc.data)
        for key, body in doc.data["services"].items():
            if not isinstance(body, dict):
                continue  # normalise names the mistake
            path: Path = ("services", str(key))
            for refused, why in NOT_YET.items():
                if refused in body:
                    raise reader.fail(path + (refused,), f"{why}.")
            deploys[str(key)] = _deploy(reader, body.pop("deploy", None) or {}, path + ("deploy",), body)
            if deploys[str(key)].replicas is not None:
                body["deploy"] = {"replicas": deploys[str(key)].replicas}
            ignored.update(k for k in UNSUPPORTED if k in body)
            deprecated.update(k for k in DEPRECATED if k in body)
            if isinstance(body.get("restart"), str):
                restarts[str(key)] = body["restart"]
    for top in NOT_YET:
        if top in doc.data:
            raise reader.fail((top,), f"{NOT_YET[top]}.")
    project = normalise(doc, where, variables, namespace, tuple(paths))
    for service in project.services:
        if not service.image:
            raise CommandError(
                f"{name}: service {service.name!r} has no image: a swarm pulls images, it builds none "
                "(build it, push it to a registry the nodes reach, and name it in image:)."
            )
    notes = list(warnings)
    if ignored:
        notes.append(f"Ignoring unsupported options: {', '.join(sorted(ignored))}")
    if deprecated:
        lines = "\n".join(f"{k}: {DEPRECATED[k]}" for k in sorted(deprecated))
        notes.append(f"Ignoring deprecated options:\n\n{lines}")
    return StackFile(replace(project, warnings=()), deploys, restarts, tuple(notes))


def _deploy(r: _Reader, value: Any, path: Path, service: dict[str, Any]) -> Deploy:
    body = r.keys(value, DEPLOY_KEYS, path, ", ".join(sorted(DEPLOY_KEYS)))
    mode = r.string(body.get("mode", "replicated"), path + ("mode",))
    if mode not in MODES:
        raise r.fail(path + ("mode",), f"{mode!r}: use replicated or global.")
    replicas = r.integer(body["replicas"], path + ("replicas",)) if "replicas" in body else None
    if replicas is not None and mode == "global":
        raise r.fail(path + ("replicas",), "a global service runs one task per node: remove replicas.")
    placement = r.keys(body.get("placement") or {}, PLACEMENT_KEYS, path + ("placement",), "constraints, ...")
    preferences = []
    for i, item in enumerate(placement.get("preferences") or []):
        where = path + ("placement", "preferences", str(i))
        spread = r.keys(item, {"spread"}, where, "spread")
        if "spread" not in spread:
            raise r.fail(where, "write spread: node.labels.NAME.")
        preferences.append(r.string(spread["spread"], where + ("spread",)))
    resources = r.keys(
        body.get("resources") or {}, {"limits", "reservations"}, path + ("resources",), "limits"
    )
    endpoint = r.string(body.get("endpoint_mode", ""), path + ("endpoint_mode",)).lower()
    if endpoint not in ("", "vip", "dnsrr"):
        raise r.fail(path + ("endpoint_mode",), f"{endpoint!r}: use vip or dnsrr.")
    return Deploy(
        mode=mode,
        replicas=replicas,
        labels=tuple((k, v or "") for k, v in r.mapping(body.get("labels"), path + ("labels",))),
        constraints=r.strings(placement.get("constraints") or [], path + ("placement", "constraints")),
        preferences=tuple(preferences),
        max_replicas_per_node=r.integer(
            placement.get("max_replicas_per_node", 0), path + ("placement", "max_replicas_per_node")
        ),
        limits=_resources(r, resources.get("limits"), path + ("resources", "limits"), LIMIT_KEYS),
        reservations=_resources(
            r, resources.get("reservations"), path + ("resources", "reservations"), RESERVATION_KEYS
        ),
        update_config=_rollout(r, body.get("update_config"), path + ("update_config",)),
        rollback_config=_rollout(r, body.get("rollback_config"), path + ("rollback_config",)),
        restart_policy=_restart(r, body.get("restart_policy"), path + ("restart_policy",)),
        endpoint_mode=endpoint,
        host_ports=_host_ports(r, service.get("ports"), ("services", path[1], "ports")),
    )


def _resources(r: _Reader, value: Any, path: Path, allowed: set[str]) -> tuple[tuple[str, int], ...]:
    if value is None:
        return ()
    body = r.keys(value, allowed, path, ", ".join(sorted(allowed)))
    out: list[tuple[str, int]] = []
    try:
        if "cpus" in body:
            out.append(("NanoCPUs", nano_cpus(r.string(body["cpus"], path + ("cpus",)))))
        if "memory" in body:
            out.append(("MemoryBytes", memory_bytes(r.string(body["memory"], path + ("memory",)))))
    except ValueError as exc:
        raise r.fail(path, f"{exc}.") from None
    if "pids" in body:
        out.append(("Pids", r.integer(body["pids"], path + ("pids",))))
    return tuple(out)


def _choice(r: _Reader, body: dict[str, Any], key: str, path: Path, choices: tuple[str, ...]) -> str:
    """``key``'s string, one of ``choices`` ("" where it is not written)."""
    chosen = r.string(body.get(key, ""), path + (key,))
    if chosen not in ("", *choices):
        listed = ", ".join(choices[:-1]) + " or " + choices[-1]
        raise r.fail(path + (key,), f"{chosen!r}: use {listed}.")
    return chosen


def _rollout(r: _Reader, value: Any, path: Path) -> Rollout | None:
    if value is None:
        return None
    body = r.keys(value, UPDATE_KEYS, path, ", ".join(sorted(UPDATE_KEYS)))
    action = _choice(r, body, "failure_action", path, ("pause", "continue", "rollback"))
    order = _choice(r, body, "order", path, ("start-first", "stop-first"))
    ratio = body.get("max_failure_ratio", 0)
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0 <= ratio <= 1:
        raise r.fail(path + ("max_failure_ratio",), "must be a number from 0 to 1.")
    return Rollout(
        parallelism=r.integer(body.get("parallelism", 1), path + ("parallelism",)),
        delay=r.duration(body["delay"], path + ("delay",)) if "delay" in body else 0,
        failure_action=action,
        monitor=r.duration(body["monitor"], path + ("monitor",)) if "monitor" in body else 0,
        max_failure_ratio=float(ratio),
        order=order,
    )


def _restart(r: _Reader, value: Any, path: Path) -> RestartPolicy | None:
    if value is None:
        return None
    body = r.keys(value, RESTART_KEYS, path, ", ".join(sorted(RESTART_KEYS)))
    condition = _choice(r, body, "condition", path, ("none", "on-failure", "any"))
    return RestartPolicy(
        condition=condition,
        delay=r.duration(body["delay"], path + ("delay",)) if "delay" in body else None,
        max_attempts=r.integer(body["max_attempts"], path + ("max_attempts",))
        if "max_attempts" in body
        else None,
        window=r.duration(body["window"], path + ("window",)) if "window" in body else None,
    )


def _host_ports(r: _Reader, value: Any, path: Path) -> tuple[tuple[int, str, str], ...]:
    """Long-syntax ports with ``mode: host`` (published on the node that runs the task)."""
    if not isinstance(value, list):
        return ()
    out = []
    for i, item in enumerate(value):
        if isinstance(item, dict) and item.get("mode", "ingress") != "ingress":
            where = path + (str(i), "mode")
            if item["mode"] != "host":
                raise r.fail(where, f"{item['mode']!r}: use ingress or host.")
            target = r.integer(item.get("target", 0), path + (str(i), "target"), 1)
            out.append((target, str(item.get("published", "")), str(item.get("protocol", "tcp"))))
    return tuple(out)
