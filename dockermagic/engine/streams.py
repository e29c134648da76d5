"""Attach sockets and their frames, with no read timeout and a guaranteed close.

The docker SDK's ``attach(stream=True)`` reads under the client's request
timeout, so a container that is quiet for two minutes would break the stream;
here the raw socket is read with no timeout, frame by frame.

A stream with no read timeout needs another way to notice a dead engine: a
stopping dockerd (SIGTERM) removes its socket at once but keeps open streams
going while it stops its containers (10 s by default), and a killed one
(SIGKILL) just closes them. ``EngineWatch`` tries a fresh connection every
half second while a stream runs and, once none is taken, closes the stream so
that the reader wakes up and says so in one line.
"""

from __future__ import annotations

import codecs
import select
import socket as _socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from .errors import current, engine_went_away

STDOUT, STDERR = 1, 2


def raw_socket(sock: Any) -> Any:
    """The real socket under the SDK's socket-like object (SocketIO, TLS...).

    The one place that reads the private ``_sock``: a read with no timeout and a
    half-close (end of input) need the socket itself, which ``SocketIO`` does not
    expose. An ssh channel has no ``_sock`` and is used as it is.
    """
    return getattr(sock, "_sock", sock)


class Channel:
    """A hijacked attach or exec connection as bytes in and out, with no read timeout.

    Callers above the engine layer use this and never a socket: ``recv``,
    ``send``, ``end_input`` (the container's stdin reads end of file), ``close``.
    """

    def __init__(self, sock: Any):
        self.sock = sock
        self.raw = raw_socket(sock)
        self.set_timeout(None)

    def set_timeout(self, seconds: float | None) -> None:
        try:
            self.raw.settimeout(seconds)
        except (AttributeError, OSError):
            pass

    def recv(self, size: int = 65536) -> bytes:
        """The next bytes; b"" at the end (or once closed). A timeout set with ``set_timeout`` raises."""
        try:
            data: bytes = self.raw.recv(size)
        except TimeoutError:
            raise
        except OSError:
            return b""
        return data

    def send(self, data: bytes) -> None:
        self.raw.sendall(data)

    def end_input(self) -> None:
        end_input(self.sock)

    def close(self) -> None:
        close_quietly(self.sock)


class Demuxer:
    """Splits the engine's multiplexed stream as bytes arrive: each frame is an 8-byte header
    (stream number, three zero bytes, big-endian payload size) and its payload. A TTY's
    stream is not multiplexed: everything is stdout."""

    def __init__(self, tty: bool):
        self.tty = tty
        self.pending = bytearray()

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        if self.tty:
            return [(STDOUT, data)] if data else []
        self.pending += data
        frames = []
        while len(self.pending) >= 8:
            size = int.from_bytes(self.pending[4:8], "big")
            if len(self.pending) < 8 + size:
                break
            stream = STDERR if self.pending[0] >= STDERR else STDOUT  # 3: the engine's own error
            frames.append((stream, bytes(self.pending[8 : 8 + size])))
            del self.pending[: 8 + size]
        return frames


@contextmanager
def attached(
    api: Any, container_id: str, stdin: bool = False, stdout: bool = True, stderr: bool = True
) -> Iterator[Any]:
    """An attach socket to ``container_id``'s streams named (``run -a``: the others are not sent)."""
    params = {"stdout": int(stdout), "stderr": int(stderr), "stream": 1, "stdin": int(stdin), "logs": 0}
    sock = api.attach_socket(container_id, params=params)
    raw = raw_socket(sock)
    try:
        raw.settimeout(None)
    except (AttributeError, OSError):
        pass
    try:
        yield sock
    finally:
        close_quietly(sock)


def end_input(sock: Any) -> None:
    """End of input (the container's stdin reads end of file); the connection is still read.

    A plain socket shuts its write side down. Python's ssl has no half-close: a shutdown
    would drop the TLS layer under the reader, which then reads ciphertext. So a TLS
    connection sends its close_notify (OpenSSL's first shutdown step, on a non-blocking
    socket so that it does not wait for the engine's) and reading goes on until the engine's
    own close_notify ends the stream, as the CLI's CloseWrite does.
    """
    raw = raw_socket(sock)
    tls = getattr(raw, "_sslobj", None)  # the stdlib's TLS state of an SSLSocket
    if tls is None:
        raw.shutdown(_socket.SHUT_WR)
        return
    timeout = raw.gettimeout()
    raw.settimeout(0)
    try:
        for _ in range(50):
            try:
                tls.shutdown()
                return
            except ssl.SSLWantReadError:
                return  # close_notify sent; the engine's comes at the end of the stream
            except ssl.SSLWantWriteError:
                select.select([], [raw], [], 0.1)  # a full send buffer: the alert goes once it drains
    finally:
        raw.settimeout(timeout)


def close_quietly(sock: Any) -> None:
    raw = raw_socket(sock)  # None once closed (from another thread, by EngineWatch)
    actions: tuple[Callable[[], object], ...] = (
        lambda: raw.shutdown(_socket.SHUT_RDWR),
        lambda: raw.close(),
        lambda: sock.close(),
    )
    for action in actions:
        try:
            action()
        except Exception:
            pass


def frames(sock: Any, tty: bool) -> Iterator[tuple[int, bytes]]:
    """(stream, bytes) pairs until EOF: multiplexed frames, or raw bytes for a TTY."""
    from docker.utils.socket import frames_iter

    try:
        for stream, data in frames_iter(sock, tty):
            yield (STDOUT if tty else stream), data
    except ssl.SSLZeroReturnError:  # the engine's close_notify after ours: TLS's end of stream
        return


class Collector:
    """Decodes chunks as they come, passes them on, and keeps a bounded copy."""

    def __init__(self, sink: Callable[[str], object] | None, keep: int = 8 * 1024 * 1024):
        self.sink = sink
        self.keep = keep
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.parts: list[str] = []
        self.size = 0
        self.dropped = 0

    def feed(self, data: bytes, final: bool = False) -> None:
        text = self.decoder.decode(data, final)
        if not text:
            return
        if self.sink is not None:
            self.sink(text)
        self.parts.append(text)
        self.size += len(text)
        while self.size > self.keep and len(self.parts) > 1:
            gone = self.parts.pop(0)
            self.size -= len(gone)
            self.dropped += len(gone)

    @property
    def text(self) -> str:
        self.feed(b"", final=True)
        return "".join(self.parts)

    def tail(self, lines: int = 10) -> str:
        return "\n".join(self.text.rstrip("\n").splitlines()[-lines:])


def engine_answers(address: str | None, timeout: float = 0.5) -> bool | None:
    """Whether the engine at ``address`` takes a new connection (None: cannot tell for this kind).

    A fresh socket, never a pooled connection: a stopping engine still serves
    the connections it has.
    """
    if not address:
        return None
    parts = urlsplit(address)
    target: str | tuple[str, int]
    if parts.scheme == "unix":
        family, target = _socket.AF_UNIX, parts.path
    elif parts.scheme in ("tcp", "http", "https") and parts.hostname:
        family = _socket.AF_INET6 if ":" in parts.hostname else _socket.AF_INET
        target = (parts.hostname, parts.port or (2376 if parts.scheme == "https" else 2375))
    else:
        return None  # ssh://, npipe://: no cheap probe
    probe = _socket.socket(family, _socket.SOCK_STREAM)
    probe.settimeout(timeout)
    try:
        probe.connect(target)
        return True
    except OSError:
        return False
    finally:
        probe.close()


class EngineWatch:
    """While a stream is read, checks that its engine still takes connections.

    ``close`` (the stream's) is called from the watching thread once the
    engine is gone, which ends a read blocked with no timeout.  ``check()``
    then raises the one-line error; call it when the stream ends or breaks.
    """

    def __init__(self, close: Callable[[], object], address: str | None = None, every: float = 0.5):
        self.close = close
        self.address = address if address is not None else current.address
        self.every = every
        self.gone = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> EngineWatch:
        if engine_answers(self.address) is not None:  # a kind of address that can be probed
            self._thread = threading.Thread(target=self._watch, daemon=True, name="dockermagic-engine-watch")
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.wait(self.every):
            if engine_answers(self.address) is False:
                self.gone = True
                try:
                    self.close()
                except Exception:
                    pass
                return

    def check(self) -> None:
        """Raise the one-line error if the engine went away (asking once more if not yet seen)."""
        if not self.gone and engine_answers(self.address) is False:
            self.gone = True
        if self.gone:
            raise engine_went_away()


def pump(sock: Any, tty: bool, out: Collector, err: Collector) -> None:
    """Feed a stream's frames to ``out``/``err`` until it ends: the process exits or the engine goes."""
    with EngineWatch(lambda: close_quietly(sock)) as watch:
        try:
            for stream, data in frames(sock, tty):
                (err if stream == STDERR else out).feed(data)
        except Exception:
            watch.check()
            raise
        watch.check()
