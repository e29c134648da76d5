"""Images: pull/push streams, listing, tags, save/load."""
from __future__ import annotations

from ..errors import DockerMagicError, EngineError, NotFound, explain


def inspect(api, ref: str) -> dict:
    """``GET /images/{ref}/json``; a missing image is one line that says where to look."""
    try:
        return api.inspect_image(ref)
    except Exception as exc:
        error = explain(exc)
        if isinstance(error, NotFound):
            raise NotFound(f"No such image: {ref}. See %docker images for what exists.", 404) from None
        raise error from None


def split_ref(ref: str) -> tuple[str, str | None]:
    """``repo[:tag][@digest]`` -> (repo, tag or digest); a port colon is not a tag."""
    if "@" in ref:
        repo, digest = ref.split("@", 1)
        return repo, digest
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        repo, tag = ref.rsplit(":", 1)
        return repo, tag
    return ref, "latest"


# What the engine's network error says -> the cause in words. The raw message is not
# repeated: it names resolver addresses and registry host names that mean nothing to the reader.
_CAUSES = (("no such host", "its name does not resolve"),
           ("server misbehaving", "its name does not resolve"),
           ("i/o timeout", "the connection timed out"),
           ("connection refused", "the connection was refused"),
           ("network is unreachable", "no network route leads to it"),
           ("tls handshake", "the TLS handshake failed"),
           ("dial tcp", "the connection failed"))


def _unreachable_cause(message: str) -> str | None:
    low = message.lower()
    return next((cause for marker, cause in _CAUSES if marker in low), None)


def registry_of(ref: str) -> str:
    """The registry a reference names: its first component when it looks like a host, else Docker Hub."""
    first, _, rest = ref.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return f"the registry {first}"
    return "Docker Hub"


def registry_error(action: str, ref: str, message: str) -> DockerMagicError:
    cause = _unreachable_cause(message)
    if cause:
        return EngineError(f"Cannot {action} {ref}: {registry_of(ref)} cannot be reached from the engine "
                           f"({cause}). Check the engine's network or its registry mirror.")
    if action == "search for" and "unexpected status code 404" in message.lower():
        # the engine asks the registry's /v1/search, which the distribution registry lacks
        return EngineError(f"Cannot {action} {ref}: {registry_of(ref)} has no search endpoint (it answered "
                           "404; the distribution registry, e.g. Debian's docker-registry, offers none). "
                           "Search a registry that does, or pull the image by its name.")
    return EngineError(f"Cannot {action} {ref}: {message.strip()}")


def _events(action: str, ref: str, open_stream):
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


def pull_events(api, ref: str, platform: str | None = None):
    repo, tag = split_ref(ref)
    return _events("pull", ref, lambda: api.pull(repo, tag=tag, stream=True, decode=True, platform=platform))


def push_events(api, ref: str):
    repo, tag = split_ref(ref)
    return _events("push", ref, lambda: api.push(repo, tag=tag, stream=True, decode=True))
