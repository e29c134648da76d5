"""%docker version / info."""
from __future__ import annotations

from ..commands.system import InfoSpec, VersionSpec
from ..engine import system as engine
from ..views.base import KeyValues
from . import perform
from .images import inspected


@perform.register
def _version(spec: VersionSpec, session):
    data = engine.version(session.client)
    import docker

    shown = {
        "Client": {"dockermagic": _package_version(), "docker SDK": docker.__version__,
                   "API version": session.api.api_version},
        "Server": {k: data.get(k) for k in ("Version", "ApiVersion", "MinAPIVersion", "GitCommit",
                                             "GoVersion", "Os", "Arch", "KernelVersion")},
    }
    if spec.format:
        return inspected([{"Client": shown["Client"], "Server": data}], ["version"], spec.format)
    return KeyValues("Docker engine at " + session.engine.address, shown)


@perform.register
def _info(spec: InfoSpec, session):
    data = engine.info(session.client)
    if spec.format:
        return inspected([data], ["info"], spec.format)
    keys = ("Name", "ServerVersion", "OperatingSystem", "KernelVersion", "Architecture", "NCPU",
            "MemTotal", "Driver", "CgroupVersion", "CgroupDriver", "Containers", "ContainersRunning",
            "ContainersStopped", "Images", "DockerRootDir", "RegistryConfig")
    shown = {k: data.get(k) for k in keys if k in data}
    if "RegistryConfig" in shown:
        shown["Registry mirrors"] = (shown.pop("RegistryConfig") or {}).get("Mirrors") or []
    return KeyValues("Docker engine info", shown)


def _package_version() -> str:
    from .. import __version__

    return __version__
