"""Creating and running containers: create (pulling the image if missing),
the foreground run with live output, and clean-up when interrupted."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from ..errors import Conflict, ContainerFailed, DockerMagicError, EngineUnavailable, NotFound
from .containers import remove_quietly
from .errors import explain
from .streams import Collector, attached, end_input, pump


def image_exposed_ports(api: Any, image: str) -> dict[str, Any]:
    """The ports an image exposes ({} when it is not here yet: -P then publishes only -p/--expose)."""
    try:
        return (api.inspect_image(image).get("Config") or {}).get("ExposedPorts") or {}
    except Exception:
        return {}


def create(
    api: Any,
    body: dict[str, Any],
    name: str | None,
    platform: str | None = None,
    pull: Callable[[str], None] | None = None,
    warn: Callable[[str], object] | None = None,
) -> str:
    """``POST /containers/create`` with ``body``; return the new container's id.

    ``pull(image)`` is called when the image is missing locally, as the CLI
    pulls before it creates (None: a missing image is an error, ``--pull never``).
    ``warn`` receives each warning the engine gives (a limit the kernel cannot
    apply...), which the CLI prints as ``WARNING: ...``.
    """
    for attempt in (1, 2):
        try:
            result: dict[str, Any] = api.create_container_from_config(body, name=name, platform=platform)
            for warning in result.get("Warnings") or ():
                if warn is not None:
                    warn(str(warning))
            return str(result["Id"])
        except Exception as exc:
            error = explain(exc)
            if isinstance(error, NotFound) and "image" in str(error).lower() and attempt == 1 and pull:
                pull(body["Image"])
                continue
            if isinstance(error, Conflict) and name and "already in use" in str(error):
                raise Conflict(
                    f"The container name {name!r} is already in use: add --replace to remove the "
                    f"old one first, or run %docker rm -f {name}.",
                    409,
                ) from None
            raise error from None
    raise DockerMagicError(f"Could not create a container from {body['Image']}")  # pragma: no cover


def stop_after_interrupt(api: Any, container_id: str, remove: bool) -> None:
    """What Ctrl-C means for a foreground container: stop it (and remove it with --rm)."""
    try:
        api.stop(container_id, timeout=2)
    except Exception:
        pass
    if remove:
        remove_quietly(api, container_id)


class _Waiter(threading.Thread):
    """Waits for the container's exit in the background, registered before start
    so that an AutoRemove container's exit code is not lost."""

    def __init__(self, api: Any, container_id: str, condition: str):
        super().__init__(daemon=True)
        self.api, self.container_id, self.condition = api, container_id, condition
        self.status: int | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.status = self.api.wait(self.container_id, timeout=None, condition=self.condition)[
                "StatusCode"
            ]
        except BaseException as exc:  # reported by the caller
            self.error = exc


def run_foreground(
    api: Any,
    container_id: str,
    out_sink: Callable[[str], object],
    err_sink: Callable[[str], object],
    tty: bool = False,
    remove: bool = False,
    stdin: bool = False,
    started: Callable[[str], object] | None = None,
    stdout: bool = True,
    stderr: bool = True,
) -> tuple[int, str, str, float]:
    """Attach, start, stream output live, return (exit_code, stdout, stderr, seconds).

    ``stdout``/``stderr``: the streams shown (``run -a``); the engine sends no other.

    ``stdin`` (``run -i``): the container's stdin is attached and closed at
    once, so that it reads an empty input, as ``!docker run -i`` gives it in a
    notebook, instead of waiting for input no cell can type.  A
    KeyboardInterrupt stops the container (removing it with ``remove``) and is
    re-raised; a non-zero exit raises ContainerFailed with the stderr tail.
    """
    out, err = Collector(out_sink), Collector(err_sink)
    begun = time.monotonic()
    try:
        # next-exit even with --rm: the exit code is what we need; the engine removes
        # the container on its own (AutoRemove) without us waiting for it
        waiter = _Waiter(api, container_id, "next-exit")
        waiter.start()
        with attached(api, container_id, stdin=stdin, stdout=stdout, stderr=stderr) as sock:
            if stdin:  # end of input (StdinOnce: the engine closes its stdin), before any output
                end_input(sock)  # can cross it: over TLS, output met in the close makes OpenSSL drop it
            api.start(container_id)
            if started is not None:
                started(container_id)
            pump(sock, tty, out, err)
        waiter.join()
        if waiter.error is not None:
            raise explain(waiter.error)
    except BaseException as exc:
        # an engine that is gone stops its containers itself (and removes --rm ones when back)
        if not isinstance(exc, EngineUnavailable):
            stop_after_interrupt(api, container_id, remove)
        raise
    code = waiter.status or 0
    seconds = time.monotonic() - begun
    if code:
        tail = err.tail() or out.tail()
        shown = f":\n{tail}" if tail else ""
        raise ContainerFailed(f"The container exited with code {code}{shown}", code, tail)
    return code, out.text, err.text, seconds
