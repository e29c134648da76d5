"""The result of a command that ran to its end in the foreground (run, exec).

Its output was already streamed into the cell, so it displays nothing more;
assigned (``r = %docker run ...``), it holds the exit code and the output.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..secrets import mask_text


@dataclass(frozen=True)
class Completed:
    exit_code: int
    stdout: str
    stderr: str
    duration: float
    container: str = ""

    def _ipython_display_(self):
        pass  # shown already, live, while it ran

    def __str__(self) -> str:
        return self.stdout

    def __repr__(self) -> str:
        return mask_text(
            f"Completed(exit_code={self.exit_code!r}, stdout={self.stdout!r}, "
            f"stderr={self.stderr!r}, duration={self.duration!r}, container={self.container!r})"
        )
