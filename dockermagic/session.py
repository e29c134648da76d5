"""Per-kernel state shared by every command: the engine, settings, labels.

The magics own one ``Session``; actions read settings from it rather than
from IPython, so that they can be driven from plain Python and tests.
"""
from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from .engine.client import Engine

# Every object a kernel creates carries this label, so it can be found again.
SESSION_LABEL = "dockermagic.session"
# What the user made temporary (--rm, foreground runs, terminals) carries this one too,
# so that clean-up can tell it from what the CLI would leave behind.
TEMPORARY_LABEL = "dockermagic.temporary"


@dataclass
class Settings:
    publish_host: str = "127.0.0.1"
    labels: dict = field(default_factory=dict)
    build_context_limit: int = 100 * 1000 * 1000
    wait_timeout: float = 120.0
    short_errors: bool = True


@dataclass
class Session:
    engine: Engine = field(default_factory=Engine)
    settings: Settings = field(default_factory=Settings)
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    # Where streamed output goes; the magics leave these as sys.stdout/stderr,
    # which ipykernel routes into the running cell.
    out: Callable[[str], Any] = field(default=lambda s: (sys.stdout.write(s), sys.stdout.flush()))
    err: Callable[[str], Any] = field(default=lambda s: (sys.stderr.write(s), sys.stderr.flush()))
    display: Callable[[Any], Any] | None = None

    @property
    def client(self):
        return self.engine.get()

    @property
    def api(self):
        return self.engine.get().api

    def labels(self, extra: dict | None = None, *, temporary: bool = False) -> dict:
        """Labels for anything this kernel creates: session id, configured, the user's own."""
        merged = {SESSION_LABEL: self.session_id}
        if temporary:
            merged[TEMPORARY_LABEL] = "1"
        merged.update(self.settings.labels or {})
        merged.update(extra or {})
        return merged
