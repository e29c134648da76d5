"""The one place where the docker SDK's, requests' and the OS's errors become the project's.

Every engine function reaches the SDK through ``call(fn, ...)`` or inside
``with explained(...):`` (streams, and lookups whose "not found" needs its own
words).  ``explain`` maps one exception to a one-line ``DockerMagicError`` that
names the engine's address; ``current`` holds that address for the command
that runs (``engine.client.Engine.command`` sets it).  Exception classes are
recognised by name, so this module does not import docker either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from ..errors import (
    Conflict,
    DockerMagicError,
    EngineError,
    EngineUnavailable,
    LocalPathError,
    NotFound,
)

T = TypeVar("T")


class _Current:
    """The engine the running command talks to (set by ``engine.client.Engine``)."""

    where: str | None = None  # "ADDRESS (from ORIGIN)"
    address: str | None = None  # ADDRESS alone, for a fresh connection to it
    timeout: float | None = None


current = _Current()

_CHANGE = "point DOCKER_HOST / %config DockerMagics.base_url at a running engine"

# Start failures whose engine text says what broke but not what to write instead.
_START_HINTS = (
    (
        re.compile(r'exec: "([^"]*)": executable file not found in \$PATH'),
        "{0!r} is not a program in the image: options of run go before the image "
        'name (what follows it is the command), and an exec-form CMD/ENTRYPOINT ["..."] runs no shell '
        '(write CMD echo $PATH, or ["sh", "-c", "..."])',
    ),
    (
        re.compile(r"unable to find user ([^:\s]+): no matching entries in passwd file"),
        "user {0!r} does not exist in the image: create it first (RUN useradd {0} before USER {0}), "
        "or run as an existing user (-u)",
    ),
)


def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one API call, turning any failure into a one-line DockerMagicError."""
    with explained():
        return fn(*args, **kwargs)


@contextmanager
def explained(
    missing: str | None = None, timeout: float | None = None, setting: str = "timeout"
) -> Iterator[None]:
    """Re-raise what the block raises as the project's error.

    ``missing``: the message of the ``NotFound`` raised instead of the engine's
    own (which names no command to run).  ``timeout``/``setting``: the limit a
    stream ran under, when it is not the request timeout.
    """
    try:
        yield
    except DockerMagicError:
        raise
    except Exception as exc:
        error = explain(exc, timeout=timeout, setting=setting)
        if missing is not None and isinstance(error, NotFound):
            raise NotFound(missing, 404) from None
        raise error from None


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _api_message(exc: BaseException) -> str:
    explanation = getattr(exc, "explanation", None)
    if explanation:
        if isinstance(explanation, bytes):
            explanation = explanation.decode("utf-8", "replace")
        return _one_line(explanation)
    return _one_line(exc)


def _with_hint(message: str) -> str:
    for pattern, hint in _START_HINTS:
        found = pattern.search(message)
        if found:
            return f"{message} -> {hint.format(found.group(1))}."
    return message


def _chain(exc: BaseException | None) -> list[BaseException]:
    """``exc`` and its causes, outermost first (the SDK wraps the real one)."""
    seen: list[BaseException] = []
    while exc is not None and all(exc is not e for e in seen) and len(seen) < 20:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def _names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def _engine_fault(
    exc: BaseException, place: str, timeout: float | None, setting: str = "timeout"
) -> DockerMagicError | None:
    """A sick engine (hung, dropped, not an engine at all, too old), named with its address."""
    chain = _chain(exc)
    names = {name for e in chain for name in _names(e)}
    text = " ".join(str(e) for e in chain)
    old = re.search(r"API versions below (\S+) are no longer supported", text)
    if old:
        return EngineUnavailable(
            f"The engine{place} speaks an Engine API older than {old.group(1)}, the "
            f"oldest the docker SDK supports: upgrade it, or {_CHANGE}."
        )
    if "Invalid bind address" in text:
        return EngineUnavailable(
            f"Not an engine address{place}: use unix:///PATH/docker.sock or tcp://HOST:PORT."
        )
    if names & {"ReadTimeout", "ReadTimeoutError", "ConnectTimeout", "ConnectTimeoutError"} or (
        "timed out" in text and names & {"ConnectionError", "TimeoutError", "timeout"}
    ):
        within = f" within {timeout:g} s" if timeout else ""
        return EngineUnavailable(
            f"The Docker engine{place} did not answer{within}: it is stuck or "
            "overloaded. Check it ('docker info', its log) or restart it; "
            f"%config DockerMagics.{setting} sets how long to wait."
        )
    if (
        names & {"ChunkedEncodingError", "IncompleteRead", "RemoteDisconnected"}
        or "Connection broken" in text
        # a stream whose connection the engine (or the engine watch) closed under the reader
        or ("ValueError" in names and "I/O operation on closed file" in text)
    ):
        return EngineUnavailable(
            f"The Docker engine{place} closed the connection in the middle of an "
            "answer (it stopped or restarted?): run the command again once "
            "'docker info' answers."
        )
    failed = next((e for e in chain if "APIError" in _names(e)), None)
    if failed is not None and "fetching server API version" in text:
        return EngineUnavailable(
            f"The engine{place} failed to say its version ({_api_message(failed)}): "
            f"check its log or restart it, or {_CHANGE}."
        )
    if (
        "fetching server API version" in text
        or '"ApiVersion" is missing' in text
        or names & {"JSONDecodeError"}
    ):
        return EngineUnavailable(
            f"What answered{place} is not a Docker engine (its answer is not the Engine API's): {_CHANGE}."
        )
    return None


def engine_went_away() -> EngineUnavailable:
    """The engine stopped taking connections in the middle of a stream (stopped, or killed)."""
    place = f" at {current.where}" if current.where else ""
    return EngineUnavailable(
        f"The Docker engine{place} went away in the middle of the command (it was "
        "stopped or killed): start it again, then run the command again once "
        "'docker info' answers."
    )


def connection_cause(exc: BaseException) -> BaseException:
    """The OS error under the SDK's ``DockerException`` when a first connection fails."""
    for seen in _chain(exc)[1:]:
        if isinstance(seen, (FileNotFoundError, PermissionError, ConnectionRefusedError)):
            return seen
    text = str(exc)
    if "FileNotFoundError" in text or "No such file or directory" in text:
        return FileNotFoundError(text)
    if "PermissionError" in text or "Permission denied" in text:
        return PermissionError(text)
    if "ConnectionRefusedError" in text or "Connection refused" in text:
        return ConnectionRefusedError(text)
    return exc


def explain(
    exc: BaseException, where: str | None = None, timeout: float | None = None, setting: str = "timeout"
) -> DockerMagicError:
    """Map any exception from the docker SDK / requests / the OS to our own.

    ``where`` names the engine address that was tried and where it came from
    (default: the engine of the running command), so that a failing engine
    is always named.  ``timeout``/``setting``: the limit a stream ran under,
    when it is not the request timeout.
    """
    if isinstance(exc, DockerMagicError):
        return exc
    names = _names(exc)
    where = where or current.where
    place = f" at {where}" if where else ""

    if "APIError" in names:
        status = getattr(getattr(exc, "response", None), "status_code", None)
        engine_text = _api_message(exc)
        message = _with_hint(engine_text)
        if "NotFound" in names or status == 404:
            return NotFound(message, status)
        # Podman answers a name already taken with a 500, where Docker's is a 409
        if status == 409 or (status == 500 and "is already in use" in engine_text):
            return Conflict(message, status)
        # a start that fails on the user's own mistake comes back as a 500 too: the hint says so
        if status is not None and status >= 500 and place and message == engine_text:
            message += f" (an internal error of the engine{place}: see its log if it persists)"
        return EngineError(message, status)

    fault = _engine_fault(exc, place, timeout or current.timeout, setting)
    if fault is not None:
        return fault
    if isinstance(exc, OSError) and getattr(exc, "filename", None) and "RequestException" not in names:
        # a file on this machine (a build context, save -o, load -i), not the engine's socket
        return LocalPathError(
            f"{exc.strerror or type(exc).__name__}: {exc.filename} (a path on this "
            "machine): check that it exists and that the kernel may read or write it."
        )
    if isinstance(exc, PermissionError) or "permission denied" in str(exc).lower():
        return EngineUnavailable(
            f"Permission denied on the Docker socket{place}: add yourself to the "
            "'docker' group (then log in again) or run the kernel as root."
        )
    if isinstance(exc, FileNotFoundError) or "No such file or directory" in str(exc):
        return EngineUnavailable(
            f"No Docker engine socket{place}: start the engine (e.g. "
            "'sudo systemctl start docker' or 'sudo dockerd &'), or point "
            "DOCKER_HOST / %config DockerMagics.base_url at a running one."
        )
    if names & {
        "ConnectionError",
        "ConnectionRefusedError",
        "ReadTimeout",
        "ConnectTimeout",
        "Timeout",
        "ProtocolError",
        "NewConnectionError",
    }:
        return EngineUnavailable(
            f"The Docker engine{place} did not answer ({type(exc).__name__}): is "
            "dockerd running? Start it, or set DOCKER_HOST / "
            "%config DockerMagics.base_url to the right address."
        )
    if "DockerException" in names:
        return EngineUnavailable(_one_line(exc))
    return DockerMagicError(f"{type(exc).__name__}: {_one_line(exc)}")
