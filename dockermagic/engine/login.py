"""Registry credentials where the docker CLI keeps them, and ``POST /auth``.

The file is ``$DOCKER_CONFIG/config.json`` (default ``~/.docker``): ``auths``
maps a registry to ``{"auth": base64("user:password")}``, unless the file names
a credential helper (``credHelpers`` for that registry, else ``credsStore``):
then the helper program ``docker-credential-NAME`` keeps the secret (the SDK
runs it with an argument list, never a shell) and ``auths`` an empty entry.
Reading goes through the docker SDK, which reads the file as the CLI does;
it is read again for each push and pull, so a login made meanwhile by the CLI
counts, as it does for the CLI.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from typing import Any

from .errors import call


def index_server() -> str:
    """The key the CLI files Docker Hub's credentials under."""
    from docker import auth

    return str(auth.INDEX_URL)


def server_key(server: str | None) -> str:
    """The ``auths`` key for ``server`` as the CLI writes it: Docker Hub's URL, else the host[:port]."""
    from docker import auth

    if not server or server == auth.INDEX_NAME:
        return index_server()
    if server == index_server():
        return server
    host = server.split("://", 1)[-1]
    return host.split("/", 1)[0]


def config_path() -> str:
    folder = os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")
    return os.path.join(folder, "config.json")


def _read() -> dict[str, Any]:
    try:
        with open(config_path(), encoding="utf-8") as f:
            doc: dict[str, Any] = json.load(f)
            return doc
    except FileNotFoundError:
        return {}


def _write(doc: dict[str, Any]) -> None:
    """Written whole, then renamed over the old file (a reader never sees half), readable by its owner only."""
    path = config_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".config.json.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(doc, indent="\t"))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def helper_of(doc: dict[str, Any], key: str) -> str | None:
    """The credential helper for ``key``: the registry's own, else the default store."""
    found = (doc.get("credHelpers") or {}).get(key) or doc.get("credsStore")
    return str(found) if found else None


def _store(helper: str) -> Any:
    from docker.credentials import Store

    return Store(helper)


def login(api: Any, key: str, username: str, password: str) -> dict[str, Any]:
    """``POST /auth``: the engine checks the credentials with the registry."""
    answer: dict[str, Any] = call(api.login, username, password, registry=key, reauth=True)
    return answer


def save(key: str, username: str, password: str, identity_token: str | None = None) -> str:
    """Keep the credentials as the CLI does; returns where: the file, or ``helper NAME``."""
    doc = _read()
    helper = helper_of(doc, key)
    auths = doc.setdefault("auths", {})
    if helper:
        secret = identity_token or password
        with_helper(helper, lambda store: store.store(server=key, username=username, secret=secret))
        auths[key] = {}
        _write(doc)
        return f"the credential helper docker-credential-{helper}"
    entry: dict[str, str] = {
        "auth": base64.b64encode(f"{username}:{'' if identity_token else password}".encode()).decode()
    }
    if identity_token:
        entry["identitytoken"] = identity_token
    auths[key] = entry
    _write(doc)
    return config_path()


def erase(key: str) -> bool:
    """Forget ``key``'s credentials; whether there were any."""
    doc = _read()
    helper = helper_of(doc, key)
    had = key in (doc.get("auths") or {})
    if helper:
        from docker.credentials.errors import CredentialsNotFound

        try:
            with_helper(helper, lambda store: store.erase(key))
            had = True
        except CredentialsNotFound:
            pass
    if key in (doc.get("auths") or {}):
        del doc["auths"][key]
        _write(doc)
    return had


def with_helper(helper: str, action: Any) -> Any:
    """Run ``action(store)``; a helper's failure becomes one line naming it."""
    from docker.credentials.errors import CredentialsNotFound, StoreError

    from ..errors import DockerMagicError

    try:
        return action(_store(helper))
    except CredentialsNotFound:
        raise
    except StoreError as exc:
        raise DockerMagicError(f"credential helper docker-credential-{helper}: {str(exc).strip()}") from None


def auth_for(repository: str) -> dict[str, Any]:
    """What the engine should send to ``repository``'s registry, read now from the CLI's file
    (``{}``: nothing stored, the registry is asked anonymously)."""
    from docker import auth

    registry, _ = auth.resolve_repository_name(repository)
    return _resolved(registry)


def _resolved(registry: str) -> dict[str, Any]:
    from docker import auth

    if not os.path.isfile(config_path()):  # the SDK would fall back to other files; the CLI does not
        return {}
    found = auth.load_config(config_path()).resolve_authconfig(registry)
    return dict(found or {})


def stored(server: str | None) -> dict[str, str]:
    """The credentials kept for ``server``: ``username``, ``password``, ``identitytoken`` (empty
    when none; the SDK names them in one case from the file and in another from a helper)."""
    found = {key.lower(): str(value) for key, value in _resolved(server_key(server)).items() if value}
    return {key: found.get(key, "") for key in ("username", "password", "identitytoken")}
