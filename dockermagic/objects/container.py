"""``c = %docker run -d ...``: a handle on one container."""
from __future__ import annotations

from ..engine import containers as engine
from ..views.container import ContainerCard


class Container:
    """A container on the engine; attributes reflect the last ``reload()``."""

    def __init__(self, session, ref: str, attrs: dict | None = None):
        self._session = session
        self.attrs = attrs if attrs is not None else engine.inspect(session.api, ref)

    def reload(self) -> "Container":
        self.attrs = engine.inspect(self._session.api, self.id)
        return self

    @property
    def id(self) -> str:
        return self.attrs["Id"]

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def name(self) -> str:
        return self.attrs["Name"].lstrip("/")

    @property
    def image(self) -> str:
        return self.attrs["Config"]["Image"]

    @property
    def status(self) -> str:
        state = self.attrs["State"]
        health = (state.get("Health") or {}).get("Status")
        return state["Status"] + (f" ({health})" if health else "")

    @property
    def labels(self) -> dict:
        return self.attrs["Config"].get("Labels") or {}

    @property
    def ip(self) -> str:
        """The address on the first network it is attached to ('' when none)."""
        settings = self.attrs.get("NetworkSettings") or {}
        if settings.get("IPAddress"):
            return settings["IPAddress"]
        for net in (settings.get("Networks") or {}).values():
            if net.get("IPAddress"):
                return net["IPAddress"]
        return ""

    @property
    def ports(self) -> list[tuple[str, str, str]]:
        """(container_port, host_ip, host_port) for every exposed port."""
        out = []
        published = (self.attrs.get("NetworkSettings") or {}).get("Ports") or {}
        exposed = list(self.attrs["Config"].get("ExposedPorts") or {})
        for port in sorted(set(exposed) | set(published), key=lambda p: (int(p.split("/")[0]), p)):
            bindings = published.get(port) or []
            if not bindings:
                out.append((port, "", ""))
            for b in bindings:
                out.append((port, b.get("HostIp", ""), b.get("HostPort", "")))
        return out

    def host_port(self, port: int | str, protocol: str = "tcp") -> int:
        """The host port a container port is published on (IPv4 first)."""
        key = str(port) if "/" in str(port) else f"{port}/{protocol}"
        for ctr, _, host_port in self.ports:
            if ctr == key and host_port:
                return int(host_port)
        raise KeyError(f"port {key} of {self.name} is not published (see .ports)")

    def url(self, port: int | str, scheme: str = "http") -> str:
        key = str(port) if "/" in str(port) else f"{port}/tcp"
        for ctr, host_ip, host_port in self.ports:
            if ctr == key and host_port:
                host = "127.0.0.1" if host_ip in ("", "0.0.0.0", "::") else host_ip
                return f"{scheme}://{host}:{host_port}"
        raise KeyError(f"port {key} of {self.name} is not published (see .ports)")

    def logs(self, tail: int | str = "all") -> str:
        raw = engine.call(self._session.api.logs, self.id, tail=tail)
        return raw.decode("utf-8", "replace")

    def inspect(self) -> dict:
        return self.reload().attrs

    def start(self) -> "Container":
        engine.call(self._session.api.start, self.id)
        return self.reload()

    def stop(self, timeout: int = 10) -> "Container":
        engine.call(self._session.api.stop, self.id, timeout=timeout)
        return self.reload()

    def restart(self, timeout: int = 10) -> "Container":
        engine.call(self._session.api.restart, self.id, timeout=timeout)
        return self.reload()

    def remove(self, force: bool = True) -> None:
        engine.call(self._session.api.remove_container, self.id, force=force, v=True)

    def wait(self) -> int:
        return engine.call(self._session.api.wait, self.id, timeout=None)["StatusCode"]

    def card(self) -> ContainerCard:
        return ContainerCard({"name": self.name, "id": self.id, "image": self.image,
                              "status": self.status, "ip": self.ip, "ports": self.ports})

    def _repr_pretty_(self, p, cycle):
        p.text(self.card().text())

    def _repr_html_(self):
        return self.card().html()

    def __repr__(self) -> str:
        return f"<Container {self.name} {self.short_id} {self.status}>"
