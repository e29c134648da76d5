"""One docker SDK client per kernel, created on first use.

Where the engine is comes from, in order: ``%config DockerMagics.base_url``,
``DOCKER_HOST``, the active docker context, the default socket.  The first
contact uses a short timeout so that a dead engine is reported in seconds;
later calls get the ordinary, longer one.
"""
from __future__ import annotations

import os
import threading

from ..errors import EngineUnavailable, explain

DEFAULT_SOCKET = "unix:///var/run/docker.sock"


def _context_host() -> str | None:
    """The endpoint of the active docker context, if one other than default is set."""
    if os.environ.get("DOCKER_CONTEXT") in (None, "", "default"):
        import json
        config = os.path.join(
            os.environ.get("DOCKER_CONFIG", os.path.expanduser("~/.docker")), "config.json"
        )
        try:
            with open(config, encoding="utf-8") as f:
                current = json.load(f).get("currentContext")
        except (OSError, ValueError):
            return None
        if not current or current == "default":
            return None
    try:
        from docker.context import ContextAPI

        context = ContextAPI.get_current_context()
    except Exception:  # a broken context file must not stop the default socket
        return None
    if context is None or context.name == "default":
        return None
    return context.Host


def resolve_base_url(configured: str | None = None) -> tuple[str, str]:
    """Return (address, where-it-came-from) without contacting anything."""
    if configured:
        return configured, "%config DockerMagics.base_url"
    if os.environ.get("DOCKER_HOST"):
        return os.environ["DOCKER_HOST"], "DOCKER_HOST"
    host = _context_host()
    if host:
        return host, "the active docker context"
    return DEFAULT_SOCKET, "the default socket"


class Engine:
    """Holds the lazily created client; ``get()`` connects on first call."""

    def __init__(self, base_url: str | None = None, ping_timeout: float = 5.0,
                 timeout: float = 120.0):
        self.base_url = base_url
        self.ping_timeout = ping_timeout
        self.timeout = timeout
        self._client = None
        self._lock = threading.Lock()

    @property
    def address(self) -> str:
        return resolve_base_url(self.base_url)[0]

    def get(self):
        """The docker SDK's ``DockerClient``, connected and version-negotiated."""
        if self._client is not None:
            return self._client
        with self._lock:
            if self._client is None:
                self._client = self._connect()
        return self._client

    @property
    def api(self):
        return self.get().api

    def _connect(self):
        address, origin = resolve_base_url(self.base_url)
        where = f"{address} (from {origin})"
        try:
            import docker
        except ImportError as exc:  # pragma: no cover - a dependency
            raise EngineUnavailable("The docker SDK is not installed: pip install docker") from exc
        use_tls = os.environ.get("DOCKER_TLS_VERIFY") not in (None, "", "0") and origin == "DOCKER_HOST"
        try:
            if use_tls:
                client = docker.from_env(timeout=self.ping_timeout)
            else:
                # version=None makes the SDK ask the engine for its API version:
                # this first request doubles as the ping, under the short timeout.
                client = docker.DockerClient(base_url=address, timeout=self.ping_timeout)
        except Exception as exc:
            raise explain(_unwrap(exc), where) from exc
        client.api.timeout = self.timeout
        return client

    def reset(self, base_url: str | None = None) -> None:
        """Forget the client (the address changed, or the extension unloads)."""
        with self._lock:
            client, self._client = self._client, None
            self.base_url = base_url
        if client is not None:
            try:
                client.close()
            except Exception:
                pass


def _unwrap(exc: BaseException) -> BaseException:
    """The SDK wraps connection failures in DockerException; find the cause."""
    seen = exc
    while seen.__cause__ is not None or seen.__context__ is not None:
        seen = seen.__cause__ or seen.__context__
        if isinstance(seen, (FileNotFoundError, PermissionError, ConnectionRefusedError)):
            return seen
    text = str(exc)
    if "FileNotFoundError" in text or "No such file or directory" in text:
        return FileNotFoundError(text)
    if "PermissionError" in text or "Permission denied" in text:
        return PermissionError(text)
    if "ConnectionRefusedError" in text or "Connection refused" in text:
        return ConnectionRefusedError(text)
    return exc
