"""version, --version, info, system df, system prune: spec -> engine -> view."""

from __future__ import annotations

import platform
import sys
import time
from datetime import datetime

from ..commands.system import DfSpec, InfoSpec, ShortVersionSpec, SystemPruneSpec, VersionSpec
from ..engine import containers, images, networks, system, volumes
from ..engine.pruning import when_free
from ..parsing.imageref import split as split_ref
from ..version import __version__
from ..views.base import KeyValues, Text, human_size
from ..views.table import Table
from ..views.timefmt import ago
from . import perform
from .inspect import inspected
from .listing import formatted, units_size
from .pruning import pruned

SERVER_KEYS = (
    "Version",
    "ApiVersion",
    "MinAPIVersion",
    "GitCommit",
    "GoVersion",
    "Os",
    "Arch",
    "KernelVersion",
)
INFO_KEYS = (
    "Name", "ServerVersion", "OperatingSystem", "KernelVersion", "Architecture", "NCPU", "MemTotal", "Driver",
    "CgroupVersion", "CgroupDriver", "Containers", "ContainersRunning", "ContainersStopped", "Images",
    "DockerRootDir", "RegistryConfig",
)  # fmt: skip


@perform.register
def _version(spec: VersionSpec, session):
    data = system.version(session.api)
    client = {
        "dockermagic": __version__,
        "docker SDK": system.sdk_version(),
        "API version": system.api_version(session.api),
    }
    if spec.format:
        server = dict(data)  # the CLI shows its components' build times as Go's time.ANSIC
        server["Components"] = [
            {**c, "Details": {**c["Details"], "BuildTime": ansic(c["Details"]["BuildTime"])}}
            if "BuildTime" in (c.get("Details") or {}) else c
            for c in data.get("Components") or []
        ]  # fmt: skip
        return inspected([{"Client": client_version(session), "Server": server}], ["version"], spec.format,
                         "command.versionInfo")  # fmt: skip
    shown = {"Client": client, "Server": {k: data.get(k) for k in SERVER_KEYS}}
    return KeyValues("Docker engine at " + session.engine.address, shown)


def ansic(rfc3339: str) -> str:
    """The engine's build time as the CLI shows it (Go's time.ANSIC: ``Thu May  7 21:09:36 2026``)."""
    try:
        when = datetime.fromisoformat(rfc3339.replace("Z", "+00:00")[:19])
    except ValueError:
        return rfc3339
    return f"{when:%a %b} {when.day:2d} {when:%H:%M:%S %Y}"


def client_version(session) -> dict:
    """The client half of ``version``, under the CLI's keys: the client here is dockermagic on the
    docker SDK for Python, so its version is dockermagic's, its Go version Python's."""
    machine = platform.machine().lower()
    return {
        "Version": __version__,
        "ApiVersion": system.api_version(session.api),
        "DefaultAPIVersion": system.sdk_default_api_version(),
        "GitCommit": "",
        "GoVersion": "python" + platform.python_version(),
        "Os": sys.platform if sys.platform != "darwin" else "darwin",
        "Arch": _GOARCH.get(machine, machine),
        "BuildTime": "",
        "Context": "default",
    }


_GOARCH = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm", "i686": "386", "ppc64le": "ppc64le"}


@perform.register
def _short_version(spec: ShortVersionSpec, session):
    """The CLI prints ``Docker version 28.2.2, build e6534b4`` for itself; here the client is
    dockermagic on the docker SDK, and the engine it reaches gets a line of its own."""
    data = system.version(session.api)
    return Text(
        f"dockermagic version {__version__}, docker SDK for Python {system.sdk_version()}\n"
        f"Docker Engine version {data.get('Version')}, build {data.get('GitCommit')}, "
        f"API {system.api_version(session.api)}"
    )


@perform.register
def _info(spec: InfoSpec, session):
    data = system.info(session.api)
    if spec.format:
        client = {"Debug": False, **client_version(session), "Plugins": [], "Warnings": None}
        del client["ApiVersion"]  # the CLI's info names the client's default API version only
        return inspected([{**data, "ClientInfo": client}], ["info"], spec.format, "info")
    shown = {k: data.get(k) for k in INFO_KEYS if k in data}
    if "RegistryConfig" in shown:
        shown["Registry mirrors"] = (shown.pop("RegistryConfig") or {}).get("Mirrors") or []
    return KeyValues("Docker engine info", shown)


@perform.register
def _df(spec: DfSpec, session):
    usage = system.disk_usage(session.api)
    now = time.time()
    images_ = usage.get("Images") or []
    rows = disk_usage_rows(usage)
    if spec.format and not spec.verbose:
        return formatted(rows, spec.format, DF_COLUMNS, "df")
    summary = Table(DF_COLUMNS, rows)
    if not spec.verbose:
        return summary
    detail = []
    for i in images_:
        repo, tag = split_ref((i.get("RepoTags") or ["<none>:<none>"])[0])
        detail.append({
            "Repository": repo, "Tag": tag, "ID": i["Id"].replace("sha256:", "")[:12],
            "Created": ago(i.get("Created", 0), now), "Size": human_size(i.get("Size", 0)),
            "Shared": human_size(i.get("SharedSize", 0)),
            "Unique": human_size(i.get("Size", 0) - max(i.get("SharedSize", 0), 0)),
            "Containers": i.get("Containers", 0),
        })  # fmt: skip
    columns = [
        ("Repository", "REPOSITORY"), ("Tag", "TAG"), ("ID", "IMAGE ID"), ("Created", "CREATED"), ("Size", "SIZE"),
        ("Shared", "SHARED SIZE"), ("Unique", "UNIQUE SIZE"), ("Containers", "CONTAINERS"),
    ]  # fmt: skip
    return Table(columns, detail, title="Images space usage")


DF_COLUMNS = [("Type", "TYPE"), ("TotalCount", "TOTAL"), ("Active", "ACTIVE"), ("Size", "SIZE"),
              ("Reclaimable", "RECLAIMABLE")]  # fmt: skip


def _reclaimable(reclaimable: int, total: int) -> str:
    shown = units_size(reclaimable)
    return f"{shown} ({reclaimable * 100 // total}%)" if total > 0 else shown


def disk_usage_rows(usage: dict) -> list[dict]:
    """``GET /system/df`` as the CLI's four lines (Type, TotalCount, Active, Size, Reclaimable)."""
    images_ = usage.get("Images") or []
    containers_ = usage.get("Containers") or []
    volumes_ = usage.get("Volumes") or []
    cache = usage.get("BuildCache") or []
    layers = usage.get("LayersSize") or 0
    used = sum(i.get("Size", 0) - i.get("SharedSize", 0) for i in images_
               if i.get("Containers", 0) and i.get("SharedSize", 0) != -1)  # fmt: skip
    active = [
        c for c in containers_ if any(s in c.get("State", "") for s in ("running", "paused", "restarting"))
    ]
    rw = sum(c.get("SizeRw", 0) for c in containers_)
    sizes = [(v.get("UsageData") or {}).get("Size", 0) for v in volumes_]
    volume_size = sum(s for s in sizes if s != -1)
    idle = sum(
        s
        for v, s in zip(volumes_, sizes, strict=True)
        if s != -1 and not (v.get("UsageData") or {}).get("RefCount")
    )
    cache_size = sum(c.get("Size", 0) for c in cache if not c.get("Shared"))
    cache_idle = sum(c.get("Size", 0) for c in cache if not c.get("InUse") and not c.get("Shared"))
    used_images = sum(1 for i in images_ if i.get("Containers", 0) > 0)
    return [
        {"Type": "Images", "TotalCount": str(len(images_)), "Active": str(used_images),
         "Size": units_size(layers), "Reclaimable": _reclaimable(layers - used, layers)},
        {"Type": "Containers", "TotalCount": str(len(containers_)), "Active": str(len(active)), "Size": units_size(rw),
         "Reclaimable": _reclaimable(rw - sum(c.get("SizeRw", 0) for c in active), rw)},
        {"Type": "Local Volumes", "TotalCount": str(len(volumes_)),
         "Active": str(sum(1 for v in volumes_ if (v.get("UsageData") or {}).get("RefCount", 0) > 0)),
         "Size": units_size(volume_size), "Reclaimable": _reclaimable(idle, volume_size)},
        {"Type": "Build Cache", "TotalCount": str(len(cache)), "Active": str(sum(1 for c in cache if c.get("InUse"))),
         "Size": units_size(cache_size), "Reclaimable": units_size(cache_idle)},
    ]  # fmt: skip


# The engine selects build cache by until/id/type/... only: it ignores a label filter, and would
# empty all of the build cache when asked for the labelled part (the CLI's system prune does so).
BUILD_CACHE_KEPT = (
    "Build cache left alone: it carries no labels, and the engine would ignore --filter label=... "
    "and remove all of it (use %docker system prune without a label filter to prune it)."
)


def selects_by_label(filters: dict[str, list[str]]) -> bool:
    return any(key in ("label", "label!") for key in filters)


@perform.register
def _system_prune(spec: SystemPruneSpec, session):
    """In the CLI's order: containers, networks, volumes (``--volumes``), images, build cache."""
    api, filters = session.api, {key: list(values) for key, values in spec.filters}
    sections, reclaimed = [], 0
    gone = when_free(containers.prune, api, filters)
    sections.append(("Deleted Containers", gone.get("ContainersDeleted") or []))
    reclaimed += gone.get("SpaceReclaimed") or 0
    sections.append(("Deleted Networks", networks.prune(api, filters).get("NetworksDeleted") or []))
    if spec.volumes:
        gone = volumes.prune(api, filters)
        sections.append(("Deleted Volumes", gone.get("VolumesDeleted") or []))
        reclaimed += gone.get("SpaceReclaimed") or 0
    gone = when_free(images.prune, api, {**filters, "dangling": ["false" if spec.all else "true"]})
    sections.append(("Deleted Images", [
        f"{kind.lower()}: {ref}" for entry in gone.get("ImagesDeleted") or [] for kind, ref in entry.items()
    ]))  # fmt: skip
    reclaimed += gone.get("SpaceReclaimed") or 0
    if selects_by_label(filters):
        return pruned(sections, reclaimed, note=BUILD_CACHE_KEPT)
    gone = system.prune_build_cache(api, filters, spec.all)
    sections.append(("Deleted build cache objects", gone.get("CachesDeleted") or []))
    reclaimed += gone.get("SpaceReclaimed") or 0
    return pruned(sections, reclaimed)
