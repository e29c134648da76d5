"""``context export`` and ``context import``: a context as the CLI's archive.

The archive holds ``meta.json`` (the context's metadata, its name included) and ``tls/ENDPOINT/FILE``
for each stored TLS file; import reads a tar or a zip file (told apart by their first bytes, as
the CLI does), takes nothing else, and files the context under the name given.
"""

from __future__ import annotations

import io
import json
import posixpath
import tarfile
import zipfile
from collections.abc import Iterator

from ..errors import DockerMagicError
from . import contexts

LIMIT = 10 << 20  # the CLI's largest archive, and largest file in one


def export_archive(context: contexts.StoredContext, tls: dict[str, dict[str, bytes]]) -> bytes:
    """The tar archive of ``context``; ``tls``: endpoint -> file name -> PEM bytes."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:

        def add(name: str, mode: int, data: bytes | None = None) -> None:
            info = tarfile.TarInfo(name)
            info.mode = mode
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))

        add("meta.json", 0o644, context.meta_json().encode())
        add("tls", 0o700)
        for endpoint, files in tls.items():
            add(f"tls/{endpoint}", 0o700)
            for filename, data in files.items():
                add(f"tls/{endpoint}/{filename}", 0o600, data)
    return out.getvalue()


def _members(data: bytes) -> Iterator[tuple[str, bytes]]:
    """Each regular file of a tar or zip archive: (path, content)."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in archive.infolist():
                if not entry.is_dir():
                    if entry.file_size > LIMIT:
                        raise DockerMagicError(f"{entry.filename}: larger than the CLI's limit of 10 MiB")
                    yield entry.filename, archive.read(entry)
        return
    # The CLI closes its archive's stream before the tar writer: the last file's padding and the
    # end-of-archive blocks are missing. Zeros put them back (after a complete archive, unread).
    padded = data + b"\0" * (-len(data) % 512 + 1024)
    try:
        with tarfile.open(fileobj=io.BytesIO(padded), mode="r:") as tar:
            for member in tar:
                if member.isreg():
                    extracted = tar.extractfile(member)
                    yield member.name, extracted.read() if extracted is not None else b""
    except tarfile.TarError as exc:
        raise DockerMagicError(f"not a context archive (a tar or zip file): {exc}") from None


def _checked(path: str) -> str:
    if path != "meta.json" and not path.startswith("tls/"):
        raise DockerMagicError(f"{path}: unexpected context file")
    if posixpath.normpath(path) != path or "\\" in path:
        raise DockerMagicError(f"{path}: unexpected path format")
    return path


def import_archive(name: str, data: bytes) -> None:
    """File the archive's context under ``name`` (``meta.json`` required; its name is replaced)."""
    if len(data) > LIMIT:
        raise DockerMagicError("the archive is larger than the CLI's limit of 10 MiB")
    meta: contexts.StoredContext | None = None
    tls: dict[str, dict[str, bytes]] = {}
    for path, content in _members(data):
        if _checked(path) == "meta.json":
            try:
                doc = json.loads(content)
            except ValueError as exc:
                raise DockerMagicError(f"meta.json: {exc}") from None
            if not isinstance(doc, dict):
                raise DockerMagicError("meta.json: not a JSON object")
            meta = contexts.StoredContext(name, doc.get("Metadata") or {}, doc.get("Endpoints") or {})
        else:
            endpoint, slash, filename = path.removeprefix("tls/").partition("/")
            if not slash:
                raise DockerMagicError("archive format is invalid")
            tls.setdefault(endpoint, {})[filename] = content
    if meta is None:
        raise DockerMagicError("invalid context: no metadata found")
    contexts.save(meta)
    contexts.clear_tls(name)
    for endpoint, files in tls.items():
        contexts.reset_tls(name, files, endpoint)
