"""One docker SDK client per kernel, created on first use.

Where the engine is comes from, in order: ``%config DockerMagics.base_url``,
``DOCKER_HOST``, the active docker context, the default socket: an
``Endpoint`` (its address, TLS files and origin).  A ``tcp://`` address given
outright or in ``DOCKER_HOST`` takes TLS from ``DOCKER_TLS_VERIFY``/``DOCKER_TLS``
and ``DOCKER_CERT_PATH``, as the CLI does; an ``ssh://`` one goes through the
system ssh client, one ssh connection for the kernel (``engine/ssh.py``).
The first contact uses a short timeout (``ping_timeout``) so that a dead engine
is reported in seconds; every later request is bounded by ``timeout``.

Every request goes through one wrapper: a connection failure or a timeout
becomes one ``EngineUnavailable`` line that names the address and where it
came from.  Within one command (``with engine.command():``) the first such
failure is remembered and every later request fails at once with it, so
``rm a b c d`` against a dead engine waits once, not once per name.  The next
command tries again, which picks up an engine restarted in between.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import DockerMagicError, EngineUnavailable
from .docker_context import active_context_name, active_endpoint, chosen_by
from .endpoint import Endpoint
from .errors import connection_cause, current, explain
from .ssh import SSHTransport, TransportError
from .tls import env_tls, tls_client, tls_failure

DEFAULT_SOCKET = "unix:///var/run/docker.sock"


def resolve_endpoint(configured: str | None = None) -> Endpoint:
    """The engine to use and where that choice came from, without contacting anything.

    Raises ``EngineUnavailable`` when the active docker context cannot be used: the CLI
    fails too, rather than fall back to another engine.
    """
    if configured:
        return Endpoint(configured, "%config DockerMagics.base_url", env_tls(configured))
    if os.environ.get("DOCKER_HOST"):
        host = os.environ["DOCKER_HOST"]
        return Endpoint(host, "DOCKER_HOST", env_tls(host))
    context = active_endpoint()
    if context is not None:
        return context
    return Endpoint(DEFAULT_SOCKET, "the default socket")


def _unusable(configured: str | None) -> Endpoint:
    """What names an engine whose context cannot be read (connecting says why, in one line)."""
    return Endpoint(f"the docker context {active_context_name(configured)}", chosen_by())


def _transport_error(exc: BaseException) -> TransportError | None:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, TransportError):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return None


class Engine:
    """Holds the lazily created client; ``get()`` connects on first call."""

    def __init__(
        self,
        base_url: str | None = None,
        ping_timeout: float = 5.0,
        timeout: float = 120.0,
        stream_timeout: float = 600.0,
        ssh_options: list[str] | None = None,
    ) -> None:
        self.base_url = base_url
        self.ssh_options = list(ssh_options or [])  # extra arguments of every ssh command line
        self.ping_timeout = ping_timeout
        self.timeout = timeout
        self.stream_timeout = stream_timeout  # a stream's longest silence (build)
        self._client: Any = None
        self._transport: SSHTransport | None = None  # the ssh connection of an ssh:// engine
        self._lock = threading.Lock()
        self._in_command = 0
        self._down: EngineUnavailable | None = None  # the failure that ended this command's hopes

    @property
    def endpoint(self) -> Endpoint:
        """The engine's address, TLS files and origin; never raises (connecting does)."""
        try:
            return resolve_endpoint(self.base_url)
        except EngineUnavailable:
            return _unusable(self.base_url)

    @property
    def address(self) -> str:
        return self.endpoint.host

    @property
    def where(self) -> str:
        """``ADDRESS (from ORIGIN)``, as every engine error names it."""
        return self.endpoint.where

    @property
    def transport(self) -> SSHTransport | None:
        """The ssh connection an ssh:// engine's requests share (None for any other engine)."""
        return self._transport

    @property
    def connected(self) -> bool:
        """Whether a client exists (a first command connected); asking never connects."""
        return self._client is not None

    def set_timeout(self, timeout: float) -> None:
        self.timeout = timeout
        if self._client is not None:
            self._client.api.timeout = timeout

    @contextmanager
    def command(self) -> Iterator[Engine]:
        """One magic command: engine errors name this engine; a dead engine is tried once."""
        before = current.where, current.timeout, current.address
        current.where, current.timeout, current.address = self.where, self.timeout, self.address
        self._in_command += 1
        try:
            yield self
        finally:
            self._in_command -= 1
            current.where, current.timeout, current.address = before
            if not self._in_command:
                self._down = None

    def get(self) -> Any:
        """The docker SDK's ``DockerClient``, connected and version-negotiated."""
        if self._down is not None:
            raise self._down
        if self._client is not None:
            return self._client
        with self._lock:
            if self._client is None:
                try:
                    self._client = self._connect()
                except EngineUnavailable as exc:
                    self._give_up(exc)
                    raise
        return self._client

    def _give_up(self, error: EngineUnavailable) -> None:
        if self._in_command:
            self._down = error

    @property
    def api(self) -> Any:
        return self.get().api

    def _connect(self) -> Any:
        endpoint = resolve_endpoint(self.base_url)
        address, where = endpoint.host, endpoint.where
        try:
            import docker
        except ImportError as exc:  # pragma: no cover - a dependency
            raise EngineUnavailable("The docker SDK is not installed: pip install docker") from exc
        before, current.timeout = current.timeout, self.ping_timeout  # the first answer: ping_timeout
        try:
            if address.startswith("ssh://"):
                from .ssh_http import ssh_client

                self._transport = SSHTransport(address, self.ssh_options, self.ping_timeout)
                client = ssh_client(self._transport, self.timeout, self.ping_timeout)
            elif endpoint.tls is not None:
                client = tls_client(endpoint, self.timeout, self.ping_timeout)
            else:
                # version=None makes the SDK ask the engine for its API version:
                # this first request doubles as the ping, under the short timeout.
                client = docker.DockerClient(base_url=address, timeout=self.ping_timeout)
        except DockerMagicError as exc:
            self._close_transport()
            if isinstance(exc, EngineUnavailable):
                raise
            raise EngineUnavailable(f"{exc} (engine at {where})") from None
        except Exception as exc:
            self._close_transport()
            transport = _transport_error(exc)
            if transport is not None:
                raise EngineUnavailable(transport.one_line(where)) from None
            tls = tls_failure(exc, endpoint)
            if tls is not None:
                raise tls from None
            error = explain(connection_cause(exc), where)
            raise (
                error
                if isinstance(error, EngineUnavailable)
                else EngineUnavailable(f"{error} (engine at {where})")
            ) from None
        finally:
            current.timeout = before
        client.api.timeout = self.timeout
        self._guard(client.api, where)
        return client

    def _guard(self, api: Any, where: str) -> None:
        """Route every request through one place that names a failing engine."""
        send = api.send

        def guarded_send(request: Any, **kwargs: Any) -> Any:
            if self._down is not None:
                raise self._down
            try:
                return send(request, **kwargs)
            except DockerMagicError:
                raise
            except Exception as exc:
                transport = _transport_error(exc)
                if transport is not None:  # ssh (or the remote's docker) failed to carry it
                    failed = EngineUnavailable(transport.one_line(where))
                    self._give_up(failed)
                    raise failed from None
                limit = kwargs.get("timeout")
                stream = limit == self.stream_timeout and limit != self.timeout
                error = explain(
                    exc,
                    where,
                    limit if isinstance(limit, (int, float)) else None,
                    "stream_timeout" if stream else "timeout",
                )
                if isinstance(error, EngineUnavailable):
                    self._give_up(error)
                    raise error from None
                raise

        api.send = guarded_send

    def reset(self, base_url: str | None = None) -> None:
        """Forget the client (the address changed, or the extension unloads)."""
        with self._lock:
            client, self._client = self._client, None
            self.base_url = base_url
            self._down = None
        if client is not None:
            try:
                client.close()
            except Exception:
                pass
        self._close_transport()

    def _close_transport(self) -> None:
        transport, self._transport = self._transport, None
        if transport is not None:
            transport.close()  # the ssh master and its sessions end with the client
