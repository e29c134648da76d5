"""``c = %docker run -d ...``: a handle on one container."""

from __future__ import annotations

from ..engine import containers as engine
from ..views.container import ContainerCard
from . import database
from .handle import Handle


class Container(Handle):
    """A container on the engine; attributes reflect the last ``reload()``."""

    def _inspect(self, ref: str) -> dict:
        return engine.inspect(self._api, ref)

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

    def url(self, port: int | str | None = None, scheme: str = "http") -> str:
        """``http://127.0.0.1:HOSTPORT`` for a published port; without a port, a MySQL, MariaDB or
        Postgres container's SQLAlchemy URL (its password masked wherever it is shown)."""
        if port is None:
            kind = database.kind_of(self.attrs)
            if kind is None:
                raise KeyError(
                    f"{self.name} runs no MySQL, MariaDB or Postgres: pass the port, e.g. .url(8080)"
                )
            return database.database_url(self.attrs, "127.0.0.1", self.host_port(kind[1]))
        key = str(port) if "/" in str(port) else f"{port}/tcp"
        for ctr, host_ip, host_port in self.ports:
            if ctr == key and host_port:
                host = "127.0.0.1" if host_ip in ("", "0.0.0.0", "::") else host_ip
                return f"{scheme}://{host}:{host_port}"
        raise KeyError(f"port {key} of {self.name} is not published (see .ports)")

    def logs(self, tail: int | str = "all") -> str:
        return engine.logs_tail(self._api, self.id, tail)

    def inspect(self) -> dict:
        return self.reload().attrs

    def start(self) -> Container:
        engine.start(self._api, self.id)
        return self.reload()

    def stop(self, timeout: int = 10) -> Container:
        engine.stop(self._api, self.id, timeout)
        return self.reload()

    def restart(self, timeout: int = 10) -> Container:
        engine.restart(self._api, self.id, timeout)
        return self.reload()

    def rename(self, new_name: str) -> Container:
        engine.rename(self._api, self.id, new_name)
        return self.reload()

    def remove(self, force: bool = True) -> None:
        engine.remove(self._api, self.id, force=force, volumes=True)

    def wait(self) -> int:
        """Block until the container stops; its exit code."""
        return engine.wait(self._api, self.id)

    def card(self) -> ContainerCard:
        return ContainerCard(
            {
                "name": self.name,
                "id": self.id,
                "image": self.image,
                "status": self.status,
                "ip": self.ip,
                "ports": self.ports,
            }
        )

    def _repr_pretty_(self, p, cycle):
        p.text(self.card().text())

    def _repr_html_(self):
        return self.card().html()

    def _repr_label(self) -> str:
        return f"{self.name} {self.short_id} {self.status}"
