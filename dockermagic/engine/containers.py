"""Containers over the low-level API: one function per Engine API operation.

Each takes the API client and plain values, returns plain data, and turns any
failure into the project's one-line errors.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from ..errors import DockerMagicError, EngineUnavailable
from .errors import call, explain, explained
from .pruning import when_free
from .safe_tar import extract_safely


def inspect(api: Any, ref: str, size: bool = False) -> dict[str, Any]:
    """``GET /containers/{id}/json`` (``size``: with SizeRw and SizeRootFs, as ``inspect -s``)."""
    with explained(missing=f"No such container: {ref}. See %docker ps -a for the names that exist."):
        if size:
            doc: dict[str, Any] = api._result(
                api._get(api._url("/containers/{0}/json", ref), params={"size": 1}), True
            )
        else:
            doc = api.inspect_container(ref)
    return doc


def listing(
    api: Any,
    all: bool = False,
    limit: int = -1,
    filters: dict[str, list[str]] | None = None,
    size: bool = False,
) -> list[dict[str, Any]]:
    """``GET /containers/json``: one call, however many containers there are."""
    found: list[dict[str, Any]] = call(
        api.containers, all=all, limit=limit, filters=filters or None, size=size
    )
    return found


def each(names: Iterable[str], action: Callable[[str], object]) -> list[str]:
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


def start(api: Any, ref: str) -> None:
    call(api.start, ref)


def stop(api: Any, ref: str, timeout: int | None = None) -> None:
    """``timeout`` None: the container's own stop timeout, as the CLI leaves it to the engine."""
    if timeout is None:
        call(api.stop, ref)
    else:
        call(api.stop, ref, timeout=timeout)


def restart(api: Any, ref: str, timeout: int | None = None) -> None:
    call(api.restart, ref, timeout=10 if timeout is None else timeout)


def kill(api: Any, ref: str, signal: str | None = None) -> None:
    call(api.kill, ref, signal=signal)


def remove(api: Any, ref: str, force: bool = False, volumes: bool = False, link: bool = False) -> None:
    """``DELETE /containers/{id}``; ``link``: ``ref`` is a link (``/CONTAINER/ALIAS``), which goes."""
    call(api.remove_container, ref, force=force, v=volumes, link=link)


def remove_quietly(api: Any, ref: str) -> None:
    """Force-remove with its anonymous volumes; already gone (AutoRemove) is fine."""
    try:
        api.remove_container(ref, force=True, v=True)
    except Exception:
        pass


def pause(api: Any, ref: str) -> None:
    call(api.pause, ref)


def unpause(api: Any, ref: str) -> None:
    call(api.unpause, ref)


def rename(api: Any, ref: str, new_name: str) -> None:
    call(api.rename, ref, new_name)


def wait(api: Any, ref: str, condition: str = "not-running", timeout: float | None = None) -> int:
    """``POST /containers/{id}/wait``: block until it stops; its exit code."""
    result: dict[str, Any] = call(api.wait, ref, timeout=timeout, condition=condition)
    return int(result["StatusCode"])


def update(api: Any, ref: str, resources: dict[str, Any]) -> list[str]:
    """``POST /containers/{id}/update`` with the API's own field names; the engine's warnings.

    The SDK's ``update_container`` knows neither ``NanoCpus`` nor ``PidsLimit``
    (``--cpus``, ``--pids-limit``), so the request is made with its JSON helper.
    """
    url = api._url("/containers/{0}/update", ref)
    result: dict[str, Any] = call(lambda: api._result(api._post_json(url, data=resources), True))
    return list(result.get("Warnings") or [])


def prune(api: Any, filters: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """``POST /containers/prune``: the ids removed and the space reclaimed (after any other
    container prune on the engine has finished)."""
    result: dict[str, Any] = when_free(call, api.prune_containers, filters=filters or None)
    return result


def commit(
    api: Any,
    ref: str,
    repository: str | None,
    tag: str | None,
    message: str | None,
    author: str | None,
    changes: list[str],
    pause: bool,
    labels: dict[str, str],
) -> str:
    """``POST /commit``: the new image's id."""
    conf = {"Labels": labels} if labels else None
    result: dict[str, Any] = call(
        api.commit,
        ref,
        repository=repository,
        tag=tag,
        message=message,
        author=author,
        changes=changes or None,
        pause=pause,
        conf=conf,
    )
    return str(result["Id"])


def logs_tail(api: Any, ref: str, tail: int | str = "all") -> str:
    """Both streams of a container's log so far (the last ``tail`` lines), decoded."""
    raw: bytes = call(api.logs, ref, tail=tail)
    return raw.decode("utf-8", "replace")


def diff(api: Any, ref: str) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] | None = call(api.diff, ref)
    return changes or []


def top(api: Any, ref: str, ps_args: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = call(api.top, ref, ps_args=ps_args)
    return found


def resize_tty(api: Any, ref: str, rows: int, columns: int) -> None:
    """Best effort: a container that already exited cannot be resized (nothing to show anyway)."""
    with contextlib.suppress(Exception):
        api.resize(ref, height=rows, width=columns)


def copy_to(
    api: Any, ref: str, source: str, dest: str, archive: bool = False, follow_link: bool = False
) -> None:
    """``cp HOSTPATH CONTAINER:DEST`` via a tar archive spooled to disk past 16 MB.

    ``archive`` (``-a``): the engine gives the files the container's user's UID/GID, not root's;
    ``follow_link`` (``-L``): a symbolic link given as the source is copied as what it points to,
    under the link's name.
    """
    if not os.path.lexists(source):
        raise DockerMagicError(f"cp: no such file or directory on this machine: {source}")
    name = os.path.basename(source.rstrip("/"))
    origin = os.path.realpath(source) if follow_link and os.path.islink(source.rstrip("/")) else source
    spool = _spool()
    with tarfile.open(fileobj=spool, mode="w") as tar:
        # a trailing /. copies the directory's content, as the CLI does
        tar.add(origin, arcname="." if source.endswith(("/.", "/./")) else name)
    spool.seek(0)
    target_dir, new_name = _target(api, ref, dest)
    if new_name:
        spool = _renamed(spool, name, new_name)
    url = api._url("/containers/{0}/archive", ref)
    params = {"path": target_dir, "copyUIDGID": "1" if archive else None}
    call(lambda: api._raise_for_status(api._put(url, params=params, data=spool)))


def _target(api: Any, ref: str, dest: str) -> tuple[str, str | None]:
    """Where to extract, and the new name when DEST names a file, or nothing that exists yet."""
    try:
        stat = api.get_archive(ref, dest)[1]
        is_dir = stat["mode"] & (1 << 31)
        return (dest, None) if is_dir else (os.path.dirname(dest) or "/", os.path.basename(dest))
    except Exception:
        return (os.path.dirname(dest.rstrip("/")) or "/", os.path.basename(dest.rstrip("/")))


def _renamed(spool: IO[bytes], old: str, new: str) -> IO[bytes]:
    out = _spool()
    with tarfile.open(fileobj=spool, mode="r") as src, tarfile.open(fileobj=out, mode="w") as dst:
        for member in src.getmembers():
            parts = member.name.split("/", 1)
            if parts[0] == old:
                member.name = "/".join([new] + parts[1:])
            dst.addfile(member, src.extractfile(member) if member.isfile() else None)
    out.seek(0)
    return out


def archive(
    api: Any, ref: str, source: str, follow_link: bool = False
) -> tuple[Iterator[bytes], dict[str, Any]]:
    """``GET /containers/{id}/archive``: the tar stream of ``source`` and its stat. ``follow_link``
    (``cp -L``): when ``source`` is a symbolic link, what it points to."""
    stream, stat = call(api.get_archive, ref, source)
    if follow_link and stat["mode"] & _GO_MODE_SYMLINK and stat.get("linkTarget"):
        stream.close()
        stream, stat = call(
            api.get_archive, ref, posixpath.join(posixpath.dirname(source), stat["linkTarget"])
        )
    return stream, stat


def copy_from(api: Any, ref: str, source: str, dest: str, follow_link: bool = False) -> str:
    """``cp CONTAINER:SRC HOSTPATH``: streamed from the engine, extracted safely; where it went.
    ``follow_link`` (``-L``): a symbolic link named as the source is copied as what it points to,
    under the link's name."""
    stream, stat = archive(api, ref, source, follow_link)
    name = stat["name"]
    if follow_link and posixpath.basename(source.rstrip("/")) not in ("", name):
        name = posixpath.basename(source.rstrip("/"))  # a link followed: the copy keeps the link's name
    spool = _spool()
    for chunk in stream:
        spool.write(chunk)
    spool.seek(0)
    if os.path.isdir(dest):
        base, new_name = dest, name if name != stat["name"] else None
    else:
        base, new_name = os.path.dirname(os.path.abspath(dest)), os.path.basename(dest)
    with tarfile.open(fileobj=spool, mode="r") as tar:
        members = []
        for member in tar.getmembers():
            if new_name:
                parts = member.name.split("/", 1)
                member.name = "/".join([new_name] + parts[1:]) if parts[0] == stat["name"] else member.name
            members.append(member)
        extract_safely(tar, base, members)
    return os.path.join(base, new_name or name)


_GO_MODE_SYMLINK = 1 << 27  # Go's os.ModeSymlink, in the engine's stat of a path


def _spool() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
