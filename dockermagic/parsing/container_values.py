"""The structured values of ``run``/``create`` flags, read as the docker CLI reads them.

Each reader takes the text of one flag and returns it in the Engine API's
shape (a mount, a network attachment, a ulimit, a GPU request...), or raises
``ValueError`` with the CLI's words, which the grammar turns into the one-line
"invalid argument" error of its flag.  What needs the engine's answer (a
device's existence, a network's driver) is left to the engine, as the CLI
leaves it.  Flags whose form a newer engine API introduced are refused here
with the version they need, as this engine's API (1.41) cannot serve them.
"""

from __future__ import annotations

import csv
import ipaddress
import os
import re
from typing import Any

from .units import memory_bytes

_BOOL = {"1": True, "t": True, "true": True, "0": False, "f": False, "false": False}


def _csv(text: str) -> list[str]:
    """One comma-separated record, quotes honoured (``"volume-opt=o=a,b"``), as Go's csv reads it."""
    try:
        rows = list(csv.reader([text], strict=True))
    except csv.Error as exc:
        raise ValueError(str(exc)) from None
    return rows[0] if rows else []


def boolean(text: str) -> bool:
    """``true``/``false`` (and Go's other spellings: 1, 0, t, f, True...)."""
    try:
        return _BOOL[text.lower()]
    except KeyError:
        raise ValueError(f'use true or false, not "{text}"') from None


def _parse_bool(key: str, value: str) -> bool:
    try:
        return _BOOL[value.lower()]
    except KeyError:
        raise ValueError(f"invalid value for {key}: {value}") from None


# --mount ---------------------------------------------------------------------------------------

_NEEDS_API = {
    "volume-subpath": "1.45",
    "image-subpath": "1.47",
}


def mount(text: str) -> dict[str, Any]:
    """``type=bind,src=/a,dst=/b,ro`` -> a Mount of the create request's HostConfig.Mounts."""
    result: dict[str, Any] = {"Type": "volume"}  # a volume unless said otherwise

    def volume_options() -> dict[str, Any]:
        return result.setdefault("VolumeOptions", {"Labels": {}, "DriverConfig": {}})

    def bind_options() -> dict[str, Any]:
        return result.setdefault("BindOptions", {})

    def tmpfs_options() -> dict[str, Any]:
        return result.setdefault("TmpfsOptions", {})

    for field in _csv(text):
        key, has_value, value = field.partition("=")
        key = key.lower()
        if not has_value:
            if key in ("readonly", "ro"):
                result["ReadOnly"] = True
            elif key == "volume-nocopy":
                volume_options()["NoCopy"] = True
            elif key == "bind-nonrecursive":
                bind_options()["NonRecursive"] = True
            else:
                raise ValueError(f"invalid field '{field}' must be a key=value pair")
            continue
        if key in _NEEDS_API:
            raise ValueError(f"{key} needs engine API {_NEEDS_API[key]}; this engine speaks 1.41")
        if key == "type":
            result["Type"] = value.lower()
        elif key in ("source", "src"):
            # a relative source that starts with '.' is a path on this machine, made absolute
            result["Source"] = os.path.abspath(value) if value.startswith(".") else value
        elif key in ("target", "dst", "destination"):
            result["Target"] = value
        elif key in ("readonly", "ro"):
            result["ReadOnly"] = _parse_bool(key, value)
        elif key == "consistency":
            result["Consistency"] = value.lower()
        elif key == "bind-propagation":
            bind_options()["Propagation"] = value.lower()
        elif key == "bind-nonrecursive":
            bind_options()["NonRecursive"] = _parse_bool(key, value)
        elif key == "bind-recursive":
            if value == "disabled":
                bind_options()["NonRecursive"] = True
            elif value in ("writable", "readonly"):
                raise ValueError(f"bind-recursive={value} needs engine API 1.44; this engine speaks 1.41")
            elif value != "enabled":
                raise ValueError(
                    f'invalid value for {key}: {value} (must be "enabled", "disabled", "writable", or "readonly")'
                )
        elif key == "volume-nocopy":
            volume_options()["NoCopy"] = _parse_bool(key, value)
        elif key == "volume-label":
            _set_on(volume_options()["Labels"], value)
        elif key == "volume-driver":
            volume_options()["DriverConfig"]["Name"] = value
        elif key == "volume-opt":
            _set_on(volume_options()["DriverConfig"].setdefault("Options", {}), value)
        elif key == "tmpfs-size":
            try:
                tmpfs_options()["SizeBytes"] = memory_bytes(value)
            except ValueError:
                raise ValueError(f"invalid value for {key}: {value}") from None
        elif key == "tmpfs-mode":
            try:
                tmpfs_options()["Mode"] = int(value, 8)
            except ValueError:
                raise ValueError(f"invalid value for {key}: {value}") from None
        else:
            raise ValueError(f"unexpected key '{key}' in '{field}'")
    if not result.get("Target"):
        raise ValueError("target is required")
    for option, kind in (("VolumeOptions", "volume"), ("BindOptions", "bind"), ("TmpfsOptions", "tmpfs")):
        if option in result and result["Type"] != kind:
            raise ValueError(f"cannot mix '{kind}-*' options with mount type '{result['Type']}'")
    return result


def _set_on(target: dict[str, str], entry: str) -> None:
    key, _, value = entry.partition("=")
    if key:
        target[key] = value


# --network -------------------------------------------------------------------------------------

_LONG_SYNTAX = re.compile(r"\w+=\w+(,\w+=\w+)*")
_PER_NETWORK_NEEDS_API = {"mac-address": "1.44", "gw-priority": "1.48"}


def network(text: str) -> dict[str, Any]:
    """``--network NAME`` or ``--network name=x,ip=y,alias=z,driver-opt=k=v,ip6=...,link-local-ip=...``.

    Returns ``{"Target": name, "Aliases": [...], "DriverOpts": {...}, "IPv4Address": ...,
    "IPv6Address": ..., "LinkLocalIPs": [...]}`` (only the keys given besides Target).
    Like the CLI, the long form's keys and values are lower-cased.
    """
    if not _LONG_SYNTAX.search(text):
        return {"Target": text}
    attachment: dict[str, Any] = {"Target": "", "Aliases": []}
    for field in _csv(text):
        key, eq, value = field.lower().partition("=")
        key, value = key.strip(), value.strip()
        if not eq or not key:
            raise ValueError(f"invalid field {field}")
        if key == "name":
            attachment["Target"] = value
        elif key == "alias":
            attachment["Aliases"].append(value)
        elif key == "ip":
            attachment["IPv4Address"] = value
        elif key == "ip6":
            attachment["IPv6Address"] = value
        elif key == "link-local-ip":
            attachment.setdefault("LinkLocalIPs", []).append(value)
        elif key == "driver-opt":
            opt, eq2, opt_value = value.partition("=")
            if not eq2 or not opt.strip():
                raise ValueError("invalid key value pair format in driver options")
            attachment.setdefault("DriverOpts", {})[opt.strip()] = opt_value.strip()
        elif key in _PER_NETWORK_NEEDS_API:
            raise ValueError(
                f"a per-network {key} needs engine API {_PER_NETWORK_NEEDS_API[key]}; this engine speaks 1.41"
            )
        else:
            raise ValueError(f"invalid field key {key}")
    if not attachment["Target"]:
        raise ValueError("network name/id is not specified")
    return attachment


def is_user_defined(network_mode: str) -> bool:
    """Not one of the engine's own modes (default, bridge, host, none, container:X)."""
    return network_mode not in ("default", "bridge", "host", "none") and not network_mode.startswith(
        "container:"
    )


# addresses and names -----------------------------------------------------------------------------


def ip_address(text: str) -> str:
    """An IPv4 or IPv6 address, in its canonical form (``0:0::1`` -> ``::1``), as the CLI sends it."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        raise ValueError(f"IP address is not correctly formatted: {text}") from None


def extra_host(text: str) -> str:
    """``--add-host name:ip``, ``name=ip``, ``name=[v6]`` or ``name:host-gateway`` -> ``name:ip``."""
    name, eq, address = text.partition("=")
    if not eq:
        name, eq, address = text.partition(":")  # split at the first colon: the rest may be IPv6
    if not eq or not name or ":" in name:
        raise ValueError(f'bad format for add-host: "{text}"')
    if address != "host-gateway":
        if len(address) > 2 and address[0] == "[" and address[-1] == "]":
            address = address[1:-1]
        try:
            ipaddress.ip_address(address.strip())
        except ValueError:
            raise ValueError(f'invalid IP address in add-host: "{address}"') from None
    return f"{name}:{address}"


_LABEL = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = re.compile(rf"^({_LABEL}(?:\.{_LABEL})*)\.?\s*$")


def dns_search(text: str) -> str:
    """``--dns-search``: a domain (``.`` for none), as the CLI validates it."""
    text = text.strip(" ")
    if text == ".":
        return text
    found = _DOMAIN.match(text) if re.search("[a-zA-Z]", text) else None
    if not found or len(found.group(1)) >= 255:
        raise ValueError(f"{text} is not a valid domain")
    return found.group(1)


_MAC = re.compile(r"[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}")


def mac_address(text: str) -> str:
    """``--mac-address 92:d0:c6:0a:29:33``: checked, sent as written."""
    if not _MAC.fullmatch(text.strip()):
        raise ValueError(f"{text} is not a valid mac address")
    return text


def link(text: str) -> str:
    """``--link name[:alias]``."""
    if not text:
        raise ValueError("empty string specified for links")
    if text.count(":") > 1:
        raise ValueError(f"bad format for links: {text}")
    return text


# resources --------------------------------------------------------------------------------------

_ULIMITS = {
    "core",
    "cpu",
    "data",
    "fsize",
    "locks",
    "memlock",
    "msgqueue",
    "nice",
    "nofile",
    "nproc",
    "rss",
    "rtprio",
    "rttime",
    "sigpending",
    "stack",
}


def int64(text: str) -> int:
    """A whole number as the CLI's integer flags read it (a Go int64: no spaces, no underscores)."""
    if not re.fullmatch(r"[+-]?\d{1,19}", text):
        raise ValueError(f'strconv.ParseInt: parsing "{text}": invalid syntax')
    value = int(text)
    if not -(2**63) <= value < 2**63:
        raise ValueError(f'strconv.ParseInt: parsing "{text}": value out of range')
    return value


def ulimit(text: str) -> dict[str, Any]:
    """``nofile=1024[:2048]`` -> ``{"Name": "nofile", "Soft": 1024, "Hard": 2048}`` (hard = soft if omitted)."""
    name, eq, limits = text.partition("=")
    if not eq:
        raise ValueError(f"invalid ulimit argument: {text}")
    if name not in _ULIMITS:
        raise ValueError(f"invalid ulimit type: {name}")
    values = limits.split(":")
    if len(values) > 2:
        raise ValueError(f"too many limit value arguments - {limits}, can only have up to two, `soft[:hard]`")
    soft = int64(values[0])
    hard = int64(values[1]) if len(values) == 2 else soft
    if hard != -1:
        if soft == -1:
            raise ValueError(
                f"ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: {hard}"
            )
        if soft > hard:
            raise ValueError(f"ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}")
    return {"Name": name, "Soft": soft, "Hard": hard}


def ulimits(entries: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    """Several ``--ulimit``: the last one of a name wins, sorted by name, as the CLI sends them."""
    by_name = {u["Name"]: u for u in entries}
    return [by_name[name] for name in sorted(by_name)]


def _device_path(text: str) -> tuple[str, str]:
    path, colon, value = text.partition(":")
    if not colon or not path:
        raise ValueError(f"bad format: {text}")
    if not path.startswith("/dev/"):
        raise ValueError(f"bad format for device path: {text}")
    return path, value


def weight_device(text: str) -> dict[str, Any]:
    """``--blkio-weight-device /dev/sda:200`` (a weight of 10 to 1000, or 0)."""
    path, value = _device_path(text)
    if not value.isdigit() or int(value) > 65535 or 0 < int(value) < 10 or int(value) > 1000:
        raise ValueError(f"invalid weight for device: {text}")
    return {"Path": path, "Weight": int(value)}


def throttle_bps(text: str) -> dict[str, Any]:
    """``--device-read-bps /dev/sda:1mb`` (a size per second)."""
    path, value = _device_path(text)
    try:
        rate = memory_bytes(value)
    except ValueError:
        raise ValueError(
            f"invalid rate for device: {text}. The correct format is <device-path>:<number>[<unit>]. "
            "Number must be a positive integer. Unit is optional and can be kb, mb, or gb"
        ) from None
    return {"Path": path, "Rate": rate}


def throttle_iops(text: str) -> dict[str, Any]:
    """``--device-write-iops /dev/sda:100`` (operations per second)."""
    path, value = _device_path(text)
    if not value.isdigit() or int(value) >= 2**64:
        raise ValueError(
            f"invalid rate for device: {text}. The correct format is <device-path>:<number>. "
            "Number must be a positive integer"
        )
    return {"Path": path, "Rate": int(value)}


def gpu_request(text: str) -> dict[str, Any]:
    """``--gpus all``, ``--gpus 2``, ``--gpus '"device=0,1",capabilities=compute'`` -> a DeviceRequest."""
    request: dict[str, Any] = {
        "Driver": "",
        "Count": 0,
        "DeviceIDs": None,
        "Capabilities": None,
        "Options": {},
    }
    seen: set[str] = set()
    for field in _csv(text):
        key, eq, value = field.partition("=")
        if key in seen:
            raise ValueError(f"gpu request key '{key}' can be specified only once")
        seen.add(key)
        if not eq:
            seen.add("count")
            request["Count"] = _gpu_count(key)
        elif key == "driver":
            request["Driver"] = value
        elif key == "count":
            request["Count"] = _gpu_count(value)
        elif key == "device":
            request["DeviceIDs"] = value.split(",")
        elif key == "capabilities":
            request["Capabilities"] = [[*value.split(","), "gpu"]]
        elif key == "options":
            request["Options"] = dict(o.partition("=")[::2] for o in _csv(value))
        else:
            raise ValueError(f"unexpected key '{key}' in '{field}'")
    if "count" not in seen and request["DeviceIDs"] is None:
        request["Count"] = 1
    if request["Capabilities"] is None:
        request["Capabilities"] = [["gpu"]]
    return request


def _gpu_count(text: str) -> int:
    if text == "all":
        return -1
    if not re.fullmatch(r"[+-]?\d{1,18}", text):
        raise ValueError(f'invalid count ({text}): value must be either "all" or an integer')
    return int(text)


_CGROUP_RULE = re.compile(r"[acb] ([0-9]+|\*):([0-9]+|\*) [rwm]{1,3}")


def device_cgroup_rule(text: str) -> str:
    """``--device-cgroup-rule 'c 1:3 mr'``: type, major:minor (``*`` for any), access."""
    if not _CGROUP_RULE.fullmatch(text):
        raise ValueError(f"invalid device cgroup format '{text}'")
    return text


def memory_swap(text: str) -> int:
    """``--memory-swap``: a size, or -1 for unlimited swap."""
    return -1 if text.strip() == "-1" else memory_bytes(text)


def swappiness(text: str) -> int:
    value = int64(text)
    if value != -1 and not 0 <= value <= 100:
        raise ValueError(f"invalid value: {value}. Valid memory swappiness range is 0-100")
    return value


def blkio_weight(text: str) -> int:
    """``--blkio-weight``: a uint16 (the engine wants 10 to 1000, or 0)."""
    if not text.isdigit() or int(text) > 65535:
        raise ValueError(f'strconv.ParseUint: parsing "{text}": invalid syntax')
    return int(text)


# namespaces, security, logging, storage ------------------------------------------------------------


def _mode(flag: str, kind: str, allowed: tuple[str, ...], container: bool = False) -> Any:
    def check(text: str) -> str:
        if text in allowed or (container and text.startswith("container:") and len(text) > len("container:")):
            return text
        raise ValueError(f"--{flag}: invalid {kind} mode")

    return check


pid_mode = _mode("pid", "PID", ("", "host"), container=True)
uts_mode = _mode("uts", "UTS", ("", "host"))
userns_mode = _mode("userns", "USER", ("", "host"))
cgroupns_mode = _mode("cgroupns", "CGROUP", ("", "host", "private"))


def security_opt(text: str) -> str:
    """``--security-opt key=value`` (or ``key:value``); ``no-new-privileges`` alone."""
    key, eq, value = text.partition("=")
    if not eq and key != "no-new-privileges":
        key, eq, value = text.partition(":")
    if (not eq or not value) and key != "no-new-privileges":
        raise ValueError(f'invalid --security-opt: "{text}"')
    return text


def sysctl(text: str) -> str:
    """``--sysctl name=value``, for the namespaced sysctls the engine accepts."""
    name, eq, _ = text.partition("=")
    namespaced = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall"}
    namespaced |= {"kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"}
    if eq and name and (name in namespaced or name.startswith(("net.", "fs.mqueue."))):
        return text
    raise ValueError(f"sysctl '{text}' is not allowed")


def storage_opt(text: str) -> str:
    if "=" not in text:
        raise ValueError("invalid storage option")
    return text


def tmpfs(text: str) -> tuple[str, str]:
    """``--tmpfs /run:rw,size=64m`` -> (path, options) for HostConfig.Tmpfs."""
    path, _, options = text.partition(":")
    return path, options


def attach_stream(text: str) -> str:
    """``-a stdin|stdout|stderr`` (any case)."""
    stream = text.lower()
    if stream not in ("stdin", "stdout", "stderr"):
        raise ValueError("valid streams are STDIN, STDOUT and STDERR")
    return stream


def pull_policy(text: str) -> str:
    if text not in ("always", "missing", "never", ""):
        raise ValueError(f'invalid pull option: \'{text}\': must be one of "always", "missing" or "never"')
    return text or "missing"


def key_values(entries: tuple[str, ...]) -> dict[str, str]:
    """``k=v`` entries as a map, the last one of a key winning; a bare key has the empty value."""
    return {key: value for key, _, value in (e.partition("=") for e in entries)}
