"""The docker CLI's context store, read and written as the CLI does, so that either one uses the
contexts the other made.

Under ``$DOCKER_CONFIG`` (default ``~/.docker``), a context named NAME is
``contexts/meta/<sha256 of NAME>/meta.json`` (``{"Name", "Metadata", "Endpoints"}``, compact, as
Go marshals it) and its TLS material ``contexts/tls/<sha256 of NAME>/docker/{ca,cert,key}.pem``;
``config.json``'s ``currentContext`` names the one in use (absent: ``default``, which is never
stored). Files are written whole and renamed into place, with the CLI's modes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import DockerMagicError

DEFAULT = "default"
DOCKER_ENDPOINT = "docker"  # the endpoint the docker CLI reads (20.10 also stored "kubernetes")
TLS_FILES = ("ca.pem", "cert.pem", "key.pem")
NAME_FORMAT = "^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$"


class ContextNotFound(DockerMagicError):
    """No context of that name in the store."""


def config_dir() -> str:
    return os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")


def config_file() -> str:
    return os.path.join(config_dir(), "config.json")


def context_id(name: str) -> str:
    """The directory name the CLI files a context under: the SHA-256 of its name, in hex."""
    return hashlib.sha256(name.encode()).hexdigest()


def meta_dir(name: str) -> str:
    return os.path.join(config_dir(), "contexts", "meta", context_id(name))


def tls_dir(name: str) -> str:
    return os.path.join(config_dir(), "contexts", "tls", context_id(name))


def tls_path(name: str, filename: str, endpoint: str = DOCKER_ENDPOINT) -> str:
    return os.path.join(tls_dir(name), endpoint, filename)


@dataclass(frozen=True)
class StoredContext:
    """One context as its ``meta.json`` holds it, and the TLS files stored beside it."""

    name: str
    metadata: dict[str, Any] = field(default_factory=dict)  # Description, and fields other tools add
    endpoints: dict[str, Any] = field(default_factory=dict)  # "docker": {"Host", "SkipTLSVerify"}
    tls: dict[str, list[str]] = field(default_factory=dict)  # endpoint -> its files' names

    @property
    def description(self) -> str:
        return str(self.metadata.get("Description") or "")

    @property
    def docker(self) -> dict[str, Any]:
        found = self.endpoints.get(DOCKER_ENDPOINT)
        return found if isinstance(found, dict) else {}

    @property
    def host(self) -> str:
        return str(self.docker.get("Host") or "")

    @property
    def skip_tls_verify(self) -> bool:
        return bool(self.docker.get("SkipTLSVerify"))

    def meta_json(self) -> str:
        """``meta.json`` as the CLI writes it (Go's json.Marshal: compact, HTML characters escaped)."""
        return go_marshal(self.document())

    def document(self) -> Struct:
        """The store's ``Metadata`` struct: what ``meta.json`` and an export's ``meta.json`` hold."""
        doc = Struct(Name=self.name, Metadata=self.metadata, Endpoints=self.endpoints)
        if not self.endpoints:  # Go's omitempty
            del doc["Endpoints"]
        return doc


class Struct(dict):  # type: ignore[type-arg]
    """A Go struct in a document for ``go_marshal``: its fields keep their order (maps are sorted)."""


def go_marshal(doc: Any, indent: int | None = None) -> str:
    """JSON as Go's ``json.Marshal`` (``MarshalIndent`` with ``indent``) writes it: map keys
    sorted, a ``Struct``'s fields in order, ``<``, ``>``, ``&``, U+2028 and U+2029 escaped."""

    def ordered(value: Any) -> Any:
        if isinstance(value, dict):
            items = value.items() if isinstance(value, Struct) else sorted(value.items())
            return {k: ordered(v) for k, v in items}
        if isinstance(value, list):
            return [ordered(v) for v in value]
        return value

    text = json.dumps(
        ordered(doc), indent=indent, separators=(",", ": " if indent else ":"), ensure_ascii=False
    )
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def validate_name(name: str) -> None:
    """The CLI's rule for a name to create, use or update."""
    if not name:
        raise DockerMagicError("context name cannot be empty")
    if name == DEFAULT:
        raise DockerMagicError('"default" is a reserved context name')
    if not re.fullmatch(NAME_FORMAT.strip("^$"), name):
        raise DockerMagicError(
            f'context name "{name}" is invalid, names are validated against regexp "{NAME_FORMAT}"'
        )


def exists(name: str) -> bool:
    return os.path.isfile(os.path.join(meta_dir(name), "meta.json"))


def load(name: str) -> StoredContext:
    """The stored context ``name``; a missing one is ``ContextNotFound``, an unreadable one one line."""
    path = os.path.join(meta_dir(name), "meta.json")
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise ContextNotFound(f'context "{name}" does not exist') from None
    except (OSError, ValueError) as exc:
        raise DockerMagicError(f'context "{name}": cannot read {path}: {exc}') from None
    return _parsed(doc, path)


def _parsed(doc: Any, path: str) -> StoredContext:
    if not isinstance(doc, dict) or not isinstance(doc.get("Name"), str):
        raise DockerMagicError(f"{path} is not a docker context's meta.json: it has no Name")
    metadata = doc.get("Metadata") or {}
    endpoints = doc.get("Endpoints") or {}
    if not isinstance(metadata, dict) or not isinstance(endpoints, dict):
        raise DockerMagicError(f"{path}: Metadata and Endpoints must be JSON objects")
    return StoredContext(doc["Name"], metadata, endpoints, _tls_listing(doc["Name"]))


def _tls_listing(name: str) -> dict[str, list[str]]:
    """Each endpoint's stored TLS files, as ``context inspect`` lists them (sorted)."""
    root = tls_dir(name)
    try:
        endpoints = sorted(e for e in os.listdir(root) if os.path.isdir(os.path.join(root, e)))
    except FileNotFoundError:
        return {}
    return {
        e: sorted(f for f in os.listdir(os.path.join(root, e)) if os.path.isfile(os.path.join(root, e, f)))
        for e in endpoints
    }


def listing() -> list[StoredContext]:
    """Every stored context (the CLI looks for ``meta.json`` at any depth under ``meta/``)."""
    root = os.path.join(config_dir(), "contexts", "meta")
    found = []
    for folder, _, files in sorted(os.walk(root)):
        if "meta.json" in files and folder != root:
            path = os.path.join(folder, "meta.json")
            try:
                with open(path, encoding="utf-8") as f:
                    found.append(_parsed(json.load(f), path))
            except (OSError, ValueError) as exc:
                raise DockerMagicError(f"failed to read metadata: {path}: {exc}") from None
    return found


def _write_file(path: str, data: bytes, mode: int, dir_mode: int = 0o755) -> None:
    """``data`` written whole, then renamed over ``path``: a reader never sees half a file."""
    folder = os.path.dirname(path)
    os.makedirs(folder, mode=dir_mode, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def save(context: StoredContext) -> None:
    """Write ``meta.json`` (the TLS files are set apart, with ``reset_tls``)."""
    _write_file(os.path.join(meta_dir(context.name), "meta.json"), context.meta_json().encode(), 0o644)


def reset_tls(name: str, files: Mapping[str, bytes] | None, endpoint: str = DOCKER_ENDPOINT) -> None:
    """Replace the endpoint's TLS files with ``files`` (file name -> PEM bytes; None: none)."""
    shutil.rmtree(os.path.join(tls_dir(name), endpoint), ignore_errors=True)
    if not files:
        return
    os.makedirs(os.path.join(config_dir(), "contexts"), mode=0o755, exist_ok=True)
    for folder in (os.path.dirname(tls_dir(name)), tls_dir(name)):  # private from the top, as the CLI's
        os.makedirs(folder, mode=0o700, exist_ok=True)
    for filename, data in files.items():
        _write_file(tls_path(name, filename, endpoint), data, 0o600, dir_mode=0o700)


def read_tls(name: str) -> dict[str, dict[str, bytes]]:
    """The context's TLS files: endpoint -> file name -> PEM bytes."""
    return {
        endpoint: {filename: _read_bytes(tls_path(name, filename, endpoint)) for filename in files}
        for endpoint, files in _tls_listing(name).items()
    }


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def clear_tls(name: str) -> None:
    """Remove every endpoint's TLS files of the context."""
    shutil.rmtree(tls_dir(name), ignore_errors=True)


def remove(name: str) -> None:
    """Remove the context's metadata and TLS material (nothing there is no error, as with the CLI)."""
    for folder in (meta_dir(name), tls_dir(name)):
        try:
            shutil.rmtree(folder)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise DockerMagicError(f"failed to remove context {name}: {exc}") from None


def read_config() -> dict[str, Any]:
    """``config.json`` as a mapping (none: empty)."""
    try:
        with open(config_file(), encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise DockerMagicError(f"cannot read {config_file()}: {exc}") from None
    return doc if isinstance(doc, dict) else {}


def current_in_config() -> str:
    """``currentContext`` in ``config.json`` ("" when unset)."""
    value = read_config().get("currentContext")
    return value if isinstance(value, str) else ""


def set_current_in_config(name: str) -> None:
    """Write ``currentContext`` (``""`` removes it: the default context), keeping the rest of the
    file as it is, tab-indented as the CLI writes it and readable by its owner only."""
    doc = read_config()
    if (doc.get("currentContext") or "") == name:
        return
    if name:
        doc["currentContext"] = name
    else:
        doc.pop("currentContext", None)
    _write_file(config_file(), json.dumps(doc, indent="\t").encode(), 0o600)
