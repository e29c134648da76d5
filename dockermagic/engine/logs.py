"""Reading a container's logs as lines, following them for as long as asked.

The logs endpoint is read as a raw socket with no read timeout (a quiet
container must not break ``-f``), frame by frame; bytes become lines per
stream with an incremental decoder, and an over-long line without a newline
is cut so that memory stays bounded whatever the container prints.
"""
from __future__ import annotations

import codecs
import re
import struct
import time
from datetime import datetime

from ..errors import CommandError, DockerMagicError, EngineUnavailable
from .containers import call, inspect
from .streams import EngineWatch, close_quietly

MAX_LINE = 64 * 1024
_RELATIVE = re.compile(r"^(\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$")


def timestamp(value: str, now: float | None = None) -> str:
    """``--since``/``--until`` as the API wants them: unix seconds (string).

    Accepts a relative duration (``42m``, ``1h30m``), unix seconds, or an
    RFC 3339 date/time (``2024-01-02``, ``2024-01-02T15:04:05Z``).
    """
    from ..parsing.units import duration_ns

    now = time.time() if now is None else now
    text = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return text
    if _RELATIVE.match(text):
        return f"{now - duration_ns(text) / 1e9:.9f}"
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CommandError(f"invalid time {value!r}: use e.g. 42m, 2h, a unix time or 2024-01-02T15:04:05Z") from None
    if when.tzinfo is None:
        when = when.astimezone()
    return f"{when.timestamp():.9f}"


class Lines:
    """Turns chunks of one stream into complete lines."""

    def __init__(self):
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.partial = ""

    def feed(self, data: bytes, final: bool = False):
        text = self.partial + self.decoder.decode(data, final)
        *done, self.partial = text.split("\n")
        for line in done:
            yield line.rstrip("\r")
        while len(self.partial) > MAX_LINE:  # bounded, even for output with no newline
            yield self.partial[:MAX_LINE]
            self.partial = self.partial[MAX_LINE:]
        if final and self.partial:
            yield self.partial
            self.partial = ""


def log_lines(api, container: str, follow: bool = False, tail: str = "all", since: str | None = None,
              until: str | None = None, timestamps: bool = False):
    """Yield ``(stream, line)`` until the logs end (or, with ``follow``, the container stops).

    A generator that always closes its connection, including on
    KeyboardInterrupt or when the caller stops iterating.
    """
    doc = inspect(api, container)
    tty = bool(doc["Config"].get("Tty"))
    params = {"stdout": 1, "stderr": 1, "follow": int(follow), "timestamps": int(timestamps), "tail": tail}
    if since:
        params["since"] = timestamp(since)
    if until:
        params["until"] = timestamp(until)
    response = call(api._get, api._url("/containers/{0}/logs", doc["Id"]), params=params, stream=True,
                    timeout=None)
    call(api._raise_for_status, response)
    # the body is chunked HTTP: read frames through urllib3 (which undoes the chunking), no timeout
    sock = api._get_raw_response_socket(response)
    api._disable_socket_timeout(sock)
    splitters = {1: Lines(), 2: Lines()}
    # a followed stream also ends when the engine stops or dies: the watch says so in one
    # line rather than taking a dead engine for a stopped container
    watch = EngineWatch(lambda: close_quietly(sock)) if follow else None
    try:
        if watch is not None:
            watch.__enter__()
        try:
            for stream, data in _frames(response, tty):
                yield from ((stream, line) for line in splitters.setdefault(stream, Lines()).feed(data))
        except Exception:
            if watch is not None:
                watch.check()
            raise
        if watch is not None:
            watch.check()
        for stream, splitter in splitters.items():
            yield from ((stream, line) for line in splitter.feed(b"", final=True))
    finally:
        if watch is not None:
            watch.__exit__(None, None, None)
        response.close()
    if follow:
        # an engine that cannot be probed (ssh://) is asked instead
        try:
            inspect(api, container)
        except EngineUnavailable:
            raise
        except DockerMagicError:
            pass  # gone with --rm, or any answer at all: the engine is alive


def _frames(response, tty: bool):
    """(stream, bytes) from a logs response: 8-byte headers + payloads, or raw bytes for a TTY."""
    if tty:
        for chunk in response.iter_content(chunk_size=None):
            yield 1, chunk
        return
    raw = response.raw
    while True:
        header = raw.read(8)
        if len(header) < 8:
            return
        stream, length = header[0], struct.unpack(">L", header[4:8])[0]
        data = raw.read(length) if length else b""
        if length and not data:
            return
        yield (2 if stream == 2 else 1), data


def collect(lines, buffer, on_line=None) -> str:
    """Feed ``lines`` into ``buffer``; returns how it ended: "ended" or "interrupted".

    ``on_line`` (optional) is called after each line, e.g. a throttled display
    update. Ctrl-C stops following and is not re-raised: the caller returns
    the view with what was collected.
    """
    try:
        for stream, line in lines:
            buffer.add(stream, line)
            if on_line is not None:
                on_line(stream, line)
    except KeyboardInterrupt:
        return "interrupted"
    finally:
        close = getattr(lines, "close", None)
        if close is not None:
            close()
    return "ended"
