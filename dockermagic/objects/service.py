"""``s = %docker service create ...``: a handle on one swarm service."""

from __future__ import annotations

from typing import Any

from ..engine import services as engine
from .handle import Handle


class Service(Handle):
    """A swarm service; ``attrs`` is its inspect document as of the last ``reload()``."""

    def _inspect(self, ref: str) -> dict:
        return engine.inspect(self._api, ref)

    @property
    def id(self) -> str:
        return str(self.attrs["ID"])

    @property
    def name(self) -> str:
        return str(self.attrs["Spec"].get("Name") or "")

    @property
    def image(self) -> str:
        return str(self.attrs["Spec"]["TaskTemplate"]["ContainerSpec"].get("Image") or "")

    @property
    def labels(self) -> dict:
        return dict(self.attrs["Spec"].get("Labels") or {})

    @property
    def replicas(self) -> int | None:
        """The replicas asked for (None for a global service)."""
        replicated = (self.attrs["Spec"].get("Mode") or {}).get("Replicated")
        return None if replicated is None else int(replicated.get("Replicas", 1))

    @property
    def ports(self) -> list[tuple[int, int, str, str]]:
        """(target, published, protocol, mode) for each published port, as the swarm assigned them."""
        return [
            (
                p["TargetPort"],
                p.get("PublishedPort", 0),
                p.get("Protocol", "tcp"),
                p.get("PublishMode", "ingress"),
            )
            for p in (self.attrs.get("Endpoint") or {}).get("Ports") or []
        ]

    def tasks(self, running: bool = False) -> list[dict[str, Any]]:
        """The service's tasks (``running``: only those the swarm wants running)."""
        filters: dict[str, list[str]] = {"service": [self.id]}
        if running:
            filters["desired-state"] = ["running"]
        return engine.tasks(self._api, filters)

    def scale(self, replicas: int) -> Service:
        """Ask for ``replicas`` tasks (not waiting: ``%docker service scale NAME=N`` waits)."""
        current = self.reload().attrs
        spec = dict(current["Spec"])
        mode = dict(spec.get("Mode") or {})
        if "Replicated" not in mode:
            from ..errors import CommandError

            raise CommandError(f"{self.name}: only a replicated service can be scaled.")
        mode["Replicated"] = {**mode["Replicated"], "Replicas": int(replicas)}
        engine.update(self._api, self.id, current["Version"]["Index"], {**spec, "Mode": mode})
        return self.reload()

    def logs(self, tail: int | str = "all") -> str:
        """The service's log lines (every task's), as text."""
        return "\n".join(text for _, _, _, text in engine.logs(self._api, self.id, tail=str(tail)))

    def remove(self) -> None:
        engine.remove(self._api, self.id)

    def _repr_label(self) -> str:
        return f"{self.name} {self.id[:12]}"
