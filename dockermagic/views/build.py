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
            self.write(
                f"Step {step.number}/{step.total} : {mask_text(step.instruction)}\n"
            )
        elif step.cached:
            self.write("  ---> cached\n")
        elif step.output or (step.seconds or 0) >= 1:
            self.write(f"  ---> done in {step.seconds:.1f}s\n")

    def on_quiet(self, seconds: float, limit: float | None) -> None:
        """The engine has said nothing for ``seconds``: a quiet step, or a hung engine."""
        if not self.quiet:
            end = (
                (
                    f"; the build gives up after {limit:g} s of silence "
                    "(%config DockerMagics.stream_timeout)"
                )
                if limit
                else ""
            )
            self.write(f"  ... no output from the engine for {seconds:.0f} s{end}\n")

    def on_output(self, step, line: str) -> None:
        if not self.quiet:
            self.write(f"  {mask_text(line)}\n")


class BuildLogView(View):
    def __init__(self, steps):
        self.steps = steps

    def text(self) -> str:
        lines = []
        for s in self.steps:
            state = "cached" if s.cached else f"{s.seconds or 0:.1f}s"
            lines.append(
                f"Step {s.number}/{s.total} : {mask_text(s.instruction)}  [{state}]"
            )
        return "\n".join(lines)

    def html(self) -> str:
        items = []
        for s in self.steps:
            state = "cached" if s.cached else f"{s.seconds or 0:.1f}s"
            body = escape(mask_text("\n".join(s.output))) or "(no output)"
            items.append(
                f"<details><summary>Step {s.number}/{s.total}: <code>{escape(mask_text(s.instruction))}</code> "
                f"<span style='opacity:.6'>{escape(state)}</span></summary><pre>{body}</pre></details>"
            )
        return "<div class='dockermagic-build'>" + "".join(items) + "</div>"
