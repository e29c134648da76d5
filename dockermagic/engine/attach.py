"""A container's own streams (``attach``, ``start -a``): the connection, its output as it
comes, the exit status, and Ctrl-C forwarded as the CLI forwards it."""

from __future__ import annotations

import threading
import time
from typing import Any

from .errors import call, explain
from .streams import STDERR, Channel, Collector, Demuxer, EngineWatch

SIGNAL_GRACE = 3.0  # seconds a forwarded SIGINT has to end the process before the cell lets go


def connect(
    api: Any, ref: str, *, stdin: bool, detach_keys: str, stdout: bool = True, stderr: bool = True
) -> Channel:
    """``POST /containers/{id}/attach`` (streams from now on, no earlier logs), hijacked.

    The detach keys are always named, or the SDK would send those of the
    user's docker config file, and a terminal's own detach keys would reach
    the process.
    """
    params = {
        "stdin": int(stdin),
        "stdout": int(stdout),
        "stderr": int(stderr),
        "stream": 1,
        "logs": 0,
        "detachKeys": detach_keys,
    }
    return Channel(call(api.attach_socket, ref, params=params))


def send_signal(api: Any, ref: str, signal: str = "SIGINT") -> None:
    """Best effort: a container that has just exited needs no signal."""
    try:
        api.kill(ref, signal=signal)
    except Exception:
        pass


class ExitStatus(threading.Thread):
    """The container's next exit status, asked for before it can happen, so that the
    status of a container the engine removes at exit (``--rm``) is not lost."""

    def __init__(self, api: Any, ref: str):
        super().__init__(daemon=True, name=f"dockermagic-wait-{ref}")
        self.api, self.ref = api, ref
        self.code: int | None = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.code = int(self.api.wait(self.ref, timeout=None, condition="next-exit")["StatusCode"])
        except BaseException as exc:  # reported by result()
            self.error = exc

    def result(self, timeout: float = 10.0) -> int | None:
        """The status once the streams have ended; None if the container still runs."""
        self.join(timeout)
        if self.error is not None:
            raise explain(self.error)
        if self.code is None:  # the wait reached the engine after the exit: ask the state
            state = call(self.api.inspect_container, self.ref)["State"]
            return None if state.get("Running") else int(state.get("ExitCode") or 0)
        return self.code


def follow(
    api: Any,
    ref: str,
    channel: Channel,
    tty: bool,
    out: Collector,
    err: Collector,
    *,
    forward_signals: bool,
    grace: float = SIGNAL_GRACE,
) -> None:
    """Feed the attached streams to ``out``/``err`` until they end: the process exited.

    A kernel interrupt is sent on to the container as SIGINT when
    ``forward_signals``, as the CLI forwards Ctrl-C, and reading goes on for
    up to ``grace`` seconds, so that the process can end and what it prints
    on its way out is shown. Without forwarding, at a second interrupt, or
    once the grace is over, KeyboardInterrupt is raised with the container
    still running: the caller says what that means (``start -a`` stops it,
    ``attach`` leaves it running).
    """
    frames = Demuxer(tty)
    deadline: float | None = None
    with EngineWatch(channel.close) as watch:
        while True:
            try:
                if deadline is not None:
                    channel.set_timeout(max(deadline - time.monotonic(), 0.001))
                data = channel.recv()
                if not data:
                    break
                for stream, payload in frames.feed(data):
                    (err if stream == STDERR else out).feed(payload)
            except KeyboardInterrupt:
                if not forward_signals or deadline is not None:
                    raise
                send_signal(api, ref, "SIGINT")
                deadline = time.monotonic() + grace
            except TimeoutError:
                raise KeyboardInterrupt from None
        watch.check()
