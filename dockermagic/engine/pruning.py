"""The engine runs one prune of a kind at a time: a second one, anyone's, is refused with 409 "a prune
operation is already running". A prune waits for the other to finish instead of failing (and a
system prune instead of stopping halfway, with part of its report lost)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import EngineError

T = TypeVar("T")

BUSY = "a prune operation is already running"
# GET /system/df counts for one caller at a time too, and refuses the others (with a 500)
DF_BUSY = "a disk usage operation is already running"
WAIT_SECONDS = 30.0


def when_free(prune: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``prune(*args, **kwargs)``, again every 0.2 s while another prune (or disk usage count) holds
    the engine's lock."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            return prune(*args, **kwargs)
        except EngineError as exc:
            if not (BUSY in str(exc) or DF_BUSY in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)
