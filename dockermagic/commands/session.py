"""``session [rm] [--notebook]``: what this kernel (or this notebook) created on the engine."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CommandError
from .grammar import Parsed, Positional, flag
from .registry import command


@dataclass(frozen=True)
class SessionSpec:
    """List what the kernel created (``notebook``: what any kernel of this notebook created)."""

    notebook: bool = False


@dataclass(frozen=True)
class SessionRmSpec:
    """Remove it all, whatever the clean-up mode."""

    notebook: bool = False


@command(
    "session",
    "(dockermagic) List what this kernel created, or remove it all with 'session rm'",
    [
        flag(
            "--notebook",
            help="Everything this notebook's kernels created, earlier ones too (after a restart)",
        )
    ],
    [Positional("rm", required=False)],
)
def session(p: Parsed) -> SessionSpec | SessionRmSpec:
    if p.rm is None:
        return SessionSpec(p.notebook)
    if p.rm == "rm":
        return SessionRmSpec(p.notebook)
    raise CommandError(f"unknown argument {p.rm!r}: use '%docker session' or '%docker session rm'.")
