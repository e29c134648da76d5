"""Reading a container's logs in batches of lines, following them for as long as asked.

``GET /containers/{id}/logs`` answers with chunked HTTP whose body is the
engine's frames (an 8-byte header per write, or raw bytes for a TTY), one
chunk per log line. Reading that through urllib3 and a frame at a time costs
more than the CLI takes in all, so the connection's buffered reader is read
directly, whatever is available at once (a followed quiet container still
shows each line when it comes), and both framings are undone over whole
blocks: lines reach the caller as lists, one per stream and block.

Bytes become lines with an incremental decoder; an over-long line without a
newline is cut, so memory stays bounded whatever the container prints. No
read timeout: a quiet container must not break ``-f``.
"""

from __future__ import annotations

import codecs
import struct
from collections.abc import Callable, Iterable, Iterator
from http.client import IncompleteRead
from itertools import repeat
from operator import itemgetter
from typing import Any

from ..errors import DockerMagicError, EngineUnavailable
from .containers import inspect
from .errors import call
from .streams import EngineWatch, close_quietly

MAX_LINE = 64 * 1024
BLOCK = 1 << 18
STDOUT, STDERR = 1, 2

Batch = tuple[int, list[str]]

# a frame's pieces, taken by map() over a block's frames: a loop in C, not a bytecode loop per line
_STREAM_BYTE, _PAYLOAD = itemgetter(0), itemgetter(slice(8, None))
_SIZE_FIELD = struct.Struct(">4xL").unpack_from  # (payload size,) from the 8-byte header


class Lines:
    """Turns chunks of one stream into complete lines."""

    def __init__(self) -> None:
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.partial = ""

    def feed(self, data: bytes, final: bool = False) -> list[str]:
        text = self.partial + self.decoder.decode(data, final)
        done = text.split("\n")
        self.partial = done.pop()
        if "\r" in text:
            done = [line.rstrip("\r") for line in done]
        while len(self.partial) > MAX_LINE:  # bounded, even for output with no newline
            done.append(self.partial[:MAX_LINE])
            self.partial = self.partial[MAX_LINE:]
        if final and self.partial:
            done.append(self.partial)
            self.partial = ""
        return done


def log_batches(
    api: Any,
    container: str,
    follow: bool = False,
    tail: str = "all",
    since: str | None = None,
    until: str | None = None,
    timestamps: bool = False,
    details: bool = False,
    on_open: Callable[[Callable[[], None]], Any] | None = None,
) -> Iterator[Batch]:
    """Yield ``(stream, lines)`` until the logs end (or, with ``follow``, the container stops).

    ``since``/``until`` are unix seconds as strings. A generator that always
    closes its connection, including on KeyboardInterrupt or when the caller
    stops iterating. ``on_open`` receives a function that ends the stream from another thread
    (one generator per container, read in threads: an interrupt must stop them all).
    """
    doc = inspect(api, container)
    tty = bool(doc["Config"].get("Tty"))
    params: dict[str, Any] = {
        "stdout": 1,
        "stderr": 1,
        "follow": int(follow),
        "timestamps": int(timestamps),
        "tail": tail,
    }
    if since:
        params["since"] = since
    if until:
        params["until"] = until
    if details:  # each line after the attributes its log driver was told to add (--log-opt labels=...)
        params["details"] = 1
    response, close = open_logs(api, "/containers/{0}/logs", doc["Id"], params, on_open)
    splitters = {STDOUT: Lines(), STDERR: Lines()}
    # a followed stream also ends when the engine stops or dies: the watch says so in one
    # line rather than taking a dead engine for a stopped container
    watch = EngineWatch(close) if follow else None
    try:
        if watch is not None:
            watch.__enter__()
        try:
            body = _body(response)
            framed = ((STDOUT, b"".join(parts)) for parts in body) if tty else _demux(body)
            for stream, data in framed:
                lines = splitters[stream].feed(data)
                if lines:
                    yield stream, lines
        except Exception:
            if watch is not None:
                watch.check()
            raise
        if watch is not None:
            watch.check()
        for stream, splitter in splitters.items():
            lines = splitter.feed(b"", final=True)
            if lines:
                yield stream, lines
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


def open_logs(
    api: Any, path: str, ref: str, params: dict[str, Any], on_open: Callable[[Callable[[], None]], Any] | None
) -> tuple[Any, Callable[[], None]]:
    """``GET path`` (a container's, a service's or a task's logs, ``{0}`` for ``ref``) with no read
    timeout, as the response and the function that ends it from another thread (also given to
    ``on_open``, when there is one). Its body is read with ``_body`` and ``_demux``."""
    response = call(api._get, api._url(path, ref), params=params, stream=True, timeout=None)
    call(api._raise_for_status, response)
    sock = api._get_raw_response_socket(response)
    api._disable_socket_timeout(sock)

    def close() -> None:
        close_quietly(sock)

    if on_open is not None:
        on_open(close)
    return response, close


def _body(response: Any) -> Iterator[list[bytes]]:
    """The response body as it arrives, in lists of pieces (the chunks, chunked transfer undone)."""
    reader = response.raw._fp.fp  # http.client's buffered reader: nothing of the body read yet
    if response.headers.get("Transfer-Encoding", "").lower() != "chunked":
        left = int(response.headers.get("Content-Length", -1))  # -1: until the engine closes
        while left and (block := reader.read1(BLOCK if left < 0 else min(left, BLOCK))):
            left -= len(block) if left > 0 else 0
            yield [block]
        if left > 0:
            raise IncompleteRead(b"", left)  # closed before the length it announced
        return
    pending = b""
    while True:
        data = reader.read1(BLOCK)
        if not data:
            # closed before the last chunk: the engine broke the stream off (it may still
            # answer for a moment while it goes), which the error mapping says in one line
            raise IncompleteRead(pending)
        buf = pending + data if pending else data
        parts, pos, last = _chunks(buf)
        pending = buf[pos:]
        if parts:
            yield parts
        if last:
            return


def _chunks(buf: bytes) -> tuple[list[bytes], int, bool]:
    """The complete chunks at the start of ``buf``: (payloads, bytes used, whether the last chunk came).

    One log line is one chunk, so a loop per chunk is what costs: the block is
    split on CRLF in one call, and the split is kept only if every size line
    matches the payload after it (exactly the chunk framing); a payload holding
    a CRLF fails that check and the block is read chunk by chunk instead.
    """
    items = buf.split(b"\r\n")
    pairs = (len(items) - 1) // 2  # a size line and a payload, each followed by CRLF
    heads = items[0 : 2 * pairs : 2]
    try:
        sizes = list(map(int, heads, repeat(16)))
    except ValueError:
        sizes = None
    payloads = items[1 : 2 * pairs : 2]
    if sizes is None or list(map(len, payloads)) != sizes:
        return _chunks_one_by_one(buf)
    if 0 in sizes:
        n = sizes.index(0)
        return payloads[:n], 0, True
    used = sum(sizes) + sum(map(len, heads)) + 4 * pairs
    return payloads, used, False


def _chunks_one_by_one(buf: bytes) -> tuple[list[bytes], int, bool]:
    pos, end, parts = 0, len(buf), list[bytes]()
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            return parts, pos, False
        size = int(buf[pos:eol].split(b";", 1)[0], 16)
        if size == 0:
            return parts, pos, True
        start = eol + 2
        if start + size + 2 > end:
            return parts, pos, False
        parts.append(buf[start : start + size])
        pos = start + size + 2


def _demux(pieces: Iterable[list[bytes]]) -> Iterator[tuple[int, bytes]]:
    """(stream, bytes) from the engine's multiplexed frames, consecutive frames of a stream joined.

    The engine writes a frame per chunk: when each piece is exactly one frame
    (checked), the payloads are taken in one pass; otherwise the frames are
    read across the joined pieces.
    """
    pending = b""
    for parts in pieces:
        if not pending and parts and min(map(len, parts)) >= 8:
            payloads = list(map(_PAYLOAD, parts))
            if list(map(_SIZE_FIELD, parts)) == list(zip(map(len, payloads))):
                yield from _runs(list(map(_STREAM_BYTE, parts)), payloads)
                continue
        buf = pending + b"".join(parts)
        pos, end = 0, len(buf)
        streams, payloads = [], []
        while pos + 8 <= end:
            size = int.from_bytes(buf[pos + 4 : pos + 8], "big")
            if pos + 8 + size > end:
                break
            streams.append(buf[pos])
            payloads.append(buf[pos + 8 : pos + 8 + size])
            pos += 8 + size
        pending = buf[pos:]
        yield from _runs(streams, payloads)


def _runs(streams: list[int], payloads: list[bytes]) -> Iterator[tuple[int, bytes]]:
    """Payloads joined per run of one stream (stdin's and unknown numbers read as stdout)."""
    if not payloads:
        return
    if STDERR not in streams:
        yield STDOUT, b"".join(payloads)
        return
    if all(s == STDERR for s in streams):
        yield STDERR, b"".join(payloads)
        return
    start = 0
    for i in range(1, len(streams) + 1):
        if i == len(streams) or (streams[i] == STDERR) != (streams[start] == STDERR):
            yield (STDERR if streams[start] == STDERR else STDOUT), b"".join(payloads[start:i])
            start = i


def collect(
    batches: Iterable[Batch], buffer: Any, on_batch: Callable[[int, list[str]], Any] | None = None
) -> str:
    """Feed ``batches`` into ``buffer``; returns how it ended: "ended" or "interrupted".

    ``on_batch`` (optional) is called after each batch, e.g. a throttled display
    update. Ctrl-C stops following and is not re-raised: the caller returns
    the view with what was collected.
    """
    try:
        for stream, lines in batches:
            buffer.extend(stream, lines)
            if on_batch is not None:
                on_batch(stream, lines)
    except KeyboardInterrupt:
        return "interrupted"
    finally:
        close = getattr(batches, "close", None)
        if close is not None:
            close()
    return "ended"
