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
import ssl
from typing import Any

from ..errors import DockerMagicError, EngineUnavailable
from . import contexts
from .endpoint import Endpoint, TLSFiles

DEFAULT_SOCKET = "unix:///var/run/docker.sock"
DEFAULT_DESCRIPTION = "Current DOCKER_HOST based configuration"  # what the CLI shows for default
# The keys ``--docker`` takes, in the order the CLI's help lists them.
DOCKER_KEYS = ("from", "host", "ca", "cert", "key", "skip-tls-verify")


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


def default_context(configured: str | None = None) -> contexts.StoredContext:
    """``default``, which the store never holds: the default address, no description of its own."""
    host = default_host(configured)
    return contexts.StoredContext(
        contexts.DEFAULT, {}, {contexts.DOCKER_ENDPOINT: {"Host": host, "SkipTLSVerify": False}}
    )


def lookup(name: str, configured: str | None = None) -> contexts.StoredContext:
    """The context ``name``, ``default`` included (``ContextNotFound`` when there is none)."""
    return default_context(configured) if name == contexts.DEFAULT else contexts.load(name)


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


def pinned_context(configured: str | None = None) -> dict[str, str]:
    """What another process's environment needs to reach the engine this one reaches now, when a
    context chose it: ``DOCKER_CONTEXT`` set to that context (``default`` too), so that a later
    ``context use`` does not send it elsewhere. An address given outright or ``DOCKER_HOST``:
    nothing (the former is passed on by its caller, the latter inherited)."""
    if configured or os.environ.get("DOCKER_HOST"):
        return {}
    return {"DOCKER_CONTEXT": active_context_name()}


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


_GO_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_GO_FALSE = ("0", "f", "F", "FALSE", "false", "False")


def endpoint_config(
    pairs: tuple[tuple[str, str], ...], configured: str | None = None
) -> tuple[dict[str, Any], dict[str, bytes] | None]:
    """``--docker KEY=VALUE,...`` as the CLI reads it: the docker endpoint's metadata and its TLS
    files (read now, from the paths given). ``from=NAME`` copies that context's host and
    ``skip-tls-verify`` (not its TLS files, as with the CLI)."""
    given = dict(pairs)
    unknown = [k for k in given if k not in DOCKER_KEYS]
    if unknown:
        raise DockerMagicError(
            "unable to create docker endpoint config: "
            + "; ".join(f"unrecognized config key: {k}" for k in unknown)
            + " (keys: "
            + ", ".join(DOCKER_KEYS)
            + ")"
        )
    if "from" in given:
        found = lookup(given["from"], configured).docker
        return {"Host": found.get("Host", ""), "SkipTLSVerify": bool(found.get("SkipTLSVerify"))}, None
    skip = given.get("skip-tls-verify", "false")
    if skip not in _GO_TRUE + _GO_FALSE:
        raise DockerMagicError(
            f'unable to create docker endpoint config: skip-tls-verify: parsing "{skip}": invalid syntax '
            "(true or false)"
        )
    host = given.get("host", "")
    if host and "://" not in host:
        raise DockerMagicError(
            f"unable to create docker endpoint config: unable to parse docker host `{host}`: "
            "write it as unix:///path, tcp://HOST:PORT or ssh://USER@HOST"
        )
    files: dict[str, bytes] = {}
    for key in ("ca", "cert", "key"):
        if given.get(key):
            try:
                with open(os.path.expanduser(given[key]), "rb") as f:
                    files[f"{key}.pem"] = f.read()
            except OSError as exc:
                raise DockerMagicError(
                    f"unable to create docker endpoint config: open {given[key]}: {exc.strerror or exc}"
                ) from None
    if files and host and host.split("://", 1)[0] not in ("unix", "npipe", "fd", "ssh"):
        _check_tls(files, given)
    meta: dict[str, Any] = {"Host": host} if host else {}
    meta["SkipTLSVerify"] = skip in _GO_TRUE
    return meta, files or None


def _check_tls(files: dict[str, bytes], given: dict[str, str]) -> None:
    """The checks the CLI makes before it stores TLS material for a network address: the CA file
    holds certificates, the certificate and key are a pair, the key is not encrypted."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    problem = (
        "unable to create docker endpoint config: invalid docker endpoint options: "
        "failed to retrieve context tls info"
    )
    if "ca.pem" in files:
        try:
            context.load_verify_locations(cadata=files["ca.pem"].decode("ascii", "replace"))
        except (ssl.SSLError, ValueError):
            raise DockerMagicError(f"{problem}: ca.pem seems invalid (ca={given['ca']})") from None
    if "cert.pem" in files and "key.pem" in files:

        def no_password() -> bytes:
            raise DockerMagicError(
                f"{problem}: the private key is encrypted (key={given['key']}), which the CLI no longer reads"
            )

        try:
            context.load_cert_chain(
                os.path.expanduser(given["cert"]), os.path.expanduser(given["key"]), password=no_password
            )
        except ssl.SSLError as exc:
            raise DockerMagicError(
                f"{problem}: cert={given['cert']} and key={given['key']} are not a certificate and its key "
                f"({exc.reason or exc})"
            ) from None


def create(
    name: str,
    description: str,
    pairs: tuple[tuple[str, str], ...],
    source: str,
    configured: str | None = None,
) -> None:
    """``context create``: from ``--docker``, else a copy of ``--from`` (or of the current context)."""
    contexts.validate_name(name)
    if contexts.exists(name):
        raise DockerMagicError(f'context "{name}" already exists')
    if source or not pairs:
        if pairs:
            raise DockerMagicError("cannot use --docker flag when --from is set")
        _copy(lookup(source or active_context_name(configured), configured), name, description)
        return
    endpoint, files = endpoint_config(pairs, configured)
    metadata = {"Description": description} if description else {}
    contexts.save(contexts.StoredContext(name, metadata, {contexts.DOCKER_ENDPOINT: endpoint}))
    contexts.clear_tls(name)
    contexts.reset_tls(name, files)


def _copy(copied: contexts.StoredContext, name: str, description: str) -> None:
    """A new context ``name`` with ``copied``'s endpoints and TLS files (``description`` if given)."""
    metadata = dict(copied.metadata)
    if copied.name == contexts.DEFAULT:  # the CLI copies default's description with it
        metadata["Description"] = DEFAULT_DESCRIPTION
    if description:
        metadata["Description"] = description
    tls = stored_tls(copied.name)
    contexts.save(contexts.StoredContext(name, metadata, copied.endpoints))
    contexts.clear_tls(name)
    for endpoint, files in tls.items():
        contexts.reset_tls(name, files, endpoint)


def stored_tls(name: str) -> dict[str, dict[str, bytes]]:
    """The context's stored TLS files (none for ``default``)."""
    if name == contexts.DEFAULT:
        return {}
    return contexts.read_tls(name)


def update(
    name: str, description: str, pairs: tuple[tuple[str, str], ...], configured: str | None = None
) -> None:
    """``context update``: a new description, and (with ``--docker``) a new docker endpoint."""
    contexts.validate_name(name)
    stored = contexts.load(name)
    metadata = dict(stored.metadata)
    if description:
        metadata["Description"] = description
    endpoints = dict(stored.endpoints)
    files = None
    if pairs:
        endpoints[contexts.DOCKER_ENDPOINT], files = endpoint_config(pairs, configured)
    contexts.save(contexts.StoredContext(name, metadata, endpoints))
    if pairs:
        contexts.reset_tls(name, files)


def use(name: str) -> None:
    """``context use``: ``currentContext`` in the config file (``default`` removes it)."""
    if name != contexts.DEFAULT:
        contexts.validate_name(name)
        contexts.load(name)
    contexts.set_current_in_config("" if name == contexts.DEFAULT else name)


def remove(name: str, force: bool, configured: str | None = None) -> None:
    """``context rm NAME``: refused for ``default`` and, without ``force``, for the current one;
    removing the current one with ``force`` makes ``default`` current, as with the CLI."""
    if name == contexts.DEFAULT:
        raise DockerMagicError('context "default" cannot be removed')
    if name == active_context_name(configured):
        if not force:
            raise DockerMagicError(f'context "{name}" is in use, set -f flag to force remove')
        contexts.set_current_in_config("")
    if not force and not contexts.exists(name):
        raise DockerMagicError(f'context "{name}" does not exist')
    contexts.remove(name)
