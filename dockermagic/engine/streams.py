"""Attach sockets and their frames, with no read timeout and a guaranteed close.

The docker SDK's ``attach(stream=True)`` reads under the client's request
timeout, so a container that is quiet for two minutes would break the stream;
here the raw socket is read with no timeout, frame by frame.
"""
from __future__ import annotations

import codecs
import socket as _socket
from contextlib import contextmanager

STDOUT, STDERR = 1, 2


def raw_socket(sock):
    """The real socket under the SDK's socket-like object (SocketIO, TLS...)."""
    return getattr(sock, "_sock", sock)


@contextmanager
def attached(api, container_id: str, stdin: bool = False, logs: bool = False):
    """An attach socket to ``container_id`` (stdout+stderr, optionally stdin)."""
    params = {"stdout": 1, "stderr": 1, "stream": 1, "stdin": int(stdin), "logs": int(logs)}
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


def close_quietly(sock) -> None:
    raw = raw_socket(sock)
    for action in (lambda: raw.shutdown(_socket.SHUT_RDWR), raw.close, sock.close):
        try:
            action()
        except Exception:
            pass


def frames(sock, tty: bool):
    """(stream, bytes) pairs until EOF: multiplexed frames, or raw bytes for a TTY."""
    from docker.utils.socket import frames_iter

    for stream, data in frames_iter(sock, tty):
        yield (STDOUT if tty else stream), data


class Collector:
    """Decodes chunks as they come, passes them on, and keeps a bounded copy."""

    def __init__(self, sink, keep: int = 8 * 1024 * 1024):
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
