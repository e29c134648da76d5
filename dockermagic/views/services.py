"""Swarm's views: services (``service ls``), tasks (``service ps``, ``node ps``), nodes
(``node ls``), and the progress of a service converging.

The tables are the CLI's (text through its tabwriter), with the same HTML and widget faces as
every table. The task table also says, in HTML, which state each task is in by colour, and
``by_node()`` answers "where does each task run".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .base import View, escape
from .table import Table

SERVICE_COLUMNS = [
    ("ID", "ID"),
    ("Name", "NAME"),
    ("Mode", "MODE"),
    ("Replicas", "REPLICAS"),
    ("Image", "IMAGE"),
    ("Ports", "PORTS"),
]
TASK_COLUMNS = [
    ("ID", "ID"),
    ("Name", "NAME"),
    ("Image", "IMAGE"),
    ("Node", "NODE"),
    ("DesiredState", "DESIRED STATE"),
    ("CurrentState", "CURRENT STATE"),
    ("Error", "ERROR"),
    ("Ports", "PORTS"),
]
NODE_COLUMNS = [
    ("IDSelf", "ID"),
    ("Hostname", "HOSTNAME"),
    ("Status", "STATUS"),
    ("Availability", "AVAILABILITY"),
    ("ManagerStatus", "MANAGER STATUS"),
    ("EngineVersion", "ENGINE VERSION"),
]

# The colour of a task's current state in the HTML face (its text says the state too).
_STATE_COLOURS = {"Running": "#1a7f37", "Complete": "#57606a", "Failed": "#cf222e", "Rejected": "#cf222e"}


class ServiceTable(Table):
    """``service ls``: one row per service, replicas as running/desired."""

    def __init__(self, rows: Iterable[dict], columns: Sequence[tuple[str, str]] = SERVICE_COLUMNS):
        super().__init__(columns, rows, id_key="ID")


class TaskTable(Table):
    """``service ps`` / ``node ps``: each task, the node it runs on, its desired and current state."""

    def __init__(self, rows: Iterable[dict], columns: Sequence[tuple[str, str]] = TASK_COLUMNS):
        super().__init__(columns, rows, id_key="ID")

    def by_node(self, state: str | None = "Running") -> dict[str, list[str]]:
        """Task names by node (only tasks whose current state starts with ``state``; None: all)."""
        found: dict[str, list[str]] = {}
        for row in self.rows:
            if state is None or str(row.get("CurrentState", "")).startswith(state):
                found.setdefault(str(row.get("Node", "")), []).append(str(row.get("Name", "")).strip(" \\_"))
        return found

    def html(self, widths: list[int] | None = None) -> str:
        page = super().html(widths)
        for state, colour in _STATE_COLOURS.items():  # escaped cells: the state word is plain text
            page = page.replace(
                f"<span style='user-select:all'>{state} ",
                f"<span style='user-select:all;color:{colour}'>{state} ",
            )
        return page

    def sorted(self, key: str, reverse: bool = False) -> TaskTable:
        key = {h: k for k, h in self.columns}.get(key, key)
        return TaskTable(sorted(self.rows, key=self.sort_key(key), reverse=reverse), self.columns)


class NodeTable(Table):
    """``node ls``: the node this engine is marked ``*``."""

    def __init__(self, rows: Iterable[dict], columns: Sequence[tuple[str, str]] = NODE_COLUMNS):
        super().__init__(columns, rows, id_key="ID")


class Convergence(View):
    """A service converging: each slot's (or node's) task state, and how many run of how many.

    ``slots`` maps a slot ("1/3", or a node's id for a global service) to (state, error).
    """

    def __init__(self, service: str, desired: int = 0):
        self.service = service
        self.desired = desired
        self.slots: dict[str, tuple[str, str]] = {}
        self.note = ""

    @property
    def running(self) -> int:
        return sum(1 for state, _ in self.slots.values() if state == "running")

    def overall(self) -> str:
        return f"overall progress: {self.running} out of {self.desired} tasks"

    def line(self, slot: str) -> str:
        state, error = self.slots[slot]
        return f"{slot}: {state}" + (f" ({error})" if error else "")

    def text(self) -> str:
        return "\n".join(
            [self.service, self.overall(), *(self.line(s) for s in self.slots), self.note]
        ).rstrip()

    def html(self) -> str:
        rows = "".join(
            f"<div><code>{escape(slot)}</code> "
            f"<progress max='1' value='{1 if state == 'running' else 0}' style='width:8em'></progress> "
            f"{escape(state)}{(' <i>' + escape(error) + '</i>') if error else ''}</div>"
            for slot, (state, error) in self.slots.items()
        )
        return (
            f"<div class='dockermagic-progress'><b>{escape(self.service)}</b>: "
            f"<progress max='{max(self.desired, 1)}' value='{self.running}' style='width:12em'></progress> "
            f"{escape(self.overall())}{rows}"
            f"{'<div>' + escape(self.note) + '</div>' if self.note else ''}</div>"
        )
