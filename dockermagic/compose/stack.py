"""What ``%%compose`` and ``%docker compose`` return: a Stack, and a handle per service.

The Stack is a view of its services (state, health, ports, replicas: text, escaped HTML and the
sortable table widget) read from the engine by compose's labels, so it shows a stack made by
docker compose as well. ``.service(name)``, ``.url(service, port)``, ``.logs()``, ``.down()``.
"""

from __future__ import annotations

from typing import Any

from ..objects.container import Container
from ..views.base import View
from ..views.table import Table
from . import labels as L
from . import manage

COLUMNS = [
    ("SERVICE", "SERVICE"),
    ("REPLICAS", "REPLICAS"),
    ("STATE", "STATE"),
    ("HEALTH", "HEALTH"),
    ("PORTS", "PORTS"),
    ("CONTAINERS", "CONTAINERS"),
]


def _ports(c: dict[str, Any]) -> list[str]:
    out = []
    for p in sorted(c.get("Ports") or [], key=lambda p: (p.get("PrivatePort", 0), p.get("IP", ""))):
        if p.get("PublicPort"):
            out.append(
                f"{p.get('IP') or '0.0.0.0'}:{p['PublicPort']}->{p['PrivatePort']}/{p.get('Type', 'tcp')}"
            )
    return out


def _health(status: str) -> str:
    for word in ("unhealthy", "healthy", "starting"):
        if f"({word})" in status or (word == "starting" and "health: starting" in status):
            return word
    return "-"


class ServiceHandle:
    """One service of a stack: its containers (``Container`` handles) and how to reach them."""

    def __init__(self, stack: Stack, name: str):
        self.stack, self.name = stack, name

    @property
    def containers(self) -> list[Container]:
        found = manage.project_containers(self.stack._session.api, self.stack.name, [self.name])
        found.sort(key=lambda c: int((c.get("Labels") or {}).get(L.NUMBER, "0") or 0))
        return [Container(self.stack._session, c["Id"]) for c in found]

    def container(self, number: int = 1) -> Container:
        for c in self.containers:
            if c.labels.get(L.NUMBER) == str(number):
                return c
        raise KeyError(f"service {self.name} of {self.stack.name} has no container number {number}")

    def url(self, port: int | str | None = None, scheme: str = "http") -> str:
        """The first container's URL: ``http://127.0.0.1:HOSTPORT``, or a database's SQLAlchemy URL."""
        return self.container(1).url(port, scheme)

    def logs(self, tail: int | str = "all") -> str:
        return "\n".join(c.logs(tail).rstrip("\n") for c in self.containers)

    def __repr__(self) -> str:
        return f"<Service {self.stack.name}/{self.name} ({len(self.containers)} containers)>"


class Stack(View):
    """A compose project on the engine, as its labels describe it."""

    def __init__(self, session: Any, name: str, services: tuple[str, ...] = ()):
        self._session, self.name = session, name
        self._declared = services  # the file's services, shown even when they have no container
        self.rows: list[dict[str, Any]] = []
        self.reload()

    def reload(self) -> Stack:
        found = manage.project_containers(self._session.api, self.name)
        by_service: dict[str, list[dict[str, Any]]] = {s: [] for s in self._declared}
        for c in manage.start_order(found):
            by_service.setdefault((c.get("Labels") or {}).get(L.SERVICE, ""), []).append(c)
        self.rows = []
        for service, group in by_service.items():
            running = sum(1 for c in group if c.get("State") == "running")
            states = sorted({str(c.get("State")) for c in group}) or ["absent"]
            healths = sorted({_health(str(c.get("Status", ""))) for c in group}) or ["-"]
            self.rows.append(
                {
                    "SERVICE": service,
                    "REPLICAS": f"{running}/{len(group)}",
                    "STATE": ", ".join(states),
                    "HEALTH": ", ".join(healths),
                    "PORTS": ", ".join(p for c in group for p in _ports(c)),
                    "CONTAINERS": ", ".join(str((c.get("Names") or [""])[0]).lstrip("/") for c in group),
                }
            )
        return self

    @property
    def services(self) -> list[str]:
        return [row["SERVICE"] for row in self.rows]

    def service(self, name: str) -> ServiceHandle:
        if name not in self.services:
            raise KeyError(f"no service {name!r} in stack {self.name} (services: {', '.join(self.services)})")
        return ServiceHandle(self, name)

    def url(self, service: str, port: int | str | None = None, scheme: str = "http") -> str:
        return self.service(service).url(port, scheme)

    def logs(self, tail: int | str = "all") -> str:
        """Every container's log, each line prefixed with its container's name, as compose shows it."""
        lines = []
        for row in self.rows:
            for c in ServiceHandle(self, row["SERVICE"]).containers:
                for line in c.logs(tail).splitlines():
                    lines.append(f"{c.name}  | {line}")
        return "\n".join(lines)

    def down(self, volumes: bool = False) -> None:
        manage.down(self._session.api, self.name, lambda line: self._session.out(line + "\n"), volumes)
        self.reload()

    def table(self) -> Table:
        return Table(COLUMNS, self.rows, title=f"stack {self.name}", id_key="SERVICE")

    def text(self) -> str:
        return f"Stack {self.name}\n" + self.table().text()

    def html(self) -> str:
        from ..views.base import escape

        return f"<div><b>Stack {escape(self.name)}</b></div>" + self.table().html()

    def widget(self) -> Any:
        return self.table().widget()

    def __repr__(self) -> str:
        return f"<Stack {self.name} ({len(self.rows)} services)>"
