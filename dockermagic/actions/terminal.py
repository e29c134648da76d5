"""Opening a terminal on a container: attach (run -it, attach) or a TTY exec (exec -it)."""

from __future__ import annotations

from ..engine import containers
from ..engine import exec as execs
from ..objects.terminal import DETACH_KEYS, Terminal
from ..reaper.keeper import exec_started

ROWS, COLUMNS = 40, 160  # a wide TTY: programs then wrap lines only where the output area does


def open_terminal(
    session, container_id: str, process: execs.Process | None = None, start: bool = False
) -> Terminal:
    """Attach to ``container_id``'s TTY, or run ``process`` in it with a TTY.

    ``start``: the container was just created; attach first, then start it,
    so that its first output (a shell's prompt) is not lost.
    """
    api = session.api
    name = containers.inspect(api, container_id)["Name"].lstrip("/")
    if process is not None:
        exec_id = execs.create(api, container_id, process, stdin=True, tty=True, detach_keys=DETACH_KEYS)
        # no one can attach to an exec again: once the kernel is gone, clean-up stops it
        exec_started(session, container_id, exec_id)
        sock = execs.start_socket(api, exec_id, tty=True)
        execs.resize(api, exec_id, ROWS, COLUMNS)
        return Terminal(sock, f"{name}: {' '.join(process.command)}")
    sock = containers.attach_tty(api, container_id, DETACH_KEYS)
    if start:
        containers.start(api, container_id)
    containers.resize_tty(api, container_id, ROWS, COLUMNS)
    return Terminal(sock, name, on_end=lambda: _wait_stopped(api, container_id))


def _wait_stopped(api, container_id: str, timeout: float = 10.0) -> None:
    """After the attached stream ends: wait (bounded) until the engine records the exit."""
    try:
        containers.wait(api, container_id, timeout=timeout)
    except Exception:
        pass  # still running after the timeout, or already removed (--rm): nothing to wait for
