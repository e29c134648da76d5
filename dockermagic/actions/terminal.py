"""Opening a terminal on a container: attach (run -it, attach) or a TTY exec (exec -it)."""
from __future__ import annotations

from ..engine.containers import call
from ..objects.terminal import DETACH_KEYS, Terminal

ROWS, COLUMNS = 40, 160


def open_terminal(session, container_id: str, command=None, user=None, workdir=None, env=None,
                  start: bool = False) -> Terminal:
    """Attach to ``container_id``'s TTY, or run ``command`` in it with a TTY.

    ``start``: the container was just created; attach first, then start it,
    so that its first output (a shell's prompt) is not lost.
    """
    api = session.api
    doc = call(api.inspect_container, container_id)
    name = doc["Name"].lstrip("/")
    if command:
        created = call(api.exec_create, container_id, command, stdin=True, tty=True, user=user or "",
                       workdir=workdir, environment=env or None, detach_keys=DETACH_KEYS)
        sock = call(api.exec_start, created["Id"], tty=True, socket=True)
        _resize(api.exec_resize, created["Id"])
        return Terminal(sock, f"{name}: {' '.join(command)}")
    # detach keys named, or the SDK would send those of the user's docker config file, and the
    # terminal's Ctrl-P Ctrl-Q would reach the process instead of detaching
    params = {"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1, "detachKeys": DETACH_KEYS}
    sock = call(api.attach_socket, container_id, params=params)
    if start:
        call(api.start, container_id)
    _resize(api.resize, container_id)
    return Terminal(sock, name, on_end=lambda: _wait_stopped(api, container_id))


def _wait_stopped(api, container_id: str, timeout: float = 10.0) -> None:
    """After the attached stream ends: wait (bounded) until the engine records the exit."""
    try:
        api.wait(container_id, timeout=timeout)
    except Exception:
        pass  # still running after the timeout, or already removed (--rm): nothing to wait for


def _resize(resize, ident: str) -> None:
    """A wide TTY: programs then wrap lines only where the output area does."""
    try:
        resize(ident, height=ROWS, width=COLUMNS)
    except Exception:
        pass  # a container that already exited cannot be resized: nothing to show anyway
