"""The solver's progress: ``moby.buildkit.trace`` records decoded into a graph of vertexes.

Each record of the build's JSON stream with that id carries a base64
``StatusResponse``: vertexes (one per operation: a Dockerfile step, a context
transfer, an export) with their inputs, cached flag, start, completion and
error; statuses (byte counts of transfers); and log chunks of a vertex's
output. A vertex is reported again whenever it changes; ``Graph`` keeps the
latest of each, in the order they first appeared, with its output lines.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import messages as pb


def _seconds(message: Any, name: str) -> float | None:
    if not message.HasField(name):
        return None
    stamp = getattr(message, name)
    return float(stamp.seconds + stamp.nanos / 1e9)


@dataclass
class Vertex:
    digest: str
    name: str
    inputs: tuple[str, ...] = ()
    cached: bool = False
    started: float | None = None  # Unix seconds, the engine's clock
    completed: float | None = None
    error: str = ""
    output: list[str] = field(default_factory=list)
    partial: str = ""

    @property
    def state(self) -> str:
        """cached, error, done, running or waiting."""
        if self.error:
            return "error"
        if self.cached:
            return "cached"
        if self.completed is not None:
            return "done"
        return "running" if self.started is not None else "waiting"

    @property
    def seconds(self) -> float | None:
        if self.started is None:
            return None
        return (self.completed if self.completed is not None else time.time()) - self.started

    @property
    def internal(self) -> bool:
        """Bookkeeping vertexes ("[internal] load ...", exports): not Dockerfile steps."""
        return self.name.startswith("[internal]") or not self.name.startswith("[")


class Graph:
    """Feed it the build's JSON records; it calls ``on_vertex(vertex)`` when a vertex changes state
    and ``on_line(vertex, line)`` for each line of output."""

    def __init__(
        self,
        on_vertex: Callable[[Vertex], object] | None = None,
        on_line: Callable[[Vertex, str], object] | None = None,
        rename: Callable[[str], str] | None = None,
        on_silence: Callable[[list[Vertex], float, float | None], object] | None = None,
    ):
        self.vertexes: dict[str, Vertex] = {}
        self.rename = rename or (lambda text: text)  # the user's text for a rewritten step
        self.on_vertex = on_vertex or (lambda vertex: None)
        self.on_line = on_line or (lambda vertex, line: None)
        self.on_silence = on_silence or (lambda running, seconds, limit: None)
        self.last_heard = time.monotonic()

    def on_quiet(self, seconds: float, limit: float | None) -> None:
        """The engine has sent nothing for ``seconds`` (BuildKit reports a step only when it
        changes or prints): ``on_silence`` with the steps running meanwhile."""
        self.on_silence([v for v in self.vertexes.values() if v.state == "running"], seconds, limit)

    def feed_trace(self, aux: str) -> None:
        self.feed(pb.StatusResponse.FromString(base64.b64decode(aux)))

    def feed(self, status: Any) -> None:
        self.last_heard = time.monotonic()
        for v in status.vertexes:
            known = self.vertexes.get(v.digest)
            if known is None:
                known = self.vertexes[v.digest] = Vertex(v.digest, self.rename(v.name))
            before = known.state
            known.name = self.rename(v.name) if v.name else known.name
            known.inputs = tuple(v.inputs)
            known.cached = v.cached
            known.started = _seconds(v, "started") or known.started
            known.completed = _seconds(v, "completed") or known.completed
            known.error = self.rename(v.error) if v.error else known.error
            if known.state != before or before == "waiting":
                self.on_vertex(known)
        for log in status.logs:
            vertex = self.vertexes.get(log.vertex)
            if vertex is None:
                continue
            text = vertex.partial + log.msg.decode("utf-8", errors="replace")
            *lines, vertex.partial = text.split("\n")
            for line in lines:
                line = line.rstrip("\r")
                vertex.output.append(line)
                self.on_line(vertex, line)

    def close(self) -> None:
        for vertex in self.vertexes.values():
            if vertex.partial:
                vertex.output.append(vertex.partial)
                self.on_line(vertex, vertex.partial)
                vertex.partial = ""

    @property
    def steps(self) -> list[Vertex]:
        return list(self.vertexes.values())

    def failed(self) -> Vertex | None:
        errors = [v for v in self.vertexes.values() if v.error]
        # the step whose own work failed, not a vertex cancelled because of it
        real = [v for v in errors if "context canceled" not in v.error]
        return (real or errors or [None])[0]  # type: ignore[list-item]
