"""A BuildKit build as it runs, and its graph once done.

Live: the lines the CLI's plain progress prints (``#3 [a 2/2] RUN ...``, each
output line after its vertex number, ``#3 DONE 2.1s``, ``#3 CACHED``,
``#3 ERROR: ...``), because independent stages run at once and their lines
interleave. Done: ``BuildGraphView``, every vertex with its state, duration and
output, on a timeline whose bars start when the vertex started, so that stages
that ran in parallel show side by side.
"""

from __future__ import annotations

from .base import View, escape, mask_text
from .build import quiet_notice

_COLOURS = {
    "cached": "#27ae60",
    "done": "#2a6ebb",
    "running": "#e67e22",
    "error": "#c0392b",
    "waiting": "#999",
}


class LiveGraph:
    """Callbacks for engine.buildkit.progress.Graph that write the build as it runs."""

    def __init__(self, write, quiet: bool = False):
        self.write = write
        self.quiet = quiet
        self.numbers: dict[str, int] = {}
        self.shown: dict[str, str] = {}

    def _number(self, vertex) -> int:
        return self.numbers.setdefault(vertex.digest, len(self.numbers) + 1)

    def on_vertex(self, vertex) -> None:
        if self.quiet:
            return
        n, state = self._number(vertex), vertex.state
        if state == self.shown.get(vertex.digest) or state == "waiting":
            return
        if vertex.digest not in self.shown:
            self.write(f"#{n} {mask_text(vertex.name)}\n")
        self.shown[vertex.digest] = state
        if state == "cached":
            self.write(f"#{n} CACHED\n")
        elif state == "done":
            self.write(f"#{n} DONE {vertex.seconds or 0:.1f}s\n")
        elif state == "error":
            self.write(f"#{n} ERROR: {mask_text(vertex.error)}\n")

    def on_line(self, vertex, line: str) -> None:
        if not self.quiet:
            self.write(f"#{self._number(vertex)} {mask_text(line)}\n")

    def on_silence(self, running, seconds: float, limit: float | None) -> None:
        """A step that prints nothing for a while (or a hung engine): said under each running step."""
        if self.quiet:
            return
        for vertex in running or [None]:
            where = f"#{self._number(vertex)} " if vertex is not None else ""
            self.write(f"{where}{quiet_notice(seconds, limit)}\n")


class BuildGraphView(View):
    """The finished build's vertexes: state, duration, output, and when each ran."""

    def __init__(self, vertexes, image: str = "", sent=(), exported=None):
        self.vertexes = list(vertexes)
        self.image = image
        self.sent = list(sent)  # what the file sync sent, per local (engine.buildkit.filesync.Sent)
        self.exported = exported  # what -o wrote (engine.buildkit.filesend.Exported), if it was given

    def _state(self, v) -> str:
        if v.state in ("cached", "error", "waiting"):
            return v.state.upper() if v.state == "error" else v.state
        return f"{v.seconds or 0:.1f}s"

    def _summary(self) -> str:
        steps = [v for v in self.vertexes if not v.internal]
        cached = sum(1 for v in steps if v.cached)
        starts = [v.started for v in self.vertexes if v.started is not None]
        ends = [v.completed for v in self.vertexes if v.completed is not None]
        wall = (max(ends) - min(starts)) if starts and ends else 0.0
        files = sum(s.files for s in self.sent)
        sent = sum(s.bytes for s in self.sent)
        out = self.exported
        written = f"; written to {out.dest}: {out.files} files, {out.bytes} bytes" if out else ""
        return (
            f"{len(steps)} steps, {cached} from the cache, {wall:.1f}s in all (BuildKit); "
            f"context: {files} files sent, {sent} bytes{written}"
        )

    def text(self) -> str:
        lines = [f"#{i} {mask_text(v.name)}  [{self._state(v)}]" for i, v in enumerate(self.vertexes, 1)]
        return "\n".join([*lines, self._summary()])

    def html(self) -> str:
        starts = [v.started for v in self.vertexes if v.started is not None]
        ends = [v.completed for v in self.vertexes if v.completed is not None]
        t0 = min(starts) if starts else 0.0
        span = max((max(ends) - t0) if ends else 0.0, 0.1)
        items = []
        for i, v in enumerate(self.vertexes, 1):
            left = ((v.started or t0) - t0) / span * 100
            width = 0.0 if v.cached or v.started is None else max(0.5, (v.seconds or 0) / span * 100)
            colour = _COLOURS.get(v.state, "#999")
            bar = (
                f"<span class='dm-timeline' style='display:inline-block;position:relative;width:12em;"
                f"height:.7em;background:#eee'><span class='dm-bar dm-{escape(v.state)}' style='position:absolute;"
                f"left:{left:.1f}%;width:{width:.1f}%;height:100%;background:{colour}'></span></span>"
            )
            body = escape(mask_text("\n".join(v.output))) or "(no output)"
            error = f"<div style='color:#c0392b'>{escape(mask_text(v.error))}</div>" if v.error else ""
            items.append(
                f"<details class='dm-vertex dm-{escape(v.state)}'><summary>{bar} "
                f"<span style='display:inline-block;width:5em;text-align:right;color:{colour}'>"
                f"{escape(self._state(v))}</span> #{i} <code>{escape(mask_text(v.name))}</code></summary>"
                f"{error}<pre>{body}</pre></details>"
            )
        return (
            f"<div class='dockermagic-build dockermagic-buildkit'>{''.join(items)}"
            f"<div style='opacity:.7'>{escape(self._summary())}</div></div>"
        )

    def widget(self):
        import ipywidgets as w

        return w.HTML(value=self.html())
