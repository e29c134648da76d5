"""``c = %docker run -d ...``: a handle on one container."""

from __future__ import annotations

from ..engine import containers as engine
from ..engine.address import remote_host, url_host
from ..errors import DockerMagicError
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
        """The port a container port is published on, on the engine's machine (``.host``); IPv4 first."""
        key = str(port) if "/" in str(port) else f"{port}/{protocol}"
        for ctr, _, host_port in self.ports:
            if ctr == key and host_port:
                return int(host_port)
        raise KeyError(f"port {key} of {self.name} is not published (see .ports)")

    @property
    def host(self) -> str:
        """The machine its published ports are on: the engine's host for a ``tcp://`` or ``ssh://``
        engine, ``127.0.0.1`` for one on a local socket."""
        return self._engine_host() or "127.0.0.1"

    def _engine_host(self) -> str | None:
        """The engine's machine when it is elsewhere; None for a local socket (or no session)."""
        engine = getattr(self._session, "engine", None)
        return remote_host(engine.address) if engine is not None else None

    def _reach(self, key: str) -> tuple[str, str]:
        """(host, port) where this kernel reaches the published ``key`` ("80/tcp")."""
        engine_host = self._engine_host()
        for ctr, host_ip, host_port in self.ports:
            if ctr != key or not host_port:
                continue
            if host_ip in ("", "0.0.0.0", "::"):  # every interface of the engine's machine
                return engine_host or "127.0.0.1", host_port
            if engine_host and host_ip.startswith("127.") and not engine_host.startswith("127."):
                raise DockerMagicError(
                    f"Port {key} of {self.name} is published on {host_ip} of the engine's machine "
                    f"({engine_host}), which only that machine reaches: publish it on an address "
                    f"others reach (-p 0.0.0.0:{host_port}:{key.split('/')[0]}, or "
                    "%config DockerMagics.publish_host = '0.0.0.0' before run), or tunnel to it "
                    f"(ssh -L {host_port}:{host_ip}:{host_port} {engine_host})."
                )
            return host_ip, host_port
        raise KeyError(f"port {key} of {self.name} is not published (see .ports)")

    def url(self, port: int | str | None = None, scheme: str = "http") -> str:
        """``http://HOST:HOSTPORT`` for a published port, HOST the engine's machine (``.host``);
        without a port, a MySQL, MariaDB or Postgres container's SQLAlchemy URL (its password
        masked wherever it is shown)."""
        if port is None:
            kind = database.kind_of(self.attrs)
            if kind is None:
                raise KeyError(
                    f"{self.name} runs no MySQL, MariaDB or Postgres: pass the port, e.g. .url(8080)"
                )
            host, host_port = self._reach(f"{kind[1]}/tcp")
            return database.database_url(self.attrs, url_host(host), int(host_port))
        key = str(port) if "/" in str(port) else f"{port}/tcp"
        host, host_port = self._reach(key)
        return f"{scheme}://{url_host(host)}:{host_port}"

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
