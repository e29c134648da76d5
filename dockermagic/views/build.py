"""The build as it happens, and the finished build's log folded by step.

Live: each step's header and output lines are written as they come (plain
text, so terminals and saved notebooks read it). Done: ``BuildLogView``
shows every step as a folded ``<details>``: cached or not, how long it took.
"""

from __future__ import annotations

from .base import View, escape, mask_text
from .layers import layer_anchor


def quiet_notice(seconds: float, limit: float | None) -> str:
    """Both builders' notice that the engine has said nothing for ``seconds``."""
    end = (
        f"; the build gives up after {limit:g} s of silence (%config DockerMagics.stream_timeout)"
        if limit
        else ""
    )
    return f"... no output from the engine for {seconds:.0f} s{end}"


class LiveBuild:
    """Callbacks for engine.build.BuildRun that write the build as it runs."""

    def __init__(self, write, quiet: bool = False):
        self.write = write
        self.quiet = quiet

    def on_step(self, step, done: bool) -> None:
        if self.quiet:
            return
        if not done:
            self.write(f"Step {step.number}/{step.total} : {mask_text(step.instruction)}\n")
        elif step.cached:
            self.write("  ---> cached\n")
        elif step.output or (step.seconds or 0) >= 1:
            self.write(f"  ---> done in {step.seconds:.1f}s\n")

    def on_quiet(self, seconds: float, limit: float | None) -> None:
        """The engine has said nothing for ``seconds``: a quiet step, or a hung engine."""
        if not self.quiet:
            self.write(f"  {quiet_notice(seconds, limit)}\n")

    def on_output(self, step, line: str) -> None:
        if not self.quiet:
            self.write(f"  {mask_text(line)}\n")


class BuildLogView(View):
    """The finished build: a timeline of its steps (duration, cache hits) and the habits that bloat it.

    ``warnings``: ``(line, message)`` pairs (views/habits.py), shown with their Dockerfile line.
    ``image`` and ``layers``: the built image's id and, per step, the diff id of the layer it
    made (None: none); each such step links to that layer in the image's layers view.
    ``open_layers``: makes the image's layers view, for the widget face's links.
    """

    def __init__(
        self,
        steps,
        warnings: list[tuple[int, str]] | None = None,
        image: str = "",
        layers: list[str | None] | None = None,
        open_layers=None,
    ):
        self.steps = steps
        self.warnings = list(warnings or [])
        self.image = image
        self.layers = list(layers or [None] * len(steps))
        self.open_layers = open_layers

    def links(self) -> dict[int, str]:
        """Step number -> the anchor of its layer in the layers view of the built image."""
        return {
            s.number: layer_anchor(self.image, layer)
            for s, layer in zip(self.steps, self.layers, strict=False)
            if layer and self.image
        }

    def _state(self, s) -> str:
        return "cached" if s.cached else f"{s.seconds or 0:.1f}s"

    def _summary(self) -> str:
        hits = sum(1 for s in self.steps if s.cached)
        total = sum(s.seconds or 0 for s in self.steps if not s.cached)
        return f"{len(self.steps)} steps, {hits} from the cache, {total:.1f}s building"

    def text(self) -> str:
        lines = [
            f"Step {s.number}/{s.total} : {mask_text(s.instruction)}  [{self._state(s)}]" for s in self.steps
        ]
        lines.append(self._summary())
        lines += [f"warning: line {line}: {message}" for line, message in self.warnings]
        return "\n".join(lines)

    def html(self) -> str:
        longest = max([s.seconds or 0 for s in self.steps if not s.cached] + [0.1])
        links = self.links()
        items = []
        for s in self.steps:
            width = 0 if s.cached else max(1.0, (s.seconds or 0) / longest * 100)
            bar = (
                "<span style='display:inline-block;width:6em;font-size:80%;color:#27ae60'>cached</span>"
                if s.cached
                else f"<span style='display:inline-block;width:6em'><span class='dm-bar' style='display:inline-block;"
                f"height:.7em;width:{width:.0f}%;background:#2a6ebb'></span></span>"
            )
            body = escape(mask_text("\n".join(s.output))) or "(no output)"
            layer = (
                f" <code style='opacity:.6'>{escape(s.layer.replace('sha256:', '')[:12])}</code>"
                if s.layer
                else ""
            )
            if s.number in links:
                layer += (
                    f" <a class='dm-layer-link' href='#{links[s.number]}'>its layer in the layers view</a>"
                )
            items.append(
                f"<details class='dm-step'><summary>{bar} <span style='display:inline-block;width:4em;"
                f"text-align:right'>{escape(self._state(s))}</span> Step {s.number}/{s.total}: "
                f"<code>{escape(mask_text(s.instruction))}</code>{layer}</summary><pre>{body}</pre></details>"
            )
        warnings = "".join(f"<li>line {line}: {escape(message)}</li>" for line, message in self.warnings)
        box = (
            f"<div class='dm-build-warnings' style='border-left:3px solid #e67e22;padding-left:.5em'>"
            f"<b>Habits that make this image bigger</b><ul>{warnings}</ul></div>"
            if warnings
            else ""
        )
        return (
            f"<div class='dockermagic-build'>{''.join(items)}"
            f"<div style='opacity:.7'>{escape(self._summary())}</div>{box}</div>"
        )

    def widget(self):
        """The timeline; a button per step that made a layer opens the image's layers view at it."""
        links = self.links()
        if not links or self.open_layers is None:
            return None
        import ipywidgets as w

        below = w.HTML()
        below.add_class("dm-build-layers")

        def opener(diff_id: str):
            def clicked(_button) -> None:
                view = self.open_layers()
                below.value = view.html(open_layer=view.index_of(diff_id))

            return clicked

        buttons = []
        for s, diff_id in zip(self.steps, self.layers, strict=False):
            if s.number in links and diff_id:
                button = w.Button(
                    description=f"step {s.number}: its layer", tooltip="open the layers view there"
                )
                button.add_class("dm-layer-button")
                button.on_click(opener(diff_id))
                buttons.append(button)
        return w.VBox(
            [w.HTML(value=self.html()), w.HBox(buttons, layout=w.Layout(flex_flow="row wrap")), below]
        )
