"""``run --wait``: return once a service in a container is ready to use.

Ready means, in order of what the container offers: its healthcheck says
healthy; or a log line matches ``--wait-log``; or every published port has a
server listening behind it. A container that stops, or a timeout, raises with
the last lines of its logs.

Where the ports are knocked on depends on where the engine is. An engine on
this machine (a local socket) routes its containers' addresses from here, so
each port is tried on the container's own address. An engine elsewhere
(``tcp://``, ``ssh://``) does not: its containers' addresses may even be those
of other containers on this machine. There the container is asked through the
engine which ports it listens on (an exec of ``cat /proc/net/tcp
/proc/net/tcp6``, read in the container's own network namespace), which needs
no route to it and no port reachable from here.
"""

from __future__ import annotations

import errno
import re
import socket
import time
from typing import Any

from ..errors import DockerMagicError
from .containers import inspect, logs_tail
from .errors import call


def _logs_tail(api: Any, cid: str, lines: int = 15) -> str:
    try:
        return logs_tail(api, cid, lines).rstrip()
    except DockerMagicError:
        return ""


def _published(state: dict[str, Any]) -> list[tuple[str, int]]:
    """Where to knock for each published port.

    The engine's userland proxy accepts connections on the host port even
    before anything listens inside, so the container's own address is tried
    (reachable from the engine's host); the host port only when it has none.
    """
    settings = state.get("NetworkSettings") or {}
    ip = settings.get("IPAddress") or next(
        (n.get("IPAddress") for n in (settings.get("Networks") or {}).values() if n.get("IPAddress")), ""
    )
    out = []
    for port, bindings in (settings.get("Ports") or {}).items():
        if not bindings or not port.endswith("/tcp"):
            continue
        if ip:
            out.append((ip, int(port.split("/")[0])))
            continue
        for b in bindings:
            host = b.get("HostIp") or "127.0.0.1"
            out.append(("127.0.0.1" if host in ("0.0.0.0", "::") else host, int(b["HostPort"])))
    return out


def _accepts(host: str, port: int) -> bool | None:
    """True: a server took the connection; False: refused; None: no way there from here."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except ConnectionRefusedError:
        return False
    except OSError as exc:  # a timeout, no route (a rootless engine's private network)...
        return False if exc.errno == errno.ECONNREFUSED else None


# /proc/net/tcp{,6} columns: sl local_address rem_address st ...; st 0A is LISTEN
_LISTEN = "0A"
_LOOPBACK = ("0100007F", "00000000000000000000000001000000")  # 127.0.0.1, ::1 (as the kernel prints them)


def listening_ports(api: Any, cid: str) -> set[int] | None:
    """The TCP ports a server listens on in the container, beyond its loopback; None: no ``cat`` to ask.

    Read through the engine (an exec), so it works wherever the engine is.
    """
    created = call(
        api.exec_create, cid, ["cat", "/proc/net/tcp", "/proc/net/tcp6"], stdout=True, stderr=False
    )
    output = call(api.exec_start, created["Id"])
    code = call(api.exec_inspect, created["Id"]).get("ExitCode")
    if code in (126, 127):  # no cat in the image (a missing tcp6 table is exit 1, with the rest read)
        return None
    ports = set()
    for line in bytes(output or b"").decode(errors="replace").splitlines():
        fields = line.split()
        if len(fields) > 3 and fields[3] == _LISTEN and ":" in fields[1]:
            address, _, port = fields[1].partition(":")
            if address not in _LOOPBACK:  # a server on the loopback cannot be reached through a port
                ports.add(int(port, 16))
    return ports


def _container_ports(doc: dict[str, Any]) -> set[int]:
    found = ((doc.get("NetworkSettings") or {}).get("Ports") or {}).items()
    return {int(port.split("/")[0]) for port, bindings in found if bindings and port.endswith("/tcp")}


def _listening_inside(api: Any, cid: str, doc: dict[str, Any]) -> bool:
    ports = listening_ports(api, cid)
    if ports is None:
        raise DockerMagicError(
            "Cannot tell whether the container's ports are ready: the engine is not on this machine, "
            "so they are checked from inside the container, and its image has no 'cat' to read them "
            "with. Give it a healthcheck (--health-cmd) or wait for a log line (--wait-log REGEX)."
        )
    return _container_ports(doc) <= ports


def _ready(api: Any, cid: str, doc: dict[str, Any], pattern: re.Pattern[str] | None, local: bool) -> bool:
    health = (doc.get("State") or {}).get("Health")
    if health is not None and health.get("Status"):  # Podman sends an empty Health without a healthcheck
        if health.get("Status") == "unhealthy":
            raise DockerMagicError(f"The container's healthcheck reports unhealthy:\n{_logs_tail(api, cid)}")
        return bool(health.get("Status") == "healthy")
    if pattern is not None:
        return bool(pattern.search(logs_tail(api, cid)))
    if not local:
        return _listening_inside(api, cid, doc)
    knocks = [_accepts(h, p) for h, p in _published(doc)]
    if None in knocks:  # the container's address is not routed from here after all
        return _listening_inside(api, cid, doc)
    return all(knocks)


def wait_ready(
    api: Any,
    cid: str,
    timeout: float,
    log_pattern: str | None = None,
    poll: float = 0.25,
    *,
    local: bool = True,
) -> float:
    """Block until ready; return the seconds it took.

    ``local``: the engine runs on this machine (its containers' addresses are routed from here).
    """
    pattern = re.compile(log_pattern, re.M) if log_pattern else None
    start = time.monotonic()
    while True:
        doc = inspect(api, cid)
        state = doc.get("State") or {}
        if not state.get("Running"):
            raise DockerMagicError(
                f"The container stopped while waiting for it (exit code {state.get('ExitCode')}); "
                f"its last log lines:\n{_logs_tail(api, cid)}"
            )
        if _ready(api, cid, doc, pattern, local):
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            what = (
                "healthy"
                if (state.get("Health") or {}).get("Status")
                else f"a log line matching {log_pattern!r}"
                if pattern
                else "its published ports to accept connections"
            )
            raise DockerMagicError(
                f"Timed out after {timeout:g}s waiting for {what}; "
                f"its last log lines:\n{_logs_tail(api, cid)}"
            )
        time.sleep(poll)
