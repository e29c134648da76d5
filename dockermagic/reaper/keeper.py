"""The kernel's side of clean-up: one watchdog per engine, started on the first creation.

Nothing starts at ``%load_ext``: ``Session.on_create`` calls ``ensure`` when
labels are first made for something new. The kernel holds the only write end
of each watchdog's pipe; closing it (``close``, at ``%unload_ext``) has the
same effect as the kernel's death, so unloading cleans up as shutting down does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import EXEC, IMAGE, MODE, Mode, message

if TYPE_CHECKING:  # imported at the first spawn: %load_ext stays light
    import subprocess


@dataclass
class Watchdog:
    """One running ``python -m dockermagic.reaper`` and the write end of its pipe."""

    process: subprocess.Popen[bytes]

    def send(self, data: bytes) -> bool:
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(data)
            self.process.stdin.flush()
            return True
        except (BrokenPipeError, ValueError, OSError):  # it died (killed by hand): a new one starts
            return False

    def close(self, wait: float) -> None:
        import subprocess

        try:
            assert self.process.stdin is not None
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(wait)
        except subprocess.TimeoutExpired:  # still sweeping a slow engine: it ends by itself
            pass


@dataclass
class Keeper:
    """The watchdogs of one session, by engine address, and what they need to know.

    Callable: it is the session's ``on_create`` hook.
    """

    session_id: str
    base_url: Callable[[], str | None]  # the configured address (None: the environment's)
    mode: Mode = Mode.TEMPORARY
    # Variables a watchdog's environment must add to the kernel's to reach the same engine: the
    # docker context in use (DOCKER_CONTEXT), which ``context use`` may change later.
    pinned: Callable[[], dict[str, str]] = dict
    watchdogs: dict[tuple[str | None, tuple[tuple[str, str], ...]], Watchdog] = field(default_factory=dict)
    built: list[str] = field(default_factory=list)
    created: bool = False

    def __call__(self) -> None:
        self.ensure()

    def ensure(self) -> None:
        """A watchdog for the current engine, unless the mode is none."""
        self.created = True
        if self.mode is Mode.NONE:
            return
        base_url, pinned = self.base_url(), self.pinned()
        key = (base_url, tuple(sorted(pinned.items())))
        running = self.watchdogs.get(key)
        if running is not None and running.process.poll() is None:
            return
        self.watchdogs[key] = watchdog = self._spawn(base_url, pinned)
        for image_id in self.built:
            watchdog.send(message(IMAGE, image_id))

    def _spawn(self, base_url: str | None, pinned: dict[str, str]) -> Watchdog:
        import subprocess

        argv = [
            sys.executable,
            "-m",
            "dockermagic.reaper",
            "--session",
            self.session_id,
            "--mode",
            self.mode.value,
        ]
        if base_url:
            argv += ["--engine", base_url]
        # Its own session: a signal to the kernel's process group (SIGINT, a kill of the group)
        # does not reach it. No stdout/stderr of the kernel's: whoever reads those would wait for it.
        process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=os.path.abspath(os.sep),
            env={**os.environ, **pinned},
            start_new_session=True,
        )
        return Watchdog(process)

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        for watchdog in self.watchdogs.values():
            watchdog.send(message(MODE, mode.value))
        if self.created:  # made under "none": watched from now on
            self.ensure()

    def noticed(self, spec: Any, result: Any) -> None:
        """Remember an image the kernel built, committed or imported (images carry no session label)."""
        from ..commands.build import BuildSpec
        from ..commands.containers import CommitSpec
        from ..commands.export_import import ImportSpec
        from ..objects.image import Image

        if not (isinstance(spec, (BuildSpec, CommitSpec, ImportSpec)) and isinstance(result, Image)):
            return
        self.image_built(result.id)

    def image_built(self, image_id: str) -> None:
        """Remember an image made by this kernel (the session's ``on_image`` hook, e.g. compose's builds)."""
        self.built.append(image_id)
        self.ensure()
        for watchdog in self.watchdogs.values():
            watchdog.send(message(IMAGE, image_id))

    def exec_started(self, container_id: str, exec_id: str) -> None:
        """A ``%dexec`` process: stopped by the watchdog if the kernel dies while it runs."""
        self.ensure()
        for watchdog in self.watchdogs.values():
            watchdog.send(message(EXEC, f"{container_id} {exec_id}"))

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self.watchdogs.values() if w.process.poll() is None]

    def close(self, wait: float = 15.0) -> None:
        """End every watchdog as the kernel's death would: each sweeps by the mode, then exits."""
        watchdogs, self.watchdogs = list(self.watchdogs.values()), {}
        for watchdog in watchdogs:
            watchdog.close(wait)


def exec_started(session: Any, container_id: str, exec_id: str) -> None:
    """Tell the session's watchdog about an exec process (nothing when clean-up is not set up)."""
    keeper = session.on_create
    if isinstance(keeper, Keeper):
        keeper.exec_started(container_id, exec_id)
