"""The Go types behind the documents the docker CLI formats with ``-f``, so templates see what the
CLI's see: ``.ID`` where the JSON says ``Id``, ``[]`` for a nil slice, ``map[]`` for a nil map,
``<nil>`` for a nil pointer, the zero value for a field the JSON left out, ``{a b}`` for a struct.

Only what the JSON cannot tell is written down: fields whose Go name differs from their JSON key
(``ID=Id``), slices, maps, pointers, nested structs and fields the engine may omit. A key of the
document that a type does not list is kept as the JSON holds it (Go's ``interface{}``), so an
engine newer than these types loses nothing.

Type words: ``s`` string, ``i`` integer, ``f`` float, ``b`` bool, ``d`` a duration
(nanoseconds, printed ``1m30s``), ``t`` a time (RFC 3339, printed as Go's ``time.Time``), ``any``,
``[]T``, ``map[T]``, ``*Name`` (a pointer to a struct below), ``Name`` (a struct by value).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..templates import GoMap, GoSlice, GoStruct, NilPointer

_CONFIG = (
    "Hostname:s Domainname:s User:s AttachStdin:b AttachStdout:b AttachStderr:b ExposedPorts:map[Empty] "
    "Tty:b OpenStdin:b StdinOnce:b Env:[]s Cmd:[]s Healthcheck:*container.HealthConfig ArgsEscaped:b "
    "Image:s Volumes:map[Empty] WorkingDir:s Entrypoint:[]s NetworkDisabled:b MacAddress:s OnBuild:[]s "
    "Labels:map[s] StopSignal:s StopTimeout:*int Shell:[]s"
)
_RESOURCES = (
    "CPUShares=CpuShares:i Memory:i NanoCPUs=NanoCpus:i CgroupParent:s BlkioWeight:i "
    "BlkioWeightDevice:[]*any BlkioDeviceReadBps:[]*any BlkioDeviceWriteBps:[]*any "
    "BlkioDeviceReadIOps:[]*any BlkioDeviceWriteIOps:[]*any CPUPeriod=CpuPeriod:i CPUQuota=CpuQuota:i "
    "CPURealtimePeriod=CpuRealtimePeriod:i CPURealtimeRuntime=CpuRealtimeRuntime:i CpusetCpus:s CpusetMems:s "
    "Devices:[]container.DeviceMapping DeviceCgroupRules:[]s DeviceRequests:[]any KernelMemory:i "
    "KernelMemoryTCP:i MemoryReservation:i MemorySwap:i MemorySwappiness:*int OomKillDisable:*bool "
    "PidsLimit:*int Ulimits:[]*any CPUCount=CpuCount:i CPUPercent=CpuPercent:i IOMaximumIOps:i "
    "IOMaximumBandwidth:i"
)
_ENDPOINT = (
    "IPAMConfig:*network.EndpointIPAMConfig Links:[]s Aliases:[]s NetworkID:s EndpointID:s Gateway:s "
    "IPAddress:s IPPrefixLen:i IPv6Gateway:s GlobalIPv6Address:s GlobalIPv6PrefixLen:i MacAddress:s "
    "DriverOpts:map[s]"
)

TYPES: dict[str, str] = {
    # container inspect (types.ContainerJSON)
    "types.ContainerJSON": (
        "ID=Id:s Created:s Path:s Args:[]s State:*types.ContainerState Image:s ResolvConfPath:s "
        "HostnamePath:s HostsPath:s LogPath:s Node:*any Name:s RestartCount:i Driver:s Platform:s "
        "MountLabel:s ProcessLabel:s AppArmorProfile:s ExecIDs:[]s HostConfig:*container.HostConfig "
        "GraphDriver:types.GraphDriverData SizeRw:*int SizeRootFs:*int Mounts:[]types.MountPoint "
        "Config:*container.Config NetworkSettings:*types.NetworkSettings"
    ),
    "types.ContainerState": (
        "Status:s Running:b Paused:b Restarting:b OOMKilled:b Dead:b Pid:i ExitCode:i Error:s StartedAt:s "
        "FinishedAt:s Health:*types.Health"
    ),
    "types.Health": "Status:s FailingStreak:i Log:[]*types.HealthcheckResult",
    "types.HealthcheckResult": "Start:t End:t ExitCode:i Output:s",
    "container.Config": _CONFIG,
    "container.HealthConfig": "Test:[]s Interval:d Timeout:d StartPeriod:d Retries:i",
    "container.HostConfig": (
        "Binds:[]s ContainerIDFile:s LogConfig:container.LogConfig NetworkMode:s "
        "PortBindings:map[[]nat.PortBinding] RestartPolicy:container.RestartPolicy AutoRemove:b "
        "VolumeDriver:s VolumesFrom:[]s CapAdd:[]s CapDrop:[]s CgroupnsMode:s DNS=Dns:[]s "
        "DNSOptions=DnsOptions:[]s DNSSearch=DnsSearch:[]s ExtraHosts:[]s GroupAdd:[]s IpcMode:s Cgroup:s "
        "Links:[]s OomScoreAdj:i PidMode:s Privileged:b PublishAllPorts:b ReadonlyRootfs:b SecurityOpt:[]s "
        "StorageOpt:map[s] Tmpfs:map[s] UTSMode:s UsernsMode:s ShmSize:i Sysctls:map[s] Runtime:s "
        "ConsoleSize:[]i Isolation:s "
        + _RESOURCES
        + " Mounts:[]any MaskedPaths:[]s ReadonlyPaths:[]s Init:*bool"
    ),
    "container.LogConfig": "Type:s Config:map[s]",
    "container.RestartPolicy": "Name:s MaximumRetryCount:i",
    "container.DeviceMapping": "PathOnHost:s PathInContainer:s CgroupPermissions:s",
    "nat.PortBinding": "HostIP=HostIp:s HostPort:s",
    "types.GraphDriverData": "Data:map[s] Name:s",
    "types.MountPoint": "Type:s Name:s Source:s Destination:s Driver:s Mode:s RW:b Propagation:s",
    "types.NetworkSettings": (
        "Bridge:s SandboxID:s HairpinMode:b LinkLocalIPv6Address:s LinkLocalIPv6PrefixLen:i "
        "Ports:map[[]nat.PortBinding] SandboxKey:s SecondaryIPAddresses:[]any SecondaryIPv6Addresses:[]any "
        "EndpointID:s Gateway:s GlobalIPv6Address:s GlobalIPv6PrefixLen:i IPAddress:s IPPrefixLen:i "
        "IPv6Gateway:s MacAddress:s Networks:map[*network.EndpointSettings]"
    ),
    "network.EndpointSettings": _ENDPOINT,
    "network.EndpointIPAMConfig": "IPv4Address:s IPv6Address:s LinkLocalIPs:[]s",
    "Empty": "",
    # image inspect (types.ImageInspect)
    "types.ImageInspect": (
        "ID=Id:s RepoTags:[]s RepoDigests:[]s Parent:s Comment:s Created:s Container:s "
        "ContainerConfig:*container.Config DockerVersion:s Author:s Config:*container.Config Architecture:s "
        "Variant:s Os:s OsVersion:s Size:i VirtualSize:i GraphDriver:types.GraphDriverData "
        "RootFS:types.RootFS Metadata:types.ImageMetadata"
    ),
    "types.RootFS": "Type:s Layers:[]s BaseLayer:s",
    "types.ImageMetadata": "LastTagTime:t",
    # network inspect (types.NetworkResource)
    "types.NetworkResource": (
        "Name:s ID=Id:s Created:t Scope:s Driver:s EnableIPv6:b IPAM:network.IPAM Internal:b Attachable:b "
        "Ingress:b ConfigFrom:network.ConfigReference ConfigOnly:b Containers:map[types.EndpointResource] "
        "Options:map[s] Labels:map[s] Peers:[]any Services:map[any]"
    ),
    "network.IPAM": "Driver:s Options:map[s] Config:[]network.IPAMConfig",
    "network.IPAMConfig": "Subnet:s IPRange:s Gateway:s AuxAddress=AuxiliaryAddresses:map[s]",
    "network.ConfigReference": "Network:s",
    "types.EndpointResource": "Name:s EndpointID:s MacAddress:s IPv4Address:s IPv6Address:s",
    # volume inspect (volume.Volume)
    "volume.Volume": (
        "CreatedAt:s Driver:s Labels:map[s] Mountpoint:s Name:s Options:map[s] Scope:s Status:map[any] "
        "UsageData:*volume.UsageData"
    ),
    "volume.UsageData": "RefCount:i Size:i",
    # version: the CLI's own document (its client half, then the engine's GET /version)
    "command.versionInfo": "Client:*command.clientVersion Server:*types.Version",
    "command.clientVersion": (
        "Platform:*command.platform Version:s APIVersion=ApiVersion:s DefaultAPIVersion:s GitCommit:s "
        "GoVersion:s Os:s Arch:s BuildTime:s Context:s"
    ),
    "command.platform": "Name:s",
    "types.Version": (
        "Platform:command.platform Components:[]types.ComponentVersion Version:s APIVersion=ApiVersion:s "
        "MinAPIVersion:s GitCommit:s GoVersion:s Os:s Arch:s KernelVersion:s Experimental:b BuildTime:s"
    ),
    "types.ComponentVersion": "Name:s Version:s Details:map[s]",
    # info: the engine's GET /info and the CLI's client part
    "info": (
        "ID:s Containers:i ContainersRunning:i ContainersPaused:i ContainersStopped:i Images:i Driver:s "
        "DriverStatus:[][]s Plugins:types.PluginsInfo MemoryLimit:b SwapLimit:b KernelMemory:b "
        "KernelMemoryTCP:b CPUCfsPeriod=CpuCfsPeriod:b CPUCfsQuota=CpuCfsQuota:b CPUShares:b CPUSet:b "
        "PidsLimit:b IPv4Forwarding:b BridgeNfIptables:b BridgeNfIP6tables=BridgeNfIp6tables:b Debug:b NFd:i "
        "OomKillDisable:b NGoroutines:i SystemTime:s LoggingDriver:s CgroupDriver:s CgroupVersion:s "
        "NEventsListener:i KernelVersion:s OperatingSystem:s OSVersion:s OSType:s Architecture:s "
        "IndexServerAddress:s RegistryConfig:*registry.ServiceConfig NCPU:i MemTotal:i GenericResources:[]any "
        "DockerRootDir:s HTTPProxy=HttpProxy:s HTTPSProxy=HttpsProxy:s NoProxy:s Name:s Labels:[]s "
        "ExperimentalBuild:b ServerVersion:s Runtimes:map[any] DefaultRuntime:s Swarm:any "
        "LiveRestoreEnabled:b Isolation:s InitBinary:s ContainerdCommit:types.Commit RuncCommit:types.Commit "
        "InitCommit:types.Commit SecurityOptions:[]s Warnings:[]s ClientInfo:*command.clientInfo"
    ),
    "types.PluginsInfo": "Volume:[]s Network:[]s Authorization:[]s Log:[]s",
    "registry.ServiceConfig": (
        "AllowNondistributableArtifactsCIDRs:[]any AllowNondistributableArtifactsHostnames:[]s "
        "InsecureRegistryCIDRs:[]any IndexConfigs:map[*any] Mirrors:[]s"
    ),
    "types.Commit": "ID:s Expected:s",
    "command.clientInfo": "Debug:b Context:s Plugins:[]any Warnings:[]s",
}

# What each inspected kind is, in the CLI's terms.
KINDS = {
    "container": "types.ContainerJSON",
    "image": "types.ImageInspect",
    "network": "types.NetworkResource",
    "volume": "volume.Volume",
}


def _fields(name: str) -> list[tuple[str, str, str]]:
    """``(go name, json key, type)`` of struct ``name``."""
    out = []
    for word in TYPES[name].split():
        names, _, kind = word.partition(":")
        go, _, key = names.partition("=")
        out.append((go, key or go, kind))
    return out


_ZERO = {"s": "", "i": 0, "f": 0.0, "b": False, "d": 0, "t": None, "any": None}


def _zero(kind: str):
    if kind in _ZERO:
        return _ZERO[kind] if kind != "t" else GoTime(None)
    if kind.startswith("[]"):
        return GoSlice(nil=True)
    if kind.startswith("map["):
        return GoMap(nil=True, zero=_zero(kind[4:-1]))
    if kind.startswith("*"):
        return None if kind == "*any" else NilPointer("*" + kind[1:])
    return typed({}, kind)


class GoTime(str):
    """A ``time.Time``: prints as Go does (``2006-01-02 15:04:05.999999999 -0700 MST``); its JSON
    stays the RFC 3339 text."""

    json_value: str

    def __new__(cls, rfc3339: str | None):
        made = super().__new__(cls, _go_time(rfc3339))
        made.json_value = rfc3339 or "0001-01-01T00:00:00Z"
        return made


def _go_time(text: str | None) -> str:
    if not text:
        return "0001-01-01 00:00:00 +0000 UTC"
    main, frac, zone = text, "", "Z"
    if text.endswith("Z"):
        main = text[:-1]
    elif len(text) > 6 and text[-6] in "+-":
        main, zone = text[:-6], text[-6:]
    if "." in main:
        main, frac = main.split(".", 1)
    try:
        when = datetime.strptime(main, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return text
    frac = frac.rstrip("0")
    if zone == "Z":
        offset, name = "+0000", "UTC"
    else:
        offset, name = zone.replace(":", ""), zone.replace(":", "")
    return when.strftime("%Y-%m-%d %H:%M:%S") + (f".{frac}" if frac else "") + f" {offset} {name}"


def go_duration(ns: int) -> str:
    """time.Duration's String: ``1m30s``, ``500ms``, ``0s``."""
    if ns == 0:
        return "0s"
    sign, ns = ("-" if ns < 0 else ""), abs(int(ns))
    if ns < 1000:
        return f"{sign}{ns}ns"
    if ns < 1_000_000:
        return f"{sign}{_trim(ns / 1000)}µs"
    if ns < 1_000_000_000:
        return f"{sign}{_trim(ns / 1_000_000)}ms"
    hours, rest = divmod(ns, 3_600_000_000_000)
    minutes, rest = divmod(rest, 60_000_000_000)
    secs = _trim(rest / 1_000_000_000)
    if hours:
        return f"{sign}{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{sign}{minutes}m{secs}s"
    return f"{sign}{secs}s"


def _trim(value: float) -> str:
    return f"{value:.9f}".rstrip("0").rstrip(".")


class GoDuration(int):
    def __str__(self) -> str:
        return go_duration(int(self))


def typed(value: Any, kind: str, pointer: bool = False) -> Any:
    """``value`` (decoded JSON) as a value of Go type ``kind``."""
    if kind == "any":
        return value
    if kind in ("s", "i", "f", "b"):
        return _zero(kind) if value is None else value
    if kind == "d":
        return GoDuration(value or 0)
    if kind == "t":
        return GoTime(value)
    if kind.startswith("[]"):
        if value is None:
            return GoSlice(nil=True)
        return GoSlice(typed(v, kind[2:]) for v in value) if isinstance(value, list) else value
    if kind.startswith("map["):
        elem = kind[4:-1]
        if value is None:
            return GoMap(nil=True, zero=_zero(elem))
        if not isinstance(value, dict):
            return value
        return GoMap(((k, typed(v, elem)) for k, v in value.items()), zero=_zero(elem))
    if kind.startswith("*"):
        if kind == "*any" or kind.startswith("*int") or kind == "*bool":
            return value
        if value is None:
            return NilPointer("*" + kind[1:])
        return typed(value, kind[1:], pointer=True)
    if not isinstance(value, dict):
        return value
    fields: dict[str, Any] = {}
    known = set()
    for go, key, sub in _fields(kind):
        known.add(key)
        fields[go] = typed(value[key], sub) if key in value else _zero(sub)
    for key, item in value.items():  # what a newer engine sends and these types do not list
        if key not in known and key not in fields:
            fields[key] = item
    return GoStruct(kind, fields, raw=value, pointer=pointer)


def document(doc: dict, kind: str) -> GoStruct:
    """An inspect document of ``kind`` (``container``, ``image``... or a type name) as the CLI's struct."""
    return typed(doc, KINDS.get(kind, kind), pointer=True)
