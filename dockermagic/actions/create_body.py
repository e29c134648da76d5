"""RunSpec -> the Engine API's ``POST /containers/create`` body, as the CLI builds it.

It sits above the engine layer (as docker-py builds create arguments in its
models, not its API client), so that ``engine.run.create`` takes a plain body.
No engine calls (only ``--env-file`` files are read), so the translation of
every flag is unit-tested in one place; the parity tests check the result
against what the docker CLI creates on the same engine.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

from ..commands.run import RunSpec
from ..errors import CommandError
from ..parsing.keyvalue import env_entry, mapping, read_env_file
from ..parsing.units import memory_bytes

_PORT = re.compile(
    r"^(?:(?:(?P<ip>\[[0-9a-fA-F:.]+\]|[0-9.]+|[0-9a-zA-Z.-]*):)?(?P<host>\d*(?:-\d+)?):)?"
    r"(?P<ctr>\d+(?:-\d+)?)(?:/(?P<proto>tcp|udp|sctp))?$"
)


def _range(text: str) -> list[int]:
    if not text:
        return []
    lo, _, hi = text.partition("-")
    lo_i, hi_i = int(lo), int(hi or lo)
    if hi_i < lo_i or hi_i > 65535:
        raise ValueError
    return list(range(lo_i, hi_i + 1))


def parse_publish(spec: str, default_host: str) -> list[tuple[str, str, str]]:
    """``[ip:][host:]ctr[/proto]`` -> [(\"80/tcp\", host_ip, host_port)], ranges expanded."""
    m = _PORT.match(spec)
    try:
        if not m:
            raise ValueError
        ctr, host = _range(m.group("ctr")), _range(m.group("host") or "")
    except ValueError:
        raise CommandError(
            f"invalid port mapping {spec!r}: use [ip:][hostPort:]containerPort[/proto], "
            "e.g. -p 8080:80 or -p 127.0.0.1:5432:5432"
        ) from None
    # a host range for one container port lets the engine pick a free one in it, as the CLI allows
    if host and len(host) != len(ctr) and len(ctr) > 1:
        raise CommandError(f"invalid port mapping {spec!r}: host and container port ranges differ in size")
    ip = (m.group("ip") or "").strip("[]")
    if ip == "" and m.group("ip") is None:
        ip = default_host  # no address written: the notebook-safe default
    proto = m.group("proto") or "tcp"
    out = []
    for i, port in enumerate(ctr):
        if len(host) == len(ctr):
            hport = str(host[i])
        elif host:  # a host range for one container port
            hport = f"{host[0]}-{host[-1]}"
        else:
            hport = ""
        out.append((f"{port}/{proto}", ip, hport))
    return out


_MOUNT_KEYS = {
    "src": "source",
    "source": "source",
    "dst": "target",
    "destination": "target",
    "target": "target",
    "type": "type",
    "readonly": "readonly",
    "ro": "readonly",
    "bind-propagation": "bind-propagation",
    "volume-opt": "volume-opt",
    "volume-nocopy": "volume-nocopy",
    "tmpfs-size": "tmpfs-size",
    "tmpfs-mode": "tmpfs-mode",
}


def parse_mount(spec: str) -> dict[str, Any]:
    fields: dict[str, list[str]] = {}
    for part in spec.split(","):
        name, eq, val = part.partition("=")
        key = _MOUNT_KEYS.get(name.strip().lower())
        if key is None:
            raise CommandError(f"--mount {spec!r}: unknown field {part.split('=')[0]!r}")
        fields.setdefault(key, []).append(val if eq else "true")
    one = {k: v[-1] for k, v in fields.items()}
    mount: dict[str, Any] = {"Type": one.get("type", "volume"), "Target": one.get("target", "")}
    if not mount["Target"]:
        raise CommandError(f"--mount {spec!r}: target is required (target=/path/in/container)")
    if "source" in one:
        mount["Source"] = one["source"]
    if one.get("readonly", "false").lower() in ("true", "1"):
        mount["ReadOnly"] = True
    if "bind-propagation" in one:
        mount["BindOptions"] = {"Propagation": one["bind-propagation"]}
    if mount["Type"] == "volume" and ("volume-opt" in fields or "volume-nocopy" in one):
        opts = dict(v.split("=", 1) for v in fields.get("volume-opt", []) if "=" in v)
        mount["VolumeOptions"] = {"DriverConfig": {"Options": opts}} if opts else {}
        if one.get("volume-nocopy", "false").lower() in ("true", "1"):
            mount["VolumeOptions"]["NoCopy"] = True
    if mount["Type"] == "tmpfs" and ("tmpfs-size" in one or "tmpfs-mode" in one):
        mount["TmpfsOptions"] = {}
        try:
            if "tmpfs-size" in one:
                mount["TmpfsOptions"]["SizeBytes"] = memory_bytes(one["tmpfs-size"])
            if "tmpfs-mode" in one:
                mount["TmpfsOptions"]["Mode"] = int(one["tmpfs-mode"], 8)
        except ValueError as exc:
            raise CommandError(
                f"--mount {spec!r}: tmpfs-size takes a size such as 64m, tmpfs-mode an "
                f"octal mode such as 1770 ({exc})."
            ) from None
    return mount


def _volumes(specs: Iterable[str]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    binds: list[str] = []
    anonymous: dict[str, dict[str, Any]] = {}
    for spec in specs:
        parts = spec.split(":")
        if len(parts) == 1:
            anonymous[spec] = {}
            continue
        src = parts[0]
        if src.startswith((".", "~")):
            src = os.path.abspath(os.path.expanduser(src))
        binds.append(":".join([src] + parts[1:]))
    return binds, anonymous


def _restart(policy: tuple[str, int] | None) -> dict[str, Any]:
    name, count = policy or ("no", 0)
    return {"Name": name, "MaximumRetryCount": count}


def _device(spec: str) -> dict[str, str]:
    parts = spec.split(":")
    host = parts[0]
    ctr = parts[1] if len(parts) > 1 and parts[1].startswith("/") else host
    perms = parts[-1] if len(parts) > 1 and not parts[-1].startswith("/") else "rwm"
    return {"PathOnHost": host, "PathInContainer": ctr, "CgroupPermissions": perms}


def _capability(name: str) -> str:
    """``net_admin`` -> ``CAP_NET_ADMIN``, as the CLI normalises them; ALL stays ALL."""
    name = name.upper()
    return name if name == "ALL" or name.startswith("CAP_") else "CAP_" + name


def _add_host(entry: str) -> str:
    if "=" in entry and ":" not in entry.split("=", 1)[0]:
        host, ip = entry.split("=", 1)
        return f"{host}:{ip}"
    return entry


def create_body(
    spec: RunSpec, publish_host: str, labels: dict[str, str], image_exposed: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The create request body for ``spec``; ``labels`` are the session's own."""
    env = [e for path in spec.env_files for e in read_env_file(path)]
    env += [e for entry in spec.env for e in env_entry(entry)]

    exposed: dict[str, Any] = {}
    bindings: dict[str, list[dict[str, str]]] = {}
    # every interface is what the CLI means by no address: HostIp "" (IPv4 and IPv6), and -P as is
    host_default = "" if publish_host in ("", None, "0.0.0.0") else publish_host
    for p in spec.publish:
        for port, ip, hport in parse_publish(p, host_default):
            exposed[port] = {}
            bindings.setdefault(port, []).append({"HostIp": ip, "HostPort": hport})
    for e in spec.expose:
        for port, _, _ in parse_publish(e, ""):
            exposed[port] = {}
    publish_all = spec.publish_all
    if publish_all and host_default:
        # -P would bind every interface: bind each exposed port on the safe default instead
        for port in list(image_exposed or {}) + list(exposed):
            bindings.setdefault(port, [{"HostIp": host_default, "HostPort": ""}])
            exposed[port] = {}
        publish_all = False

    binds, anonymous = _volumes(spec.volumes)
    interactive_attach = not spec.detach or spec.create_only
    config = {
        "Hostname": spec.hostname or "",
        "Domainname": "",
        "User": spec.user or "",
        "AttachStdin": bool(spec.interactive and interactive_attach),
        "AttachStdout": interactive_attach,
        "AttachStderr": interactive_attach,
        "Tty": spec.tty,
        "OpenStdin": spec.interactive,
        "StdinOnce": bool(spec.interactive and interactive_attach),
        "Env": env,
        "Cmd": list(spec.command) or None,
        "Image": spec.image,
        "Volumes": anonymous,
        "WorkingDir": spec.workdir or "",
        "Entrypoint": None if spec.entrypoint is None else [spec.entrypoint],
        "OnBuild": None,
        "Labels": {**mapping(spec.labels, "--label"), **labels},
    }
    if exposed:
        config["ExposedPorts"] = exposed
    if spec.stop_signal:
        config["StopSignal"] = spec.stop_signal
    health = _healthcheck(spec)
    if health is not None:
        config["Healthcheck"] = health

    host = {
        "Binds": binds or None,
        "NetworkMode": spec.network or "default",
        "PortBindings": bindings,
        "RestartPolicy": _restart(spec.restart),
        "AutoRemove": spec.remove,
        "CapAdd": [_capability(c) for c in spec.cap_add] or None,
        "CapDrop": [_capability(c) for c in spec.cap_drop] or None,
        "ExtraHosts": [_add_host(h) for h in spec.add_hosts] or None,
        "Links": list(spec.links) or None,
        "Privileged": spec.privileged,
        "PublishAllPorts": publish_all,
        "ReadonlyRootfs": spec.read_only,
        "Memory": spec.memory or 0,
        "NanoCpus": spec.cpus or 0,
        "Devices": [_device(d) for d in spec.devices],
    }
    # The CLI always sends these as empty lists; so do we, so inspect reads the same.
    for key in (
        "BlkioDeviceReadBps",
        "BlkioDeviceReadIOps",
        "BlkioDeviceWriteBps",
        "BlkioDeviceWriteIOps",
        "BlkioWeightDevice",
        "Dns",
        "DnsOptions",
        "DnsSearch",
        "Ulimits",
    ):
        host[key] = []
    if spec.mounts:
        host["Mounts"] = [parse_mount(m) for m in spec.mounts]
    if spec.init:
        host["Init"] = True
    if spec.shm_size:
        host["ShmSize"] = spec.shm_size
    config["HostConfig"] = host
    if spec.network and spec.network_aliases:
        config["NetworkingConfig"] = {
            "EndpointsConfig": {spec.network: {"Aliases": list(spec.network_aliases)}}
        }
    elif spec.network_aliases:
        raise CommandError("--network-alias needs --network NAME: aliases live on a user-defined network.")
    return config


def _healthcheck(spec: RunSpec) -> dict[str, Any] | None:
    if spec.no_healthcheck:
        if spec.health_cmd:
            raise CommandError("--no-healthcheck conflicts with --health-cmd: keep one of them.")
        return {"Test": ["NONE"]}
    given = (
        spec.health_cmd,
        spec.health_interval,
        spec.health_timeout,
        spec.health_retries,
        spec.health_start_period,
    )
    if all(v is None for v in given):
        return None
    check: dict[str, Any] = {"Test": ["CMD-SHELL", spec.health_cmd] if spec.health_cmd else None}
    check["Interval"] = spec.health_interval or 0
    check["Timeout"] = spec.health_timeout or 0
    check["StartPeriod"] = spec.health_start_period or 0
    check["Retries"] = spec.health_retries or 0
    if check["Test"] is None:
        del check["Test"]
    return check
