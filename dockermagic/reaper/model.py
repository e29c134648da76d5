"""The clean-up modes and the one-line messages the kernel sends the watchdog."""

from __future__ import annotations

from enum import Enum


class Mode(str, Enum):
    """What goes when the kernel goes."""

    TEMPORARY = "temporary"  # what the user made temporary: --rm, foreground runs, terminals
    SESSION = "session"  # everything the kernel created: containers, networks, volumes, built images
    NONE = "none"  # nothing


# Messages, one per line, kernel -> watchdog. End of file means the kernel is gone.
MODE = "mode"  # "mode session": the mode changed
IMAGE = "image"  # "image sha256:...": the kernel built this image
EXEC = "exec"  # "exec CONTAINER_ID EXEC_ID": the kernel started a process in a container


def message(kind: str, value: str) -> bytes:
    return f"{kind} {value}\n".encode()


def read_message(line: bytes) -> tuple[str, str] | None:
    """``(kind, value)`` from one line; None for anything else (never fails the watchdog)."""
    kind, _, value = line.decode(errors="replace").strip().partition(" ")
    if kind not in (MODE, IMAGE, EXEC) or not value:
        return None
    if kind == MODE and value not in {m.value for m in Mode}:
        return None
    if kind == EXEC and len(value.split()) != 2:
        return None
    return kind, value
