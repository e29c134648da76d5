"""version, --version, info, system df, system prune: spec -> engine -> view."""

from __future__ import annotations

import time

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
        # a template names the CLI's Go fields: APIVersion where the engine's JSON says ApiVersion
        fields = {
            "Client": {**client, "Version": __version__, "APIVersion": client["API version"]},
            "Server": {**data, "APIVersion": data.get("ApiVersion")},
        }
        return inspected([fields], ["version"], spec.format)
    shown = {"Client": client, "Server": {k: data.get(k) for k in SERVER_KEYS}}
    return KeyValues("Docker engine at " + session.engine.address, shown)


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
        return inspected([data], ["info"], spec.format)
    shown = {k: data.get(k) for k in INFO_KEYS if k in data}
    if "RegistryConfig" in shown:
        shown["Registry mirrors"] = (shown.pop("RegistryConfig") or {}).get("Mirrors") or []
    return KeyValues("Docker engine info", shown)


@perform.register
def _df(spec: DfSpec, session):
    usage = system.disk_usage(session.api)
    now = time.time()
    images_ = usage.get("Images") or []
    containers_ = usage.get("Containers") or []
    volumes_ = usage.get("Volumes") or []
    cache = usage.get("BuildCache") or []
    used_images = [i for i in images_ if i.get("Containers", 0) > 0]
    image_size = sum(i.get("Size", 0) - i.get("SharedSize", 0) for i in images_) + max(
        [i.get("SharedSize", 0) for i in images_] or [0]
    )
    rows = [
        {"Type": "Images", "Total": len(images_), "Active": len(used_images),
         "Size": human_size(usage.get("LayersSize", image_size))},
        {"Type": "Containers", "Total": len(containers_),
         "Active": sum(c.get("State") == "running" for c in containers_),
         "Size": human_size(sum(c.get("SizeRw", 0) for c in containers_))},
        {"Type": "Local Volumes", "Total": len(volumes_),
         "Active": sum((v.get("UsageData") or {}).get("RefCount", 0) > 0 for v in volumes_),
         "Size": human_size(sum(max((v.get("UsageData") or {}).get("Size", 0), 0) for v in volumes_))},
        {"Type": "Build Cache", "Total": len(cache), "Active": sum(bool(c.get("InUse")) for c in cache),
         "Size": human_size(sum(c.get("Size", 0) for c in cache))},
    ]  # fmt: skip
    summary = Table([("Type", "TYPE"), ("Total", "TOTAL"), ("Active", "ACTIVE"), ("Size", "SIZE")], rows)
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
