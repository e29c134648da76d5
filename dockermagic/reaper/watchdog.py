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
import time
from typing import BinaryIO

from ..engine import labelled
from ..engine.client import Engine
from ..errors import EngineUnavailable
from ..session import SESSION_LABEL
from .model import IMAGE, MODE, Mode, read_message
from .plan import doomed

# A create the kernel sent just before it died can land after the first sweep.
SECOND_SWEEP_AFTER = 1.0
# How long an engine that does not answer is waited for (it may be restarting) before giving up.
ENGINE_PATIENCE = 60.0


def listen(pipe: BinaryIO, mode: Mode) -> tuple[Mode, frozenset[str]]:
    """Follow the kernel's messages until end of file: the last mode and the images it built."""
    built: set[str] = set()
    for line in pipe:
        found = read_message(line)
        if found is None:
            continue
        kind, value = found
        if kind == MODE:
            mode = Mode(value)
        elif kind == IMAGE:
            built.add(value)
    return mode, frozenset(built)


def sweep(api: object, session_id: str, mode: Mode, built: frozenset[str]) -> int:
    """Remove what ``mode`` says of the session's objects; return how many went."""
    items = labelled.everything(api, {SESSION_LABEL: session_id})
    items += [i for i in (labelled.image(api, image_id) for image_id in built) if i is not None]
    removed = 0
    for item in doomed(items, mode, session_id, built):
        try:
            removed += labelled.remove(api, item)
        except EngineUnavailable:
            raise
        except Exception:  # in use by something that is not the session's: leave it
            continue
    return removed


def clean(engine: Engine, session_id: str, mode: Mode, built: frozenset[str]) -> None:
    if mode is Mode.NONE:
        return
    deadline = time.monotonic() + ENGINE_PATIENCE
    passes = 0
    while passes < 2:
        try:
            sweep(engine.api, session_id, mode, built)
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

    mode, built = listen(sys.stdin.buffer, Mode(args.mode))
    engine = Engine(args.engine, ping_timeout=args.timeout, timeout=args.timeout)
    try:
        clean(engine, args.session, mode, built)
    finally:
        engine.reset()
    return 0
