"""Running a command inside a container: live output, exit code, and a real stop.

The Engine API has no way to kill an exec. On interrupt, the exec's process
(``exec_inspect`` gives its pid on the engine's host) and its descendants are
signalled directly when this kernel runs on that host, which is the common
case; otherwise a fixed script, exec'd inside the container, finds the process
through the container's /proc and kills it with its descendants.
"""
from __future__ import annotations

import os
import signal
import socket as _socket
import time

from ..errors import ContainerFailed, DockerMagicError, EngineUnavailable, NotFound, explain
from .containers import call
from .streams import STDERR, Collector, EngineWatch, close_quietly, frames, raw_socket


def running_container(api, ref: str) -> dict:
    try:
        doc = api.inspect_container(ref)
    except Exception as exc:
        error = explain(exc)
        if isinstance(error, NotFound):
            raise NotFound(f"No such container: {ref}. Start one with %docker run -d --name {ref} IMAGE "
                           "sleep infinity, or see %docker ps -a.", 404) from None
        raise error from None
    state = doc["State"]
    if not state.get("Running") or state.get("Paused"):
        status = state.get("Status")
        raise DockerMagicError(f"Container {ref!r} is not running (status {status}): start it with "
                               f"%docker start {ref}.")
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


def stop_exec(api, exec_id: str, container_id: str, grace: float = 2.0, local: bool | None = None) -> None:
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
        here = local if local is not None else (os.path.exists(f"/proc/{pid}")
                                                and container_id[:12] in _cgroup(pid))
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


def _exec_argv(info: dict) -> list[str]:
    config = info.get("ProcessConfig") or {}
    return [config.get("entrypoint") or ""] + list(config.get("arguments") or [])


def _kill_inside(api, container_id: str, sig: signal.Signals, argv: list[str]) -> None:
    try:
        killer = api.exec_create(container_id, ["sh", "-c", _KILL_TREE, "sh", sig.name[3:], *argv],
                                 stdout=True, stderr=True)
        api.exec_start(killer["Id"])
    except Exception:
        pass  # best effort: the caller still waits and reports


def _cgroup(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cgroup") as f:
            return f.read()
    except OSError:
        return ""


def run_exec(session, spec, doc: dict):
    """Run ``spec`` in the container; stream output; return (code, stdout, stderr, seconds)."""
    api = session.api
    cid = doc["Id"]
    created = call(api.exec_create, cid, list(spec.command), stdout=True, stderr=True,
                   stdin=spec.script is not None, tty=False, environment=list(spec.env) or None,
                   workdir=spec.workdir, user=spec.user or "", privileged=spec.privileged)
    exec_id = created["Id"]
    out, err = Collector(session.out), Collector(session.err)
    begun = time.monotonic()
    sock = call(api.exec_start, exec_id, socket=True)
    try:
        raw = raw_socket(sock)
        raw.settimeout(None)
        if spec.script is not None:
            raw.sendall(spec.script.encode("utf-8"))
            raw.shutdown(_socket.SHUT_WR)  # end of the script: the interpreter sees EOF
        # the stream ends when the command exits, or when the engine goes
        with EngineWatch(lambda: close_quietly(sock)) as watch:
            try:
                for stream, data in frames(sock, False):
                    (err if stream == STDERR else out).feed(data)
            except Exception:
                watch.check()
                raise
            watch.check()
    except BaseException as exc:
        if not isinstance(exc, EngineUnavailable):  # a gone engine has stopped its containers
            stop_exec(api, exec_id, cid)
        raise
    finally:
        close_quietly(sock)
    code = _exit_code(api, exec_id)
    seconds = time.monotonic() - begun
    if code and spec.raise_on_error:
        tail = err.tail() or out.tail()
        raise ContainerFailed(f"The command exited with code {code}" + (f":\n{tail}" if tail else ""),
                              code, tail)
    return code, out.text, err.text, seconds


def _exit_code(api, exec_id: str) -> int:
    for _ in range(100):  # the exit code lands a moment after the stream closes
        info = call(api.exec_inspect, exec_id)
        if not info.get("Running") and info.get("ExitCode") is not None:
            return info["ExitCode"]
        time.sleep(0.05)
    return info.get("ExitCode") or 0
