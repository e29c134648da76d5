"""``run --wait``: return once a service in a container is ready to use.

Ready means, in order of what the container offers: its healthcheck says
healthy; or a log line matches ``--wait-log``; or every published port accepts
a TCP connection on the address it is published on. A container that stops,
or a timeout, raises with the last lines of its logs.
"""

from __future__ import annotations

import re
import socket
import time
from typing import Any

from ..errors import DockerMagicError
from .containers import inspect, logs_tail


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


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _ready(api: Any, cid: str, doc: dict[str, Any], pattern: re.Pattern[str] | None) -> bool:
    health = (doc.get("State") or {}).get("Health")
    if health is not None:
        if health.get("Status") == "unhealthy":
            raise DockerMagicError(f"The container's healthcheck reports unhealthy:\n{_logs_tail(api, cid)}")
        return bool(health.get("Status") == "healthy")
    if pattern is not None:
        return bool(pattern.search(logs_tail(api, cid)))
    ports = _published(doc)
    return all(_accepts(h, p) for h, p in ports)


def wait_ready(
    api: Any, cid: str, timeout: float, log_pattern: str | None = None, poll: float = 0.25
) -> float:
    """Block until ready; return the seconds it took."""
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
        if _ready(api, cid, doc, pattern):
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            what = (
                "healthy"
                if state.get("Health")
                else f"a log line matching {log_pattern!r}"
                if pattern
                else "its published ports to accept connections"
            )
            raise DockerMagicError(
                f"Timed out after {timeout:g}s waiting for {what}; "
                f"its last log lines:\n{_logs_tail(api, cid)}"
            )
        time.sleep(poll)
