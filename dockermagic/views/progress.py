"""Pull/push progress: one line per layer, updated as the engine reports.

In a widget front end the lines live in an ipywidgets Output area updated in
place; elsewhere (terminals, nbval) each layer's final state is printed once,
so saved output stays short and stable.
"""
from __future__ import annotations

from .base import human_size


class LayerProgress:
    """Consumes the engine's JSON progress events; ``write`` gets text lines."""

    def __init__(self, write, title: str = ""):
        self.write = write
        self.title = title
        self.layers: dict[str, str] = {}
        self.done: set[str] = set()
        self.status_lines: list[str] = []

    def feed(self, event: dict) -> None:
        layer = event.get("id")
        status = event.get("status", "")
        detail = event.get("progressDetail") or {}
        if layer and status:
            if detail.get("total"):
                status = f"{status} {human_size(detail.get('current', 0))}/{human_size(detail['total'])}"
            self.layers[layer] = status
            if status.startswith(("Pull complete", "Already exists", "Pushed", "Layer already exists",
                                  "Mounted from")) and layer not in self.done:
                self.done.add(layer)
                self.write(f"{layer}: {status}\n")
        elif status and not layer:
            self.status_lines.append(status)
            self.write(status + "\n")
        elif layer and status.startswith(("Pulling from", "The push refers")):
            self.write(status + "\n")
