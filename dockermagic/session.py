"""Per-kernel state shared by every command: the engine, settings, labels.

The magics own one ``Session``; actions read settings from it rather than
from IPython, so that they can be driven from plain Python and tests.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .engine.client import Engine

# Every object a kernel creates carries this label, so it can be found again.
SESSION_LABEL = "dockermagic.session"
# What the user made temporary (--rm, foreground runs, terminals) carries this one too,
# so that clean-up can tell it from what the CLI would leave behind.
TEMPORARY_LABEL = "dockermagic.temporary"
# The notebook the kernel serves, so that a restarted kernel can find what it left running.
NOTEBOOK_LABEL = "dockermagic.notebook-id"


def notebook_identity() -> str:
    """The server's notebook path (``JPY_SESSION_NAME``), else the kernel's id, else this process."""
    if os.environ.get("JPY_SESSION_NAME"):
        return os.environ["JPY_SESSION_NAME"]
    if "ipykernel" in sys.modules:  # in a kernel (never imported here: loading stays light)
        try:  # a kernel keeps its connection file (kernel-ID.json) across restarts
            from ipykernel.connect import get_connection_file

            return os.path.basename(get_connection_file()).removesuffix(".json")
        except Exception:  # ipykernel imported by something that is not a kernel
            pass
    return f"process-{os.getpid()}"


@dataclass
class Settings:
    publish_host: str = "127.0.0.1"
    labels: dict = field(default_factory=dict)
    build_context_limit: int = 100 * 1000 * 1000
    wait_timeout: float = 120.0
    short_errors: bool = True
    builder: str = "auto"  # BuildKit where the engine has it, else classic; or "buildkit", "classic"


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
    notebook: str = field(default_factory=notebook_identity)
    # Called whenever labels are made for something new (the clean-up watchdog starts then).
    on_create: Callable[[], Any] | None = None
    # Called with the id of an image built here outside %docker build and %%dockerfile (a compose
    # service's build): images carry no session label, so the clean-up keeper records them.
    on_image: Callable[[str], Any] | None = None

    @property
    def client(self):
        return self.engine.get()

    @property
    def api(self):
        return self.engine.get().api

    def image_built(self, image_id: str) -> None:
        if self.on_image is not None:
            self.on_image(image_id)

    def labels(self, extra: dict | None = None, *, temporary: bool = False) -> dict:
        """Labels for anything this kernel creates: session id, configured, the user's own."""
        if self.on_create is not None:
            self.on_create()
        merged = {SESSION_LABEL: self.session_id, NOTEBOOK_LABEL: self.notebook}
        if temporary:
            merged[TEMPORARY_LABEL] = "1"
        merged.update(self.settings.labels or {})
        merged.update(extra or {})
        return merged
