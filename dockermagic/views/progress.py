"""Pull/push progress, per layer.

Each layer's final state is written once as a text line (terminals, nbval and
saved notebooks read those). In a kernel, a live display shows one bar per
layer while the transfer runs, updated a few times a second, and is cleared
at the end, so nothing of it is saved.
"""

from __future__ import annotations

from .base import View, escape, human_size


class LayerBars(View):
    """Bars for the layers of a pull or push: ``layers`` maps id -> (status, current, total)."""

    def __init__(self):
        self.layers: dict[str, tuple[str, int, int]] = {}

    def text(self) -> str:
        return "\n".join(f"{layer}: {status}" for layer, (status, _, _) in self.layers.items())

    def html(self) -> str:
        rows = []
        for layer, (status, current, total) in self.layers.items():
            bar = (
                f"<progress max='{total}' value='{min(current, total)}' style='width:12em'></progress>"
                if total
                else ""
            )
            rows.append(f"<div><code>{escape(layer)}</code> {bar} {escape(status)}</div>")
        return "<div class='dockermagic-progress'>" + "".join(rows) + "</div>"


class LayerProgress:
    """Consumes the engine's JSON progress events; ``write`` gets text lines."""

    def __init__(self, write, title: str = ""):
        from .widgets import Live

        self.write = write
        self.title = title
        self.layers: dict[str, str] = {}
        self.done: set[str] = set()
        self.status_lines: list[str] = []
        self.bars = LayerBars()
        self.live = Live(self.bars, start_blank=True)

    def close(self) -> None:
        self.live.clear()

    def feed(self, event: dict) -> None:
        layer = event.get("id")
        status = event.get("status", "")
        detail = event.get("progressDetail") or {}
        if status.startswith(("Pulling from", "The push refers")):
            self.write(status + "\n")
        elif layer and status:
            self.bars.layers[layer] = (
                status,
                detail.get("current", 0),
                detail.get("total", 0),
            )
            self.live.update()
            if detail.get("total"):
                status = f"{status} {human_size(detail.get('current', 0))}/{human_size(detail['total'])}"
            self.layers[layer] = status
            if (
                status.startswith(
                    (
                        "Pull complete",
                        "Already exists",
                        "Pushed",
                        "Layer already exists",
                        "Mounted from",
                    )
                )
                and layer not in self.done
            ):
                self.done.add(layer)
                self.write(f"{layer}: {status}\n")
        elif status:
            self.status_lines.append(status)
            self.write(status + "\n")
