"""Waiting on a stack's containers: ``depends_on`` conditions, and ``up --wait`` shown live.

A failure names the service and its container and shows the container's last log lines.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from ..engine import compose as engine
from ..engine.containers import logs_tail
from ..errors import DockerMagicError
from ..views.table import Table
from ..views.widgets import Live
from .model import Project
from .plan import Existing

POLL = 0.25
COLUMNS = [("SERVICE", "SERVICE"), ("NAME", "NAME"), ("STATE", "STATE"), ("HEALTH", "HEALTH")]


def _tail(api: Any, ref: str, lines: int = 15) -> str:
    try:
        return logs_tail(api, ref, lines).rstrip()
    except DockerMagicError:
        return ""


def failure(api: Any, container: Existing, reason: str) -> DockerMagicError:
    tail = _tail(api, container.id)
    shown = f"; its last log lines:\n{tail}" if tail else " (it logged nothing)"
    return DockerMagicError(f"service {container.service} ({container.name}) {reason}{shown}")


class StateBoard:
    """The state of each container waited on: lines as they change, and a live table in a kernel."""

    def __init__(self, api: Any, say: Callable[[str], Any]):
        self.api, self.say = api, say
        self.rows: dict[str, dict[str, str]] = {}
        self.live: Live | None = None

    def _table(self) -> Table:
        return Table(COLUMNS, list(self.rows.values()), title="stack")

    def _note(self, container: Existing, state: str, health: str) -> None:
        row = {"SERVICE": container.service, "NAME": container.name, "STATE": state, "HEALTH": health or "-"}
        if self.rows.get(container.name) != row:
            self.rows[container.name] = row
            if self.live is not None and self.live.active:
                self.live.view = self._table()
                self.live.update()

    def wait_condition(self, container: Existing, condition: str, timeout: float) -> None:
        if condition == "service_started":
            return
        deadline = time.monotonic() + timeout
        said = False
        while True:
            state, health, code = engine.health(self.api, container.id)
            self._note(container, state, health)
            if condition == "service_healthy":
                if health == "healthy":
                    self.say(f"Container {container.name}  Healthy")
                    return
                if health == "unhealthy":
                    raise failure(self.api, container, "is unhealthy")
                if not health and state == "running":
                    raise DockerMagicError(
                        f"service {container.service} is depended on as service_healthy but has no healthcheck: "
                        "add one (healthcheck: test: ...), or use condition: service_started."
                    )
                if state in ("exited", "dead"):
                    raise failure(self.api, container, f"exited with code {code} before it was healthy")
            else:  # service_completed_successfully
                if state in ("exited", "dead"):
                    if code == 0:
                        self.say(f"Container {container.name}  Exited")
                        return
                    raise failure(self.api, container, f"exited with code {code}")
            if not said:
                self.say(f"Container {container.name}  Waiting")
                said = True
            if time.monotonic() > deadline:
                raise failure(self.api, container, f"did not meet {condition} within {timeout:g} s")
            time.sleep(POLL)

    def wait_all(self, project: Project, containers: Iterable[Existing], timeout: float) -> float:
        """``up --wait``: until every container runs (healthy, when it has a healthcheck); the
        seconds it took. One-shot services that others wait to complete may exit with 0."""
        start = time.monotonic()
        one_shot = {
            d.service
            for s in project.services
            for d in s.depends_on
            if d.condition == "service_completed_successfully"
        }
        pending = sorted(containers, key=lambda c: c.name)
        self.live = Live(self._table(), start_blank=True)
        try:
            while pending:
                still = []
                for container in pending:
                    state, health, code = engine.health(self.api, container.id)
                    self._note(container, state, health)
                    if state in ("exited", "dead"):
                        if code == 0 and container.service in one_shot:
                            self.say(f"Container {container.name}  Exited")
                            continue
                        raise failure(self.api, container, f"exited with code {code}")
                    if health == "unhealthy":
                        raise failure(self.api, container, "is unhealthy")
                    if state == "running" and health in ("", "healthy"):
                        self.say(f"Container {container.name}  {'Healthy' if health else 'Running'}")
                        continue
                    still.append(container)
                pending = still
                if pending and time.monotonic() - start > timeout:
                    raise failure(
                        self.api, pending[0], f"was not ready within {timeout:g} s (--wait-timeout)"
                    )
                if pending:
                    time.sleep(POLL)
        finally:
            self.live.clear()
        return time.monotonic() - start
