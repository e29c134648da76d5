"""Images over the Engine API: one function per operation, errors explained.

Each function takes the API client and plain values and returns the engine's
answer (dicts, lists, or a generator for a stream).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import DockerMagicError, EngineError
from ..parsing import imageref
from .errors import call, explain, explained
from .login import auth_for  # read again each time: a login by the CLI meanwhile counts


def listing(api: Any, all: bool = False, filters: dict[str, list[str]] | None = None) -> list[dict[str, Any]]:
    """``GET /images/json``: one call, however many images there are."""
    result: list[dict[str, Any]] = call(api.images, all=all, filters=filters or None)
    return result


def _missing(ref: str) -> str:
    return f"No such image: {ref}. See %docker images for what exists."


def inspect(api: Any, ref: str) -> dict[str, Any]:
    """``GET /images/{ref}/json``."""
    with explained(_missing(ref)):
        doc: dict[str, Any] = api.inspect_image(ref)
    return doc


def history(api: Any, ref: str) -> list[dict[str, Any]]:
    """``GET /images/{ref}/history``: one row per layer, newest first."""
    with explained(_missing(ref)):
        rows: list[dict[str, Any]] = api.history(ref)
    return rows


def tag(api: Any, source: str, target: str) -> None:
    """``POST /images/{source}/tag``: ``target`` is a whole reference (``repo[:tag]``)."""
    repo, tag_ = imageref.split(target)
    with explained(_missing(source)):
        api.tag(source, repo, tag_)


def remove(api: Any, ref: str, force: bool = False, no_prune: bool = False) -> list[dict[str, str]]:
    """``DELETE /images/{ref}``: what was untagged and deleted, as the engine lists it."""
    with explained(_missing(ref)):
        removed: list[dict[str, str]] = api.remove_image(ref, force=force, noprune=no_prune) or []
    return removed


def prune(api: Any, filters: dict[str, list[str]]) -> dict[str, Any]:
    """``POST /images/prune``: the images deleted and the space reclaimed."""
    report: dict[str, Any] = call(api.prune_images, filters=filters)
    return report


def save(api: Any, names: list[str], chunk_size: int = 1 << 20) -> Iterator[bytes]:
    """``GET /images/get?names=...``: one tar of all the images (the SDK only offers it per image)."""
    response = call(api._get, api._url("/images/get"), params={"names": names}, stream=True)
    call(api._raise_for_status, response)
    chunks: Iterator[bytes] = response.iter_content(chunk_size=chunk_size)
    return _explained(chunks)


def load(api: Any, chunks: Iterable[bytes], quiet: bool = False) -> Iterator[dict[str, Any]]:
    """``POST /images/load``: the engine's events; an error event raises."""
    for event in _explained(call(api.load_image, chunks, quiet=quiet)):
        if "error" in event:
            raise EngineError(f"load: {event['error']}")
        yield event


def search(
    api: Any, term: str, limit: int = 25, filters: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    """``GET /images/search``: the registry's answer, through the engine (the SDK sends no filters)."""
    params: dict[str, Any] = {"term": term, "limit": limit}
    if filters:
        params["filters"] = json.dumps(filters)
    try:
        results: list[dict[str, Any]] = api._result(api._get(api._url("/images/search"), params=params), True)
        return results
    except Exception as exc:
        raise registry_error("search for", term, str(explain(exc))) from None


def _explained(stream: Iterable[Any]) -> Iterator[Any]:
    """A stream whose failures in mid-answer become the project's errors too."""
    with explained():
        yield from stream


# What the engine's network error says -> the cause in words. The raw message is not
# repeated: it names resolver addresses and registry host names that mean nothing to the reader.
_CAUSES = (
    ("no such host", "its name does not resolve"),
    ("server misbehaving", "its name does not resolve"),
    ("i/o timeout", "the connection timed out"),
    ("connection refused", "the connection was refused"),
    ("network is unreachable", "no network route leads to it"),
    ("tls handshake", "the TLS handshake failed"),
    ("dial tcp", "the connection failed"),
)


def _unreachable_cause(message: str) -> str | None:
    low = message.lower()
    return next((cause for marker, cause in _CAUSES if marker in low), None)


def registry_of(ref: str) -> str:
    """The registry a reference names, in words: its host, else Docker Hub."""
    host = imageref.registry_host(ref)
    return f"the registry {host}" if host else "Docker Hub"


def registry_error(action: str, ref: str, message: str) -> DockerMagicError:
    cause = _unreachable_cause(message)
    if cause:
        return EngineError(
            f"Cannot {action} {ref}: {registry_of(ref)} cannot be reached from the engine "
            f"({cause}). Check the engine's network or its registry mirror."
        )
    if action == "search for" and "unexpected status code 404" in message.lower():
        # the engine asks the registry's /v1/search, which the distribution registry lacks
        return EngineError(
            f"Cannot {action} {ref}: {registry_of(ref)} has no search endpoint (it answered "
            "404; the distribution registry, e.g. Debian's docker-registry, offers none). "
            "Search a registry that does, or pull the image by its name."
        )
    return EngineError(f"Cannot {action} {ref}: {message.strip()}")


def _events(action: str, ref: str, open_stream: Any) -> Iterator[dict[str, Any]]:
    """The engine's progress events (dicts) of a pull or push, raising on an error event."""
    try:
        for event in open_stream():
            if "error" in event:
                raise registry_error(action, ref, event["error"])
            yield event
    except DockerMagicError:
        raise
    except Exception as exc:
        raise registry_error(action, ref, str(explain(exc))) from None


def pull_events(
    api: Any, ref: str, platform: str | None = None, all_tags: bool = False
) -> Iterator[dict[str, Any]]:
    """``POST /images/create``: the pull's progress events (``all_tags``: every tag of the repository)."""
    repo, tag_ = (ref, None) if all_tags else imageref.split(ref)
    return _events(
        "pull",
        ref,
        lambda: api.pull(
            repo,
            tag=tag_,
            stream=True,
            decode=True,
            platform=platform,
            all_tags=all_tags,
            auth_config=auth_for(repo),
        ),
    )


def push_events(api: Any, ref: str, all_tags: bool = False) -> Iterator[dict[str, Any]]:
    """``POST /images/{name}/push``: the push's progress events (``all_tags``: no tag is sent, and
    the engine pushes every local tag of the repository)."""
    repo, tag_ = (ref, None) if all_tags else imageref.split(ref)
    return _events(
        "push", ref, lambda: api.push(repo, tag=tag_, stream=True, decode=True, auth_config=auth_for(repo))
    )
