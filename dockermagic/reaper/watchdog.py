"""The watchdog process: read the kernel's pipe until it closes, then sweep and exit.

Started by ``keeper.Keeper`` as ``python -m dockermagic.reaper``. It holds no
engine connection while it waits (an ssh engine costs nothing meanwhile) and
connects the way the kernel does: the same ``base_url`` when one was
configured, else the same environment (``DOCKER_HOST``, TLS settings, the
docker context), which it inherits.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import BinaryIO

from ..engine import labelled
from ..engine.client import Engine
from ..engine.exec import stop_exec
from ..errors import EngineUnavailable
from ..session import SESSION_LABEL
from .model import EXEC, IMAGE, MODE, Mode, read_message
from .plan import doomed

# A create the kernel sent just before it died can land after the first sweep.
SECOND_SWEEP_AFTER = 1.0
# How long an engine that does not answer is waited for (it may be restarting) before giving up.
ENGINE_PATIENCE = 60.0


@dataclass
class Heard:
    """What the kernel said before its end: the last mode, the images it built, its exec processes."""

    mode: Mode
    built: set[str] = field(default_factory=set)
    execs: dict[str, str] = field(default_factory=dict)  # exec id -> container id


def listen(pipe: BinaryIO, mode: Mode) -> Heard:
    """Follow the kernel's messages until end of file."""
    heard = Heard(mode)
    for line in pipe:
        found = read_message(line)
        if found is None:
            continue
        kind, value = found
        if kind == MODE:
            heard.mode = Mode(value)
        elif kind == IMAGE:
            heard.built.add(value)
        elif kind == EXEC:
            container_id, exec_id = value.split()
            heard.execs[exec_id] = container_id
    return heard


def stop_execs(api: object, execs: dict[str, str]) -> None:
    """Stop the kernel's exec processes still running, all at once (each may wait out a grace period)."""
    threads = [
        threading.Thread(target=stop_exec, args=(api, exec_id, container_id), daemon=True)
        for exec_id, container_id in execs.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(ENGINE_PATIENCE)


def sweep(api: object, session_id: str, mode: Mode, built: frozenset[str]) -> None:
    """Remove what ``mode`` says of the session's objects."""
    items = labelled.everything(api, {SESSION_LABEL: session_id})
    items += [i for i in (labelled.image(api, image_id) for image_id in built) if i is not None]
    for item in doomed(items, mode, session_id, built):
        try:
            labelled.remove(api, item)
        except EngineUnavailable:
            raise
        except Exception:  # in use by something that is not the session's: leave it
            continue


def clean(engine: Engine, session_id: str, heard: Heard) -> None:
    if heard.mode is Mode.NONE:
        return
    deadline = time.monotonic() + ENGINE_PATIENCE
    passes = 0
    while passes < 2:
        try:
            sweep(engine.api, session_id, heard.mode, frozenset(heard.built))
            if passes == 0:  # after the sweep: a process that ignores SIGTERM delays nothing else
                stop_execs(engine.api, heard.execs)
        except EngineUnavailable:
            if time.monotonic() > deadline:
                return
            engine.reset(engine.base_url)
            time.sleep(1.0)
            continue
        passes += 1
        if passes < 2:
            time.sleep(SECOND_SWEEP_AFTER)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dockermagic.reaper")
    parser.add_argument("--session", required=True, help="the kernel's session id (label value)")
    parser.add_argument("--mode", default=Mode.TEMPORARY.value, choices=[m.value for m in Mode])
    parser.add_argument("--engine", default=None, help="base_url, when the kernel had one configured")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per engine request")
    args = parser.parse_args(argv)
    # The kernel's Ctrl-C and its terminal's hang-up are not ours.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    labelled.preload()  # now, so that the sweep does not wait for the SDK's import

    heard = listen(sys.stdin.buffer, Mode(args.mode))
    engine = Engine(args.engine, ping_timeout=args.timeout, timeout=args.timeout)
    try:
        clean(engine, args.session, heard)
    finally:
        engine.reset()
    return 0
