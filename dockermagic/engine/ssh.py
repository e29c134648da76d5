"""``ssh://`` engines through the system ssh client, as the docker CLI reaches them.

Every engine connection is ``ssh ... -- HOST docker system dial-stdio``, the
CLI's own command, so the user's ssh configuration applies (keys, agent,
ProxyJump, known_hosts). They all ride on ONE ssh connection per transport:
an OpenSSH master (``ControlMaster``) started on first use, with its control
socket in a private directory made for this kernel. Each dial is a
multiplexed session of that master, never a new login. The master forks into
the background once logged in (``ControlPersist``): it is told to exit when the
client is let go (a new address, ``%unload_ext``) or the kernel exits, and ends
by itself ``IDLE`` seconds after its last session if the kernel was killed.

A dial's two ends are a socket pair: the SDK reads and writes a real socket
(timeouts, ``poll``, half-close all work as for a unix socket), and ssh has
the other end as its stdin and stdout. No shell runs here: argument lists only
(the remote command line goes through the remote user's shell, as with the CLI).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import EngineUnavailable

IDLE = 60  # seconds the ssh master stays once no session uses it (a killed kernel's ends so)


class TransportError(ConnectionError):
    """ssh could not carry a request: ``what`` failed, ``todo`` says what to do."""

    def __init__(self, what: str, todo: str):
        super().__init__(f"{what}: {todo}")
        self.what, self.todo = what, todo

    def one_line(self, where: str) -> str:
        return f"{self.what} (engine at {where}): {self.todo}."


@dataclass(frozen=True)
class SSHTarget:
    """``ssh://[user@]host[:port][/socket-path]``, read as the CLI reads it."""

    host: str
    user: str | None = None
    port: str | None = None
    path: str | None = None

    @classmethod
    def parse(cls, address: str) -> SSHTarget:
        parts = urlsplit(address)
        if parts.scheme != "ssh":
            raise EngineUnavailable(f"Not an ssh address: {address!r} (write ssh://[USER@]HOST[:PORT]).")
        why = None
        if parts.password is not None:
            why = "a password in the address is not supported: use a key (ssh-agent or IdentityFile)"
        elif parts.query or parts.fragment:
            why = "an ssh address takes no ?query or #fragment"
        elif not parts.hostname:
            why = "the host name is missing"
        try:
            port = parts.port
        except ValueError:
            why = "the port is not a number"
            port = None
        if why:
            raise EngineUnavailable(
                f"Invalid ssh address {address!r}: {why} (write ssh://[USER@]HOST[:PORT])."
            )
        path = parts.path if parts.path.strip("/") else None
        host = str(parts.hostname)
        at = parts.netloc.lower().rfind(host)  # urlsplit lowers the case; ssh's config may not
        host = parts.netloc[at : at + len(host)] if at >= 0 else host
        return cls(host, parts.username or None, str(port) if port else None, path)

    def login_args(self) -> list[str]:
        """``-l USER -p PORT -- HOST``: what names the remote machine (``--``: a host is never a flag)."""
        args = ["-l", self.user] if self.user else []
        args += ["-p", self.port] if self.port else []
        return [*args, "--", self.host]

    def remote_command(self) -> list[str]:
        if self.path:
            return ["docker", shlex.quote(f"--host=unix://{self.path}"), "system", "dial-stdio"]
        return ["docker", "system", "dial-stdio"]

    @property
    def shown(self) -> str:
        """``user@host -p port``, as a person would type it to ssh."""
        who = f"{self.user}@{self.host}" if self.user else self.host
        return f"{who} -p {self.port}" if self.port else who


class _DialSocket(socket.socket):
    """Our end of one dial: a failed ssh is reported in one line, not as a bare end of stream."""

    transport: SSHTransport
    process: subprocess.Popen[bytes]
    received = False

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        count = super().recv_into(buffer, nbytes, flags)
        if count:
            self.received = True
        elif not self.received:
            self.transport.diagnose(self.process)
        return count

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        data = super().recv(bufsize, flags)
        if data:
            self.received = True
        elif not self.received:
            self.transport.diagnose(self.process)
        return data


_live: weakref.WeakSet[SSHTransport] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:  # the kernel ends: no master outlives it
    for transport in list(_live):
        transport.close()


class SSHTransport:
    """One ssh master per transport, and ``dial()`` for each engine connection over it."""

    def __init__(
        self,
        address: str,
        options: list[str] | tuple[str, ...] = (),
        connect_timeout: float = 30.0,
        idle: int = IDLE,
    ):
        self.address = address
        self.target = SSHTarget.parse(address)
        self.options = list(options)
        self.connect_timeout = connect_timeout
        self.idle = idle
        self._dir: str | None = None
        self._master: subprocess.Popen[bytes] | None = None  # until it forks into the background
        self._dials: list[subprocess.Popen[bytes]] = []
        self._lock = threading.Lock()
        _live.add(self)

    # -- the ssh command lines ------------------------------------------------------------
    def _control_path(self) -> str:
        assert self._dir is not None
        return os.path.join(self._dir, "master").replace("%", "%%")  # ssh expands % tokens

    def _common(self) -> list[str]:
        args = ["ssh", *self.options]
        # the CLI's own addition, unless the user set one (ssh's keywords are case-insensitive)
        if not any("connecttimeout" in option.lower() for option in self.options):
            args += ["-o", f"connecttimeout={max(1, round(self.connect_timeout))}"]
        # BatchMode: a kernel has no terminal to type a password or a yes/no into
        return [*args, "-o", "BatchMode=yes", "-o", f"ControlPath={self._control_path()}", "-T"]

    def master_args(self) -> list[str]:
        return [
            *self._common(),
            "-o",
            "ControlMaster=yes",
            "-o",
            f"ControlPersist={self.idle}",
            "-N",
            *self.target.login_args(),
        ]

    def dial_args(self) -> list[str]:
        return [
            *self._common(),
            "-o",
            "ControlMaster=no",
            *self.target.login_args(),
            *self.target.remote_command(),
        ]

    def control_args(self, operation: str) -> list[str]:
        """``ssh -O check`` / ``-O exit``: ask the master through its control socket."""
        return [
            "ssh",
            *self.options,
            "-o",
            f"ControlPath={self._control_path()}",
            "-O",
            operation,
            *self.target.login_args(),
        ]

    # -- the master -------------------------------------------------------------------------
    def _control(self, operation: str) -> subprocess.CompletedProcess[bytes] | None:
        if self._dir is None or not os.path.exists(os.path.join(self._dir, "master")):
            return None
        try:
            return subprocess.run(self.control_args(operation), capture_output=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None

    def _ensure_master(self) -> None:
        with self._lock:
            checked = self._control("check")
            if checked is not None and checked.returncode == 0:
                return
            if self._dir is None:
                self._dir = tempfile.mkdtemp(prefix="dockermagic-ssh-")
            control = os.path.join(self._dir, "master")
            log = os.path.join(self._dir, "master.log")
            with contextlib.suppress(OSError):
                os.unlink(control)
            try:
                with open(log, "wb") as err:
                    master = subprocess.Popen(
                        self.master_args(),
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=err,
                        start_new_session=True,  # a Ctrl-C in the kernel is not the connection's
                    )
            except FileNotFoundError:
                raise TransportError(
                    "No ssh client on this machine (ssh:// engines go through it)",
                    "install OpenSSH's client (Debian: apt-get install openssh-client), or use a tcp:// address",
                ) from None
            deadline = time.monotonic() + self.connect_timeout + 10
            # the control socket appears once logged in; then the master forks into the
            # background (ControlPersist) and ends by itself once idle, even after a killed kernel
            while not os.path.exists(control):
                if master.poll() not in (None, 0):
                    raise self._login_failure(_read(log))
                if time.monotonic() > deadline:
                    _stop(master)
                    raise TransportError(
                        f"ssh {self.target.shown} did not finish logging in within "
                        f"{self.connect_timeout + 10:g} s",
                        "check that 'ssh "
                        + self.target.shown
                        + " true' works in a terminal without a prompt",
                    )
                time.sleep(0.02)
            self._master = master

    def _login_failure(self, said: str) -> TransportError:
        words = _last_line(said) or "no message"
        shown, target = self.target.shown, self.target
        if "IDENTIFICATION HAS CHANGED" in said:
            return TransportError(
                f"The ssh host key of {target.host} changed since known_hosts recorded it ({words})",
                "if the change is expected, remove the old key (ssh-keygen -R HOST, or '[HOST]:PORT') "
                "and add the new one after checking its fingerprint",
            )
        if "Host key verification failed" in said or "host key is known" in said:
            port = f"-p {target.port} " if target.port else ""
            return TransportError(
                f"ssh does not know the host key of {target.host} ({words})",
                f"check its fingerprint and add it to ~/.ssh/known_hosts (ssh-keyscan {port}{target.host} "
                f">> ~/.ssh/known_hosts), or log in once with 'ssh {shown}' in a terminal",
            )
        if "Permission denied" in said or "Too many authentication failures" in said:
            return TransportError(
                f"The ssh server refused to log in {shown} ({words})",
                "put your public key in the remote user's ~/.ssh/authorized_keys and make the key usable "
                "without a prompt (ssh-agent, or IdentityFile in ~/.ssh/config): a kernel cannot type a password",
            )
        return TransportError(
            f"ssh {shown} failed ({words})",
            "check the address, and that 'ssh " + shown + " true' works in a terminal",
        )

    # -- one engine connection ------------------------------------------------------------
    def dial(self, timeout: float | None) -> socket.socket:
        """A new connection to the engine: ``docker system dial-stdio`` in a session of the master."""
        self._ensure_master()
        self._reap()
        ours, theirs = socket.socketpair()
        try:
            process = subprocess.Popen(
                self.dial_args(),
                stdin=theirs.fileno(),
                stdout=theirs.fileno(),
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except FileNotFoundError:
            ours.close()
            raise TransportError(
                "No ssh client on this machine (ssh:// engines go through it)",
                "install OpenSSH's client (Debian: apt-get install openssh-client)",
            ) from None
        finally:
            theirs.close()
        with self._lock:
            self._dials.append(process)
        sock = _DialSocket(ours.family, ours.type, fileno=ours.detach())
        sock.transport, sock.process = self, process
        sock.settimeout(timeout)
        return sock

    def diagnose(self, process: subprocess.Popen[bytes]) -> None:
        """A dial ended before its first byte: raise what ssh or the remote said, if it failed."""
        try:
            code = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return
        if code == 0:
            return
        try:
            said = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        except (OSError, ValueError):  # closed by close()
            said = ""
        words = _last_line(said) or f"exit status {code}"
        shown = self.target.shown
        if code == 127 or "not found" in said:
            raise TransportError(
                f"No docker command on {self.target.host} (ssh {shown} ran "
                f"'{' '.join(self.target.remote_command())}': {words})",
                "install Docker's CLI there (Debian: apt-get install docker.io), on the PATH that "
                "non-interactive ssh sessions get",
            )
        if code == 255:  # ssh's own failure: the master went away, or the session was refused
            raise self._login_failure(said)
        raise TransportError(
            f"'docker system dial-stdio' failed on {self.target.host} ({words})",
            "check that the engine runs there (ssh " + shown + " docker info)",
        )

    def _reap(self) -> None:
        """Forget finished dials (their socket, if still held, keeps its own for ``diagnose``)."""
        with self._lock:
            self._dials = [p for p in self._dials if p.poll() is None]

    # -- state and the end ------------------------------------------------------------------
    @property
    def directory(self) -> str | None:
        """The private directory of the control socket (None before the first connection)."""
        return self._dir

    @property
    def master_pid(self) -> int | None:
        """The running master's process id, as it tells it (None when none runs)."""
        checked = self._control("check")
        found = (
            re.search(rb"pid=(\d+)", checked.stderr)
            if checked is not None and checked.returncode == 0
            else None
        )
        return int(found.group(1)) if found else None

    def close(self) -> None:
        """Stop every dial and the master, and remove the private directory."""
        with self._lock:
            dials, self._dials = self._dials, []
            master, self._master = self._master, None
            directory, self._dir = self._dir, None
        if directory is not None:
            self._dir = directory
            self._control("exit")  # the master ends its connection and removes its socket
            self._dir = None
        for process in dials:
            _stop(process)
        if master is not None:
            _stop(master)
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
        _live.discard(self)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stderr is not None:
        process.stderr.close()


def _read(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
