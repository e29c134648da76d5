"""``GET /events``: the engine's events as they happen, one dict each.

The stream has no read timeout (an engine can be quiet for hours); a dead
engine is noticed by ``EngineWatch`` instead, which closes the stream so
that the read blocked on it wakes up and says so in one line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Mapping, Sequence
from typing import Any

from .errors import call, explained
from .streams import EngineWatch, close_quietly


def stream(
    api: Any,
    since: str | None = None,
    until: str | None = None,
    filters: Mapping[str, Sequence[str]] | None = None,
    on_open: Callable[[Callable[[], None]], Any] | None = None,
) -> Generator[dict[str, Any], None, None]:
    """Each event as the engine sends it, until ``until`` passes (the engine then ends the
    stream) or the caller stops iterating; the connection is closed in every case. ``on_open``
    receives a function that ends the stream from another thread."""
    params: dict[str, Any] = {}
    if since:
        params["since"] = since
    if until:
        params["until"] = until
    if filters:
        params["filters"] = json.dumps({key: list(values) for key, values in filters.items()})
    response = call(api._get, api._url("/events"), params=params, stream=True, timeout=None)
    call(api._raise_for_status, response)
    watch = EngineWatch(response.close)
    if on_open is not None:  # a shut-down socket wakes a read blocked in another thread
        sock = api._get_raw_response_socket(response)
        on_open(lambda: close_quietly(sock))
    try:
        with watch, explained():
            try:
                # each event as its chunk arrives (requests' iter_lines would wait for 512 bytes)
                pending = b""
                for chunk in api._stream_helper(response, decode=False):
                    *lines, pending = (pending + chunk).split(b"\n")
                    for line in lines:
                        if line.strip():
                            yield json.loads(line)
            except Exception:
                watch.check()
                raise
            watch.check()
    finally:
        response.close()
