"""A stream from the engine written to a file of this machine (``save -o``, ``export -o``)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable

from ..views.base import Text, human_size


def write_stream(session, stream: Iterable[bytes], output: str) -> Text:
    """``stream`` written to ``output`` through a ``.part`` file, so that a file that is there is whole."""
    path = os.path.abspath(output)
    tmp, done, reported = path + ".part", 0, time.monotonic()
    try:
        with open(tmp, "wb") as f:
            for chunk in stream:
                f.write(chunk)
                done += len(chunk)
                if time.monotonic() - reported > 1:  # a line a second, not one per chunk
                    session.out(f"\rwritten {human_size(done)}")
                    reported = time.monotonic()
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    session.out(f"\rwritten {human_size(done)} to {output}\n")
    return Text(output)
