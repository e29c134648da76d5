"""Creating and running containers: create (pulling the image if missing),
the foreground run with live output, and clean-up when interrupted."""
from __future__ import annotations

import threading
import time

from ..errors import Conflict, ContainerFailed, DockerMagicError, EngineUnavailable, NotFound, explain
from .create_body import create_body
from .streams import STDERR, Collector, EngineWatch, attached, close_quietly, frames


def _image_exposed(api, image: str) -> dict:
    try:
        return (api.inspect_image(image).get("Config") or {}).get("ExposedPorts") or {}
    except Exception:
        return {}


def remove_quietly(api, container_id: str) -> None:
    try:
        api.remove_container(container_id, force=True, v=True)
    except Exception:
        pass  # already gone (AutoRemove), or being removed


def create(session, spec, pull=None) -> str:
    """Create the container ``spec`` describes; return its id.

    ``pull(image)`` is called when the image is missing locally, as the CLI
    pulls before it creates.
    """
    api = session.api
    exposed = _image_exposed(api, spec.image) if spec.publish_all else None
    body = create_body(spec, session.settings.publish_host, session.labels(), exposed)
    if spec.replace and spec.name:
        remove_quietly(api, spec.name)
    for attempt in (1, 2):
        try:
            result = api.create_container_from_config(body, name=spec.name, platform=spec.platform)
            return result["Id"]
        except Exception as exc:
            error = explain(exc)
            if isinstance(error, NotFound) and "image" in str(error).lower() and attempt == 1 and pull:
                pull(spec.image)
                continue
            if isinstance(error, Conflict) and spec.name and "already in use" in str(error):
                raise Conflict(
                    f"The container name {spec.name!r} is already in use: add --replace to remove the "
                    f"old one first, or run %docker rm -f {spec.name}.", 409) from None
            raise error from None
    raise DockerMagicError(f"Could not create a container from {spec.image}")  # pragma: no cover


def stop_after_interrupt(api, container_id: str, remove: bool) -> None:
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

    def __init__(self, api, container_id: str, condition: str):
        super().__init__(daemon=True)
        self.api, self.container_id, self.condition = api, container_id, condition
        self.status: int | None = None
        self.error: BaseException | None = None

    def run(self):
        try:
            self.status = self.api.wait(self.container_id, timeout=None, condition=self.condition)["StatusCode"]
        except BaseException as exc:  # reported by the caller
            self.error = exc


def run_foreground(session, container_id: str, spec, started=None):
    """Attach, start, stream output live, return (exit_code, stdout, stderr, seconds).

    A KeyboardInterrupt stops the container (removing it with --rm) and is
    re-raised; a non-zero exit raises ContainerFailed with the stderr tail.
    """
    api = session.api
    out, err = Collector(session.out), Collector(session.err)
    begun = time.monotonic()
    try:
        # next-exit even with --rm: the exit code is what we need; the engine removes
        # the container on its own (AutoRemove) without us waiting for it
        waiter = _Waiter(api, container_id, "next-exit")
        waiter.start()
        with attached(api, container_id) as sock:
            api.start(container_id)
            if started is not None:
                started(container_id)
            # the attach stream ends when the container exits, or when the engine goes
            with EngineWatch(lambda: close_quietly(sock)) as watch:
                try:
                    for stream, data in frames(sock, spec.tty):
                        (err if stream == STDERR else out).feed(data)
                except Exception:
                    watch.check()
                    raise
                watch.check()
        waiter.join()
        if waiter.error is not None:
            raise explain(waiter.error)
    except BaseException as exc:
        # an engine that is gone stops its containers itself (and removes --rm ones when back)
        if not isinstance(exc, EngineUnavailable):
            stop_after_interrupt(api, container_id, spec.remove)
        raise
    code = waiter.status
    seconds = time.monotonic() - begun
    if code:
        tail = err.tail() or out.tail()
        shown = f":\n{tail}" if tail else ""
        raise ContainerFailed(f"The container exited with code {code}{shown}", code, tail)
    return code, out.text, err.text, seconds
