"""``POST /session``: the connection on which the engine's BuildKit calls the client back.

The request names the session (id, name, shared key) and, one header each,
the gRPC methods served; the engine answers ``101 Switching Protocols`` and
from then on speaks HTTP/2 on the same connection as the gRPC client. The
headers repeat one name, which ``requests`` cannot send, so the request is
written on a connection taken from the SDK's own adapter (whatever transport
the client uses) with ``http.client``.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import threading
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ...errors import DockerMagicError
from ..errors import explained
from ..streams import close_quietly
from . import messages as pb
from .filesync import Local, Sent, diff_copy
from .grpc_server import NOT_FOUND, Call, CallFailed, GrpcServer

HEALTH = "/grpc.health.v1.Health/Check"
DIFF_COPY = "/moby.filesync.v1.FileSync/DiffCopy"
CREDENTIALS = "/moby.filesync.v1.Auth/Credentials"
GET_SECRET = "/moby.buildkit.secrets.v1.Secrets/GetSecret"


def shared_key(directory: str | None) -> str:
    """The key under which the engine keeps this context's files between builds (so that the next
    build sends only what changed): per directory, as the CLI derives it, and per machine."""
    where = os.path.realpath(directory) if directory else "(no directory)"
    return hashlib.sha256(f"{os.uname().nodename}:{where}".encode()).hexdigest()


def _unary(handle: Callable[[bytes], bytes]) -> Callable[[Call], None]:
    def serve(call: Call) -> None:
        request = call.receive(timeout=30)
        call.send(handle(request or b""))

    return serve


def _health(_request: bytes) -> bytes:
    reply: bytes = pb.HealthCheckResponse(status=pb.SERVING).SerializeToString()
    return reply


def _credentials(_request: bytes) -> bytes:
    """No registry credentials are configured for builds: an empty answer (anonymous pulls)."""
    reply: bytes = pb.CredentialsResponse().SerializeToString()
    return reply


class Session:
    """One build's session: open it, give its ``id`` to ``/build``, ``close`` it at the end."""

    def __init__(
        self,
        api: Any,
        locals_: dict[str, Local],
        secrets: dict[str, bytes] | None = None,
        name: str = "dockermagic",
        key: str = "",
        services: dict[str, Callable[[Call], None]] | None = None,
    ):
        self.api = api
        self.id = uuid.uuid4().hex
        self.locals = locals_
        self.secrets = dict(secrets or {})
        self.sent: list[Sent] = []
        handlers: dict[str, Callable[[Call], None]] = {
            HEALTH: _unary(_health),
            DIFF_COPY: lambda call: diff_copy(call, self.locals, self.sent.append),
            CREDENTIALS: _unary(_credentials),
            GET_SECRET: _unary(self._secret),
            **(services or {}),  # a build's own: its --output's FileSend, its --ssh agents
        }
        self._conn, reader = self._open(name, key, list(handlers))
        for local in locals_.values():  # the directories a rebuild will list, walked meanwhile
            local.walk_ahead()
        sock = self._conn.sock
        self.server = GrpcServer(lambda: reader.read1(65536), sock.sendall, handlers)
        self.thread = threading.Thread(target=self.server.serve, name="dockermagic-session", daemon=True)
        self.thread.start()

    def _secret(self, request: bytes) -> bytes:
        wanted = pb.GetSecretRequest.FromString(request).ID
        if wanted not in self.secrets:
            raise CallFailed(NOT_FOUND, f"secret {wanted} not found")
        reply: bytes = pb.GetSecretResponse(data=self.secrets[wanted]).SerializeToString()
        return reply

    def _open(self, name: str, key: str, methods: list[str]) -> tuple[Any, Any]:
        url = self.api._url("/session")
        with explained():
            pool = self.api.get_adapter(url).get_connection(url)
            conn = pool._new_conn()
            try:
                return self._upgrade(conn, urlsplit(url).path, name, key, methods)
            except BaseException:
                conn.close()
                raise

    def _upgrade(self, conn: Any, path: str, name: str, key: str, methods: list[str]) -> tuple[Any, Any]:
        conn.connect()
        conn.putrequest("POST", path, skip_accept_encoding=True)
        conn.putheader("Upgrade", "h2c")
        conn.putheader("Connection", "Upgrade")
        conn.putheader("X-Docker-Expose-Session-Uuid", self.id)
        conn.putheader("X-Docker-Expose-Session-Name", name)
        conn.putheader("X-Docker-Expose-Session-Sharedkey", key)
        for method in methods:  # one header per method: the engine reads them as a list
            conn.putheader("X-Docker-Expose-Session-Grpc-Method", method)
        conn.putheader("Content-Length", "0")
        conn.endheaders()
        # http.client's own: urllib3's expects a request it made itself
        response = http.client.HTTPConnection.getresponse(conn)
        if response.status != 101:
            body = response.read(2000).decode(errors="replace").strip()
            raise DockerMagicError(
                f"The engine refused a BuildKit session ({response.status}: {body}); "
                "build with --builder classic."
            )
        conn.sock.settimeout(None)
        return conn, response.fp  # the buffered reader: HTTP/2 bytes may already sit in it

    def close(self) -> None:
        """End the session: the engine drops it, and the build with it if one still runs."""
        self.server.close()
        for local in self.locals.values():
            local.stop()
        close_quietly(self._conn.sock)
        self._conn.close()
        self.thread.join(timeout=5)
