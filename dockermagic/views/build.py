"""The build as it happens, and the finished build's log folded by step.

Live: each step's header and output lines are written as they come (plain
text, so terminals and saved notebooks read it). Done: ``BuildLogView``
shows every step as a folded ``<details>``: cached or not, how long it took.
"""

from __future__ import annotations

from .base import View, escape, mask_text


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
            end = (
                (f"; the build gives up after {limit:g} s of silence (%config DockerMagics.stream_timeout)")
                if limit
                else ""
            )
            self.write(f"  ... no output from the engine for {seconds:.0f} s{end}\n")

    def on_output(self, step, line: str) -> None:
        if not self.quiet:
            self.write(f"  {mask_text(line)}\n")


class BuildLogView(View):
    """The finished build: a timeline of its steps (duration, cache hits) and the habits that bloat it.

    ``warnings``: ``(line, message)`` pairs (views/habits.py), shown with their Dockerfile line.
    """

    def __init__(self, steps, warnings: list[tuple[int, str]] | None = None):
        self.steps = steps
        self.warnings = list(warnings or [])

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
