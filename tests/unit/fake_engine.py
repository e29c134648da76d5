"""A sick Docker engine served on a unix socket, for fault tests.

``FakeEngine(path, mode)`` answers HTTP the way a broken engine would:

- ``hang``: accepts connections and never answers;
- ``hang_after_version``: answers ``/version`` and ``/_ping``, then hangs on everything else;
- ``error500``: answers everything with a 500 and a JSON message;
- ``garbage``: answers everything with HTML;
- ``old_api``: a healthy engine that speaks API 1.12;
- ``drop_mid_body``: answers ``/version``, then starts an answer and closes the connection.
- ``healthy``: answers ``/version``, ``/_ping`` and ``/containers/json`` (an empty list).

It records every request path (``.paths``) and stops with ``close()``.
"""
from __future__ import annotations

import json
import os
import socketserver
import threading

VERSION = {"ApiVersion": "1.41", "Version": "20.10.24", "MinAPIVersion": "1.12", "Os": "linux", "Arch": "amd64"}


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeEngine:
    def __init__(self, path: str, mode: str):
        self.path, self.mode = path, mode
        self.paths: list[str] = []
        self.stop = threading.Event()
        self.connections: list = []
        if os.path.exists(path):
            os.unlink(path)
        engine = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                engine._serve(self.request)

        self.server = _Server(path, Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"unix://{self.path}"

    def close(self) -> None:
        """Stop as a dying engine does: every open connection is closed too."""
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        for sock in self.connections:
            try:
                sock.shutdown(2)
                sock.close()
            except OSError:
                pass
        if os.path.exists(self.path):
            os.unlink(self.path)

    # -- one connection: requests until the client or the mode ends it -------------------
    def _serve(self, sock) -> None:
        self.connections.append(sock)
        reader = sock.makefile("rb")
        while not self.stop.is_set():
            line = reader.readline()
            if not line:
                return
            method, path = (line.decode("latin-1").split() + ["", ""])[:2]
            length, chunked = 0, False
            while True:
                header = reader.readline().decode("latin-1").strip()
                if not header:
                    break
                name, _, value = header.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                if name.lower() == "transfer-encoding" and "chunked" in value:
                    chunked = True
            self.paths.append(path)
            if not self._answer(sock, path):
                return
            if length:
                reader.read(length)
            elif chunked:
                _skip_chunks(reader)

    def _answer(self, sock, path: str) -> bool:
        """Send the mode's answer to ``path``; False when the connection is over."""
        is_version = path.split("?")[0].endswith(("/version", "/_ping"))
        mode = self.mode
        if mode == "hang" or (mode == "hang_after_version" and not is_version):
            self.stop.wait()
            return False
        if mode == "error500":
            _send(sock, 500, {"message": "engine exploded"})
        elif mode == "garbage":
            _send(sock, 200, "<html>not an engine</html>", "text/html")
        elif is_version:
            version = dict(VERSION, ApiVersion="1.12") if mode == "old_api" else VERSION
            _send(sock, 200, version if path.split("?")[0].endswith("/version") else "OK",
                  "application/json" if "version" in path else "text/plain")
        elif mode == "drop_mid_body":
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{\"Id\":")
            sock.shutdown(2)
            return False
        else:
            _send(sock, 200, [])
        return True


def _send(sock, status: int, body, content_type: str = "application/json") -> None:
    data = (body if isinstance(body, str) and content_type != "application/json" else json.dumps(body)).encode()
    reason = {200: "OK", 500: "Internal Server Error"}[status]
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(data)}\r\nApi-Version: 1.41\r\n\r\n").encode()
    sock.sendall(head + data)


def _skip_chunks(reader) -> None:
    while True:
        size = int(reader.readline().strip() or b"0", 16)
        reader.read(size + 2)
        if size == 0:
            return
