"""Which docker context is active, and the engine it names, chosen as the docker CLI chooses.

An address given outright (``%config DockerMagics.base_url``, as the CLI's ``-H``) or
``DOCKER_HOST`` makes the current context ``default``; else ``DOCKER_CONTEXT``, else
``currentContext`` in the config file (``DOCKER_CONFIG``, default ``~/.docker``), else
``default``. ``default`` stores nothing: it is the address given, or the default socket.
The SDK's own "current context" reads only the config file, so the store is read here
(``engine/contexts.py``).
"""

from __future__ import annotations

import os

from ..errors import EngineUnavailable
from . import contexts
from .endpoint import Endpoint, TLSFiles

DEFAULT_SOCKET = "unix:///var/run/docker.sock"


def active_context_name(configured: str | None = None) -> str:
    """The current context's name, as ``docker context show`` prints it."""
    if configured or os.environ.get("DOCKER_HOST"):
        return contexts.DEFAULT
    if os.environ.get("DOCKER_CONTEXT"):
        return os.environ["DOCKER_CONTEXT"]
    try:
        return contexts.current_in_config() or contexts.DEFAULT
    except Exception:  # an unreadable config.json names no context, as for the CLI's default
        return contexts.DEFAULT


def default_host(configured: str | None = None) -> str:
    """The ``default`` context's address: the one given, else ``DOCKER_HOST``, else the socket."""
    return configured or os.environ.get("DOCKER_HOST") or DEFAULT_SOCKET


def chosen_by() -> str:
    """Where the current context's name comes from, for messages."""
    if os.environ.get("DOCKER_CONTEXT"):
        return "DOCKER_CONTEXT"
    return f"currentContext in {contexts.config_file()}"


def context_endpoint(name: str) -> Endpoint:
    """The stored context ``name`` as an Endpoint: its host, its TLS files (by path, in the store),
    and ``verify`` off when it says ``skip-tls-verify``. A missing or unreadable context is
    ``EngineUnavailable`` that names it: the CLI fails too, rather than use another engine."""
    origin = f"the docker context {name}"
    try:
        stored = contexts.load(name)
    except contexts.ContextNotFound:
        raise EngineUnavailable(
            f'The docker context "{name}" ({chosen_by()}) does not exist: %docker context ls lists '
            "them; %docker context use NAME (or default) picks another."
        ) from None
    except Exception as exc:
        raise EngineUnavailable(f'The docker context "{name}" cannot be read: {exc}') from None
    if not stored.host:
        raise EngineUnavailable(f'The docker context "{name}" has no docker endpoint (no "host=" in it).')
    files = stored.tls.get(contexts.DOCKER_ENDPOINT, [])
    tls = None
    if files or stored.skip_tls_verify:

        def kept(filename: str) -> str | None:
            return contexts.tls_path(name, filename) if filename in files else None

        tls = TLSFiles(
            ca=kept("ca.pem"), cert=kept("cert.pem"), key=kept("key.pem"), verify=not stored.skip_tls_verify
        )
    return Endpoint(stored.host, origin, tls)


def active_endpoint(configured: str | None = None) -> Endpoint | None:
    """The active context's engine; None for ``default`` (the caller's address or the default
    socket). Raises ``EngineUnavailable`` when the active context cannot be used."""
    name = active_context_name(configured)
    return None if name == contexts.DEFAULT else context_endpoint(name)


def active_context_host() -> str | None:
    """The active context's address, or None for the default one or one that cannot be read
    (kept for callers that take an address only; ``active_endpoint`` says why it cannot)."""
    try:
        found = active_endpoint()
    except EngineUnavailable:
        return None
    return found.host if found is not None else None
