"""Running a command inside a container: live output, exit code, and a real stop.

The Engine API has no way to kill an exec. On interrupt, the exec's process
(``exec_inspect`` gives its pid on the engine's host) and its descendants are
signalled directly when this kernel runs on that host, which is the common
case; otherwise a fixed script, exec'd inside the container, finds the process
through the container's /proc and kills it with its descendants.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import ContainerFailed, DockerMagicError, EngineUnavailable
from .errors import call, explained
from .streams import Collector, close_quietly, end_input, pump, raw_socket


def running_container(api: Any, ref: str) -> dict[str, Any]:
    """The inspect document of a running, unpaused container; otherwise one line saying what to do."""
    missing = (
        f"No such container: {ref}. Start one with %docker run -d --name {ref} IMAGE "
        "sleep infinity, or see %docker ps -a."
    )
    with explained(missing=missing):
        doc: dict[str, Any] = api.inspect_container(ref)
    state = doc["State"]
    if not state.get("Running") or state.get("Paused"):
        status = state.get("Status")
        raise DockerMagicError(
            f"Container {ref!r} is not running (status {status}): start it with %docker start {ref}."
        )
    return doc


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    out, queue = [], [pid]
    while queue:
        p = queue.pop()
        out.append(p)
        queue.extend(children.get(p, []))
    return out


def stop_exec(
    api: Any, exec_id: str, container_id: str, grace: float = 2.0, local: bool | None = None
) -> None:
    """Stop what an exec started: SIGTERM, then SIGKILL after ``grace`` seconds.

    ``local`` forces (True) or refuses (False) signalling from this host;
    None decides by whether the exec's pid is visible here in the container's cgroup.
    """
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            info = api.exec_inspect(exec_id)
        except Exception:
            return
        pid = info.get("Pid")
        if not info.get("Running") or not pid:
            return
        here = (
            local
            if local is not None
            else (os.path.exists(f"/proc/{pid}") and container_id[:12] in _cgroup(pid))
        )
        if here:
            for p in reversed(_descendants(pid)):
                try:
                    os.kill(p, sig)
                except OSError:
                    pass
        else:
            _kill_inside(api, container_id, sig, _exec_argv(info))
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            try:
                if not api.exec_inspect(exec_id).get("Running"):
                    return
            except Exception:
                return
            time.sleep(0.1)


# Run inside the container when its processes are not visible from here. Exec'd
# processes have parent pid 0 in the container's namespace (their parent is the
# runtime, outside it); the newest such one whose command line matches the exec's
# is signalled with all its descendants. Everything user-given arrives as "$@".
_KILL_TREE = r"""
sig=$1; shift; want=$(printf '%s ' "$@")
ppid() { sed -n 's/^PPid:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null; }
kids() { for d in /proc/[0-9]*; do k=${d#/proc/}; [ "$(ppid "$k")" = "$1" ] && echo "$k" && kids "$k"; done; }
root=
for d in /proc/[0-9]*; do
  p=${d#/proc/}
  [ "$p" = 1 ] || [ "$p" = $$ ] || [ "$(ppid "$p")" != 0 ] && continue
  [ "$(tr '\0' ' ' < "$d/cmdline" 2>/dev/null)" = "$want" ] && root=$p
done
[ -n "$root" ] && kill "-$sig" $root $(kids "$root") 2>/dev/null
exit 0
"""


def _exec_argv(info: dict[str, Any]) -> list[str]:
    config = info.get("ProcessConfig") or {}
    return [config.get("entrypoint") or ""] + list(config.get("arguments") or [])


def _kill_inside(api: Any, container_id: str, sig: signal.Signals, argv: list[str]) -> None:
    try:
        killer = api.exec_create(
            container_id, ["sh", "-c", _KILL_TREE, "sh", sig.name[3:], *argv], stdout=True, stderr=True
        )
        api.exec_start(killer["Id"])
    except Exception:
        pass  # best effort: the caller still waits and reports


def _cgroup(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cgroup") as f:
            return f.read()
    except OSError:
        return ""


@dataclass(frozen=True)
class Process:
    """What an exec runs, and how: the same for a detached, a streamed and a terminal exec."""

    command: tuple[str, ...]
    env: tuple[str, ...] = ()
    workdir: str | None = None
    user: str | None = None
    privileged: bool = False


def create(
    api: Any,
    container_id: str,
    process: Process,
    *,
    stdin: bool = False,
    tty: bool = False,
    detach_keys: str | None = None,
) -> str:
    """``POST /containers/{id}/exec``: the new exec's id."""
    created: dict[str, Any] = call(
        api.exec_create,
        container_id,
        list(process.command),
        stdout=True,
        stderr=True,
        stdin=stdin,
        tty=tty,
        environment=list(process.env) or None,
        workdir=process.workdir,
        user=process.user or "",
        privileged=process.privileged,
        detach_keys=detach_keys,
    )
    return str(created["Id"])


def start_detached(api: Any, exec_id: str) -> None:
    call(api.exec_start, exec_id, detach=True)


def start_socket(api: Any, exec_id: str, tty: bool = False) -> Any:
    """``POST /exec/{id}/start``, hijacked: the socket of its streams."""
    return call(api.exec_start, exec_id, tty=tty, socket=True)


def resize(api: Any, exec_id: str, rows: int, columns: int) -> None:
    """Best effort: an exec that already ended cannot be resized (nothing to show anyway)."""
    with contextlib.suppress(Exception):
        api.exec_resize(exec_id, height=rows, width=columns)


def run_exec(
    api: Any,
    container_id: str,
    process: Process,
    out_sink: Callable[[str], object],
    err_sink: Callable[[str], object],
    *,
    script: str | None = None,
    raise_on_error: bool = True,
    started: Callable[[str], object] | None = None,
) -> tuple[int, str, str, float]:
    """Run ``process`` in the container; stream output; return (code, stdout, stderr, seconds).

    ``script``: fed to the command on stdin, then end of input (``%%dexec``).
    ``started(exec_id)``: told before the process starts (clean-up stops it if the kernel dies).
    """
    exec_id = create(api, container_id, process, stdin=script is not None)
    if started is not None:
        started(exec_id)
    out, err = Collector(out_sink), Collector(err_sink)
    begun = time.monotonic()
    sock = start_socket(api, exec_id)
    try:
        raw = raw_socket(sock)
        raw.settimeout(None)
        if script is not None:
            raw.sendall(script.encode("utf-8"))
            end_input(sock)  # end of the script: the interpreter sees EOF
        pump(sock, False, out, err)
    except BaseException as exc:
        if not isinstance(exc, EngineUnavailable):  # a gone engine has stopped its containers
            stop_exec(api, exec_id, container_id)
        raise
    finally:
        close_quietly(sock)
    code = _exit_code(api, exec_id)
    seconds = time.monotonic() - begun
    if code and raise_on_error:
        tail = err.tail() or out.tail()
        raise ContainerFailed(
            f"The command exited with code {code}" + (f":\n{tail}" if tail else ""), code, tail
        )
    return code, out.text, err.text, seconds


def _exit_code(api: Any, exec_id: str) -> int:
    info: dict[str, Any] = {}
    for _ in range(100):  # the exit code lands a moment after the stream closes
        info = call(api.exec_inspect, exec_id)
        if not info.get("Running") and info.get("ExitCode") is not None:
            return int(info["ExitCode"])
        time.sleep(0.05)
    return int(info.get("ExitCode") or 0)
