"""Container lifecycle and queries over the low-level API: one call each, errors explained."""
from __future__ import annotations

import io
import os
import tarfile

from ..errors import DockerMagicError, EngineUnavailable, NotFound, explain
from .safe_tar import extract_safely


def call(fn, *args, **kwargs):
    """Run one API call, turning any failure into a one-line DockerMagicError."""
    try:
        return fn(*args, **kwargs)
    except DockerMagicError:
        raise
    except Exception as exc:
        raise explain(exc) from None


def inspect(api, ref: str) -> dict:
    try:
        return api.inspect_container(ref)
    except Exception as exc:
        error = explain(exc)
        if isinstance(error, NotFound):
            raise NotFound(f"No such container: {ref}. See %docker ps -a for the names that exist.", 404) from None
        raise error from None


def listing(api, all: bool = False, limit: int = -1, filters: dict | None = None, size: bool = False) -> list[dict]:
    """``GET /containers/json``: one call, however many containers there are."""
    return call(api.containers, all=all, limit=limit, filters=filters or None, size=size)


def each(names, action) -> list[str]:
    """Apply ``action`` to every name; all are tried, failures reported together, as the CLI does."""
    done, failed = [], []
    for name in names:
        try:
            action(name)
            done.append(name)
        except Exception as exc:
            error = explain(exc)
            if isinstance(error, EngineUnavailable):  # no engine: the other names cannot fare better
                raise error from None
            failed.append(str(error))
    if failed:
        raise DockerMagicError("; ".join(failed))
    return done


def diff(api, ref: str) -> list[dict]:
    return call(api.diff, ref) or []


def top(api, ref: str, ps_args: str | None = None) -> dict:
    return call(api.top, ref, ps_args=ps_args)


def stats(api, ref: str) -> dict:
    return call(api.stats, ref, stream=False)


def copy_to(api, ref: str, source: str, dest: str) -> None:
    """``cp HOSTPATH CONTAINER:DEST`` via a tar archive spooled to disk past 16 MB."""
    if not os.path.exists(source):
        raise DockerMagicError(f"cp: no such file or directory on this machine: {source}")
    spool = tempfile_spool()
    with tarfile.open(fileobj=spool, mode="w") as tar:
        # a trailing /. copies the directory's content, as the CLI does
        arcname = "." if source.endswith(("/.", "/./")) else os.path.basename(source.rstrip("/"))
        tar.add(source, arcname=arcname)
    spool.seek(0)
    target_dir, rename = _target(api, ref, dest, os.path.isdir(source))
    if rename:
        spool = _renamed(spool, os.path.basename(source.rstrip("/")), rename)
    ok = call(api.put_archive, ref, target_dir, spool)
    if not ok:
        raise DockerMagicError(f"cp: the engine refused to write into {ref}:{dest}")


def _target(api, ref: str, dest: str, source_is_dir: bool):
    """Where to extract, and the new name when DEST names a file that does not exist yet."""
    try:
        stat = api.get_archive(ref, dest)[1]
        is_dir = stat["mode"] & (1 << 31)
        return (dest, None) if is_dir else (os.path.dirname(dest) or "/", os.path.basename(dest))
    except Exception:
        return (os.path.dirname(dest.rstrip("/")) or "/", os.path.basename(dest.rstrip("/")))


def _renamed(spool, old: str, new: str):
    out = tempfile_spool()
    with tarfile.open(fileobj=spool, mode="r") as src, tarfile.open(fileobj=out, mode="w") as dst:
        for member in src.getmembers():
            parts = member.name.split("/", 1)
            if parts[0] == old:
                member.name = "/".join([new] + parts[1:])
            dst.addfile(member, src.extractfile(member) if member.isfile() else None)
    out.seek(0)
    return out


def copy_from(api, ref: str, source: str, dest: str) -> str:
    """``cp CONTAINER:SRC HOSTPATH``: streamed from the engine, extracted safely."""
    stream, stat = call(api.get_archive, ref, source)
    spool = tempfile_spool()
    for chunk in stream:
        spool.write(chunk)
    spool.seek(0)
    name = stat["name"]
    if os.path.isdir(dest):
        base, rename = dest, None
    else:
        base, rename = os.path.dirname(os.path.abspath(dest)), os.path.basename(dest)
    with tarfile.open(fileobj=spool, mode="r") as tar:
        members = []
        for member in tar.getmembers():
            if rename:
                parts = member.name.split("/", 1)
                member.name = "/".join([rename] + parts[1:]) if parts[0] == name else member.name
            members.append(member)
        extract_safely(tar, base, members)
    return os.path.join(base, rename or name)


def tempfile_spool():
    import tempfile

    return tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)


def put_bytes(api, ref: str, directory: str, name: str, data: bytes, mode: int = 0o644) -> None:
    """Write one file into a container (used for scripts and small inputs)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo(name)
        info.size, info.mode = len(data), mode
        tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    call(api.put_archive, ref, directory, buf)
