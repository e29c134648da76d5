"""Opening a terminal on a container: attach (run -it, attach, start -a -i) or a TTY exec (exec -it)."""

from __future__ import annotations

from ..engine import attach, containers
from ..engine import exec as execs
from ..engine.streams import Channel
from ..objects.terminal import DETACH_KEYS, Terminal
from ..reaper.keeper import exec_started

ROWS, COLUMNS = 40, 160  # a wide TTY: programs then wrap lines only where the output area does


def open_terminal(
    session,
    container_id: str,
    process: execs.Process | None = None,
    start: bool = False,
    *,
    tty: bool = True,
    stdin: bool = True,
    detach_keys: str = DETACH_KEYS,
    sig_proxy: bool = True,
) -> Terminal:
    """Attach to ``container_id``'s streams, or run ``process`` in it with a TTY.

    ``start``: the container was just created, or is started by ``start -a``:
    attach first, then start it, so that its first output (a shell's prompt)
    is not lost. ``tty``/``stdin``: what the container has and what is
    attached. Without a TTY, Ctrl-C is SIGINT sent to the container when
    ``sig_proxy`` (the CLI forwards it), else a detach.
    """
    api = session.api
    name = containers.inspect(api, container_id)["Name"].lstrip("/")
    if process is not None:
        exec_id = execs.create(api, container_id, process, stdin=True, tty=True, detach_keys=detach_keys)
        # no one can attach to an exec again: once the kernel is gone, clean-up stops it
        exec_started(session, container_id, exec_id)
        channel = Channel(execs.start_socket(api, exec_id, tty=True))
        execs.resize(api, exec_id, ROWS, COLUMNS)
        return Terminal(channel, f"{name}: {' '.join(process.command)}", detach_keys=detach_keys)
    channel = attach.connect(api, container_id, stdin=stdin, detach_keys=detach_keys)
    if start:
        containers.start(api, container_id)
    if tty:
        containers.resize_tty(api, container_id, ROWS, COLUMNS)
    signal = (lambda: attach.send_signal(api, container_id, "SIGINT")) if sig_proxy and not tty else None
    return Terminal(
        channel,
        name,
        on_end=lambda: _wait_stopped(api, container_id),
        tty=tty,
        stdin=stdin,
        detach_keys=detach_keys,
        on_interrupt=signal,
    )


def _wait_stopped(api, container_id: str, timeout: float = 10.0) -> None:
    """After the attached stream ends: wait (bounded) until the engine records the exit."""
    try:
        containers.wait(api, container_id, timeout=timeout)
    except Exception:
        pass  # still running after the timeout, or already removed (--rm): nothing to wait for
