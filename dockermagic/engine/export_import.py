"""``GET /containers/{id}/export`` and ``POST /images/create?fromSrc=``: a container's filesystem
out as a tar stream, and a tar stream (or a URL the engine fetches) in as an image."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import EngineError
from .errors import call, explained


def export(api: Any, container: str, chunk_size: int = 1 << 20) -> Iterator[bytes]:
    """The container's filesystem as a tar stream, in chunks."""
    with explained(f"No such container: {container}. See %docker ps -a for what exists."):
        response = api._get(api._url("/containers/{0}/export", container), stream=True)
        api._raise_for_status(response)
    return _explained(response.iter_content(chunk_size=chunk_size))


def import_image(
    api: Any,
    data: Iterable[bytes] | None,
    source: str,
    repository: str | None = None,
    tag: str | None = None,
    changes: Iterable[str] = (),
    message: str | None = None,
    platform: str | None = None,
) -> str:
    """A new image from ``data`` (a tar stream; ``source`` "-") or from the URL ``source``; its id.

    The SDK's ``import_image`` sends neither a message nor a platform, so the request is its own.
    """
    params: dict[str, Any] = {"fromSrc": source, "repo": repository, "tag": tag}
    params.update(message=message, platform=platform, changes=list(changes) or None)
    params = {k: v for k, v in params.items() if v is not None}
    headers = {"Content-Type": "application/tar"} if data is not None else {}
    response = call(
        api._post,
        api._url("/images/create"),
        params=params,
        data=data,
        headers=headers,
        stream=True,
        timeout=None,
    )
    call(api._raise_for_status, response)
    found = ""
    for event in _explained(api._stream_helper(response, decode=True)):
        if "error" in event:
            raise EngineError(f"import {source}: {event['error']}")
        status = str(event.get("status") or "")
        if status.startswith("sha256:"):
            found = status
    if not found:
        raise EngineError(f"import {source}: the engine named no image")
    return found


def _explained(stream: Iterable[Any]) -> Iterator[Any]:
    """A stream whose failures in mid-answer become the project's errors too."""
    with explained():
        yield from stream
