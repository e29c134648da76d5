"""A service's config hash, as docker compose v2 computes it, so that either tool keeps the
other's containers on ``up``.

Compose hashes (SHA-256) the compact JSON of its loaded service, less the keys that change no
container (build, pull_policy, scale, deploy.replicas, depends_on, profiles). That JSON is Go's
encoding of compose-go's types: struct fields in declaration order, only some omitted when empty,
maps sorted by key, durations as Go writes them, and ``<``, ``>``, ``&`` escaped. ``service_json``
rebuilds it for the supported keys; tests compare the result with the compose v2 binary's.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .model import Healthcheck, Mount, Port, Service

# Go's encoder escapes these inside strings; Python's does not.
_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def config_hash(service: Service) -> str:
    text = json.dumps(service_json(service), ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _GO_ESCAPES.items():
        text = text.replace(raw, escaped)
    return hashlib.sha256(text.encode()).hexdigest()


def service_json(service: Service) -> dict[str, Any]:
    """The service as compose's hash sees it; keys in compose-go's field order."""
    environment: dict[str, str | None] = dict(service.environment)
    environment.update({name: None for name in service.unset_environment if name not in environment})
    # (key, value, when Go writes it: "always", "set" for a pointer, else omitempty)
    fields: list[tuple[str, Any, str]] = [
        ("command", _strings(service.command), "always"),
        ("container_name", service.container_name, ""),
        ("deploy", {"resources": {}, "placement": {}} if service.deploy_written else None, "set"),
        ("entrypoint", _strings(service.entrypoint), "always"),
        ("environment", dict(sorted(environment.items())), ""),
        ("expose", list(service.expose), ""),
        ("hostname", service.hostname, ""),
        ("healthcheck", _healthcheck(service.healthcheck), "set"),
        ("image", service.image, ""),
        ("labels", dict(sorted(service.labels)), ""),
        ("networks", {a.network: _attachment(a.aliases, a.options_written) for a in _sorted(service)}, ""),
        ("ports", [_port(p) for p in service.ports], ""),
        ("restart", service.restart, ""),
        ("user", service.user, ""),
        ("volumes", [_mount(m) for m in service.volumes], ""),
        ("working_dir", service.working_dir, ""),
    ]
    return {
        key: value
        for key, value, when in fields
        if value or when == "always" or (when == "set" and value is not None)
    }


def _strings(value: tuple[str, ...] | None) -> list[str] | None:
    return None if value is None else list(value)


def _sorted(service: Service) -> list[Any]:
    return sorted(service.networks, key=lambda a: a.network)


def _attachment(aliases: tuple[str, ...], written: bool) -> dict[str, Any] | None:
    if aliases:
        return {"aliases": list(aliases)}
    return {} if written else None


def _port(port: Port) -> dict[str, Any]:
    out: dict[str, Any] = {"mode": "ingress"}
    if port.host_ip:
        out["host_ip"] = port.host_ip
    out["target"] = port.target
    if port.published:
        out["published"] = port.published
    out["protocol"] = port.protocol
    return out


def _mount(mount: Mount) -> dict[str, Any]:
    out: dict[str, Any] = {"type": mount.type}
    if mount.source:
        out["source"] = mount.source
    out["target"] = mount.target
    if mount.read_only:
        out["read_only"] = True
    if mount.type == "bind" and (mount.short or mount.options_written):
        out["bind"] = {"create_host_path": True} if mount.short or mount.create_host_path else {}
    elif mount.type == "volume" and (mount.short or mount.options_written):
        out["volume"] = {"nocopy": True} if mount.nocopy else {}
    elif mount.type == "tmpfs" and (mount.options_written or mount.tmpfs_size is not None):
        out["tmpfs"] = {"size": str(mount.tmpfs_size)} if mount.tmpfs_size is not None else {}
    return out


def _healthcheck(check: Healthcheck | None) -> dict[str, Any] | None:
    if check is None:
        return None
    if check.disable:
        return {"disable": True}
    out: dict[str, Any] = {}
    if check.test is not None:
        out["test"] = list(check.test)
    for key, value in (("timeout", check.timeout), ("interval", check.interval)):
        if value is not None:
            out[key] = go_duration(value)
    if check.retries is not None:
        out["retries"] = check.retries
    if check.start_period is not None:
        out["start_period"] = go_duration(check.start_period)
    return out


def go_duration(ns: int) -> str:
    """Go's ``time.Duration.String``: ``1h0m0s``, ``1m30s``, ``1.5s``, ``500ms``, ``0s``."""
    if ns == 0:
        return "0s"
    sign, ns = ("-", -ns) if ns < 0 else ("", ns)
    if ns < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if ns >= size:
                return sign + _decimal(ns, size) + unit
    hours, rest = divmod(ns, 3600 * 1_000_000_000)
    minutes, rest = divmod(rest, 60 * 1_000_000_000)
    seconds = _decimal(rest, 1_000_000_000) + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}"
    if minutes:
        return f"{sign}{minutes}m{seconds}"
    return sign + seconds


def _decimal(value: int, unit: int) -> str:
    whole, fraction = divmod(value, unit)
    if not fraction:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}.{str(fraction).rjust(digits, '0').rstrip('0')}"
