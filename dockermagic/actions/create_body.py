"""RunSpec -> the Engine API's ``POST /containers/create`` body, as the CLI builds it.

It sits above the engine layer (as docker-py builds create arguments in its
models, not its API client), so that ``engine.run.create`` takes a plain body.
The flags' structured values arrive parsed (``parsing.container_values``); here
they are put where the CLI puts them.  No engine calls (only the files that
``--env-file``, ``--label-file`` and ``--security-opt seccomp=FILE`` name are
read), so the translation of every flag is unit-tested in one place; the
parity tests check the result against what the docker CLI creates on the same
engine (tests/engine/test_parity_run_flags.py).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from typing import Any

from ..commands.run import RunSpec
from ..errors import CommandError
from ..parsing.container_values import is_user_defined, key_values, ulimits
from ..parsing.keyvalue import env_entry, mapping, read_env_file, read_label_file

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


def _labels(spec: RunSpec, session_labels: dict[str, str]) -> dict[str, str]:
    """--label-file files first, then --label (the last value of a key wins), then the session's."""
    from_files: dict[str, str] = {}
    for path in spec.label_files:
        from_files.update(read_label_file(path))
    return {**from_files, **mapping(spec.labels, "--label"), **session_labels}


def _security(spec: RunSpec) -> tuple[list[str], list[str] | None]:
    """SecurityOpt, with a seccomp profile file sent as its compacted JSON, and
    ``systempaths=unconfined`` turned into empty MaskedPaths/ReadonlyPaths (returned as
    ``masked``; the engine never sees that option), as the CLI does."""
    opts: list[str] = []
    masked: list[str] | None = None
    for opt in spec.security_opts:
        if opt == "systempaths=unconfined":
            masked = []
            continue
        key, _, value = opt.partition("=")
        if key == "seccomp" and value not in ("builtin", "unconfined"):
            opt = "seccomp=" + _seccomp_profile(value)
        opts.append(opt)
    return opts, masked


def _seccomp_profile(path: str) -> str:
    try:
        with open(os.path.expanduser(path), encoding="utf-8") as f:
            profile = json.load(f)
    except OSError as exc:
        raise CommandError(
            f"--security-opt seccomp={path}: {exc.strerror} (a profile file on this machine, "
            "or builtin, or unconfined)."
        ) from None
    except ValueError as exc:
        raise CommandError(f"--security-opt seccomp={path}: not a JSON profile ({exc}).") from None
    return json.dumps(profile, separators=(",", ":"), ensure_ascii=False)


def _log_config(spec: RunSpec) -> dict[str, Any]:
    if spec.log_driver == "none" and spec.log_opts:
        raise CommandError("--log-opt has no meaning with --log-driver none: drop one of them.")
    return {"Type": spec.log_driver or "", "Config": key_values(spec.log_opts)}


def _networking(spec: RunSpec) -> tuple[str, dict[str, Any]]:
    """NetworkMode and the endpoints, as the CLI builds them from --network (each one plain or
    ``name=,ip=,alias=,driver-opt=...``) and --network-alias, --link, --ip, --ip6, --link-local-ip
    (which go to the first network)."""
    attachments = [dict(a) for a in spec.networks] or [{"Target": "default"}]
    first = attachments[0]
    for flag, given, key in (
        ("--network-alias", spec.network_aliases, "Aliases"),
        ("--ip", spec.ip, "IPv4Address"),
        ("--ip6", spec.ip6, "IPv6Address"),
        ("--link-local-ip", spec.link_local_ips, "LinkLocalIPs"),
    ):
        if given and first.get(key):
            raise CommandError(
                f"conflicting options: {flag} and the same setting in --network {first['Target']}: keep one."
            )
        if given:
            first[key] = list(given) if isinstance(given, tuple) else given
    if spec.links and is_user_defined(first["Target"]):
        first["Links"] = list(spec.links)  # on a user-defined network a link is an alias of the endpoint

    endpoints: dict[str, Any] = {}
    kinds = {is_user_defined(a["Target"]) for a in attachments}
    if len(kinds) > 1:
        raise CommandError(
            "conflicting options: cannot attach both user-defined and non-user-defined network-modes."
        )
    for attachment in attachments:
        target = attachment["Target"]
        if target in endpoints:
            raise CommandError(f"network {target!r} is specified multiple times: give each --network once.")
        endpoint = _endpoint(attachment)
        # one network without settings needs no endpoint (the engine makes it), as with the CLI
        if endpoint or len(attachments) > 1:
            endpoints[target] = endpoint
    return attachments[0]["Target"], endpoints


def _endpoint(attachment: dict[str, Any]) -> dict[str, Any]:
    if not is_user_defined(attachment["Target"]):
        if attachment.get("Aliases"):
            raise CommandError(
                "network-scoped aliases are only supported for user-defined networks: "
                "add --network NAME (one made with %docker network create)."
            )
        if attachment.get("Links"):
            raise CommandError("links are only supported for user-defined networks.")
    endpoint: dict[str, Any] = {}
    for key in ("Aliases", "DriverOpts", "Links"):
        if attachment.get(key):
            endpoint[key] = attachment[key]
    ipam = {k: attachment[k] for k in ("IPv4Address", "IPv6Address", "LinkLocalIPs") if attachment.get(k)}
    if ipam:
        endpoint["IPAMConfig"] = ipam
    return endpoint


def _attach(spec: RunSpec) -> dict[str, bool]:
    """AttachStdin/Stdout/Stderr and StdinOnce: -a names the streams (stdout and stderr when none
    is named, stdin with -i); a detached run attaches none."""
    if spec.attach and spec.detach and not spec.create_only:
        raise CommandError("conflicting options: cannot specify both --attach and --detach.")
    stdin = "stdin" in spec.attach or spec.interactive
    stdout = "stdout" in spec.attach or not spec.attach
    stderr = "stderr" in spec.attach or not spec.attach
    if spec.detach and not spec.create_only:
        stdin = stdout = stderr = False
    return {
        "AttachStdin": stdin,
        "AttachStdout": stdout,
        "AttachStderr": stderr,
        "StdinOnce": spec.interactive and stdin,
    }


def create_body(
    spec: RunSpec, publish_host: str, labels: dict[str, str], image_exposed: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The create request body for ``spec``; ``labels`` are the session's own."""
    if spec.remove and spec.restart and spec.restart[0] != "no":
        raise CommandError("conflicting options: cannot specify both --restart and --rm.")
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
    network_mode, endpoints = _networking(spec)
    config: dict[str, Any] = {
        "Hostname": spec.hostname or "",
        "Domainname": spec.domainname or "",
        "User": spec.user or "",
        **_attach(spec),
        "Tty": spec.tty,
        "OpenStdin": spec.interactive,
        "Env": env,
        "Cmd": list(spec.command) or None,
        "Image": spec.image,
        "Volumes": anonymous,
        "WorkingDir": spec.workdir or "",
        "Entrypoint": None if spec.entrypoint is None else [spec.entrypoint],
        "OnBuild": None,
        "Labels": _labels(spec, labels),
    }
    if exposed:
        config["ExposedPorts"] = exposed
    if spec.stop_signal:
        config["StopSignal"] = spec.stop_signal
    if spec.stop_timeout is not None:
        config["StopTimeout"] = spec.stop_timeout
    if spec.mac_address:
        config["MacAddress"] = spec.mac_address  # API 1.41 keeps it on the container, not per network
    health = _healthcheck(spec)
    if health is not None:
        config["Healthcheck"] = health

    security_opts, masked = _security(spec)
    host: dict[str, Any] = {
        "Binds": binds or None,
        "ContainerIDFile": spec.cidfile or "",
        "NetworkMode": network_mode,
        "PortBindings": bindings,
        "RestartPolicy": _restart(spec.restart),
        "AutoRemove": spec.remove,
        "VolumeDriver": spec.volume_driver or "",
        "VolumesFrom": list(spec.volumes_from) or None,
        "CapAdd": [_capability(c) for c in spec.cap_add] or None,
        "CapDrop": [_capability(c) for c in spec.cap_drop] or None,
        "CgroupnsMode": spec.cgroupns or "",
        "Dns": list(spec.dns),
        "DnsOptions": list(spec.dns_options),
        "DnsSearch": list(spec.dns_search),
        "ExtraHosts": list(spec.add_hosts) or None,
        "GroupAdd": list(spec.group_add) or None,
        "IpcMode": spec.ipc or "",
        "Cgroup": "",
        "Links": list(spec.links) or None,
        "OomScoreAdj": spec.oom_score_adj or 0,
        "PidMode": spec.pid or "",
        "Privileged": spec.privileged,
        "PublishAllPorts": publish_all,
        "ReadonlyRootfs": spec.read_only,
        "SecurityOpt": security_opts or None,
        "StorageOpt": key_values(spec.storage_opts) or None,
        "Tmpfs": dict(spec.tmpfs) or None,
        "UTSMode": spec.uts or "",
        "UsernsMode": spec.userns or "",
        "Sysctls": key_values(spec.sysctls) or None,
        "Runtime": spec.runtime or "",
        "Isolation": spec.isolation or "",
        "LogConfig": _log_config(spec),
        # resources
        "CgroupParent": spec.cgroup_parent or "",
        "Memory": spec.memory or 0,
        "MemoryReservation": spec.memory_reservation or 0,
        "MemorySwap": spec.memory_swap or 0,
        "KernelMemory": spec.kernel_memory or 0,
        "NanoCpus": spec.cpus or 0,
        "CpuShares": spec.cpu_shares or 0,
        "CpuPeriod": spec.cpu_period or 0,
        "CpuQuota": spec.cpu_quota or 0,
        "CpuRealtimePeriod": spec.cpu_rt_period or 0,
        "CpuRealtimeRuntime": spec.cpu_rt_runtime or 0,
        "CpusetCpus": spec.cpuset_cpus or "",
        "CpusetMems": spec.cpuset_mems or "",
        "BlkioWeight": spec.blkio_weight or 0,
        "BlkioWeightDevice": list(spec.blkio_weight_devices),
        "BlkioDeviceReadBps": list(spec.device_read_bps),
        "BlkioDeviceReadIOps": list(spec.device_read_iops),
        "BlkioDeviceWriteBps": list(spec.device_write_bps),
        "BlkioDeviceWriteIOps": list(spec.device_write_iops),
        "Ulimits": ulimits(spec.ulimits),
        "Devices": [_device(d) for d in spec.devices],
        "DeviceCgroupRules": list(spec.device_cgroup_rules) or None,
        "DeviceRequests": list(spec.gpus) or None,
    }
    if spec.memory_swappiness is not None:
        host["MemorySwappiness"] = spec.memory_swappiness
    if spec.pids_limit is not None:
        host["PidsLimit"] = spec.pids_limit
    if spec.oom_kill_disable:
        host["OomKillDisable"] = True
    if masked is not None:
        host["MaskedPaths"] = host["ReadonlyPaths"] = masked
    if spec.mounts:
        host["Mounts"] = list(spec.mounts)
    if spec.init is not None:
        host["Init"] = spec.init
    if spec.shm_size:
        host["ShmSize"] = spec.shm_size
    config["HostConfig"] = host
    if endpoints:
        config["NetworkingConfig"] = {"EndpointsConfig": endpoints}
    return config


def _healthcheck(spec: RunSpec) -> dict[str, Any] | None:
    given = (
        spec.health_cmd,
        spec.health_interval,
        spec.health_timeout,
        spec.health_retries,
        spec.health_start_period,
    )
    if spec.no_healthcheck:
        if any(given):
            raise CommandError("--no-healthcheck conflicts with --health-* options: keep one of them.")
        return {"Test": ["NONE"]}
    if not any(given):
        return None
    for flag, value in (
        ("--health-interval", spec.health_interval),
        ("--health-timeout", spec.health_timeout),
        ("--health-retries", spec.health_retries),
        ("--health-start-period", spec.health_start_period),
    ):
        if value is not None and value < 0:
            raise CommandError(f"{flag} cannot be negative.")
    check: dict[str, Any] = {"Test": ["CMD-SHELL", spec.health_cmd] if spec.health_cmd else None}
    check["Interval"] = spec.health_interval or 0
    check["Timeout"] = spec.health_timeout or 0
    check["StartPeriod"] = spec.health_start_period or 0
    check["Retries"] = spec.health_retries or 0
    if check["Test"] is None:
        del check["Test"]
    return check
