"""A sick Docker engine served on a unix socket, for fault tests.

``FakeEngine(path, mode)`` answers HTTP the way a broken engine would:

- ``hang``: accepts connections and never answers;
- ``hang_after_version``: answers ``/version`` and ``/_ping``, then hangs on everything else;
- ``error500``: answers everything with a 500 and a JSON message;
- ``garbage``: answers everything with HTML;
- ``old_api``: a healthy engine that speaks API 1.12;
- ``drop_mid_body``: answers ``/version``, then starts an answer and closes the connection.
- ``healthy``: answers ``/version``, ``/_ping`` and ``/containers/json`` (an empty list);
- ``logs_then_die`` / ``logs_then_stop``: a container ``web`` whose ``logs -f`` sends one line,
  then the engine dies (the stream breaks off) or stops (the stream ends cleanly first);
- ``logs_then_gone``: the same, but the engine stays and the container is gone (404), as with --rm.

It records every request path (``.paths``) and stops with ``close()``.
"""

from __future__ import annotations

import json
import os
import socketserver
import threading
import time

VERSION = {
    "ApiVersion": "1.41",
    "Version": "20.10.24",
    "MinAPIVersion": "1.12",
    "Os": "linux",
    "Arch": "amd64",
}


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
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        return f"unix://{self.path}"

    def close(self, keep=None) -> None:
        """Stop as a dying engine does: every open connection (but ``keep``) is closed too."""
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        for sock in self.connections:
            if sock is keep:
                continue
            try:
                sock.shutdown(2)
                sock.close()
            except OSError:
                pass
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass  # closed twice: by the dying mode's thread and by its owner

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
            _send(
                sock,
                200,
                version if path.split("?")[0].endswith("/version") else "OK",
                "application/json" if "version" in path else "text/plain",
            )
        elif mode.startswith("logs_then") and "/logs" in path:
            frame = b"\x01\x00\x00\x00\x00\x00\x00\x06hello\n"
            sock.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % len(frame) + frame + b"\r\n"
            )
            time.sleep(0.3)
            if mode == "logs_then_gone":  # the container goes; the engine stays
                self.mode = "gone"
                sock.sendall(b"0\r\n\r\n")
                return True
            if mode == "logs_then_stop":  # stops listening, then ends the stream cleanly
                self.close(keep=sock)
                sock.sendall(b"0\r\n\r\n")
            else:  # dies: the stream breaks off
                threading.Thread(target=self.close, daemon=True).start()
            return False
        elif mode.startswith("logs_then") and path.split("?")[0].endswith("/json"):
            _send(
                sock,
                200,
                {
                    "Id": "a" * 64,
                    "Name": "/web",
                    "Config": {"Tty": False},
                    "State": {"Running": True, "Status": "running"},
                },
            )
        elif mode == "gone":
            _send(sock, 404, {"message": "No such container: web"})
        elif mode == "drop_mid_body":
            sock.sendall(
                b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{"Id":'
            )
            sock.shutdown(2)
            return False
        else:
            _send(sock, 200, [])
        return True


def _send(sock, status: int, body, content_type: str = "application/json") -> None:
    data = (
        body if isinstance(body, str) and content_type != "application/json" else json.dumps(body)
    ).encode()
    reason = {200: "OK", 404: "Not Found", 500: "Internal Server Error"}[status]
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(data)}\r\nApi-Version: 1.41\r\n\r\n"
    ).encode()
    sock.sendall(head + data)


def _skip_chunks(reader) -> None:
    while True:
        size = int(reader.readline().strip() or b"0", 16)
        reader.read(size + 2)
        if size == 0:
            return
