"""An OpenSSH server on 127.0.0.1 for the ssh:// engine tests, and an ssh client set up for it.

Debian's sshd, started by the test on free ports with its own config file,
host key and authorized key under a temp dir; the client side is an ssh config
file (``-F``) naming the test's key and a known_hosts file holding the
server's key, so nothing in the user's ~/.ssh is read or changed and host key
checking stays strict. A second port serves sessions whose PATH has no docker.
Whatever the server runs is the user's own ``docker`` against the main engine.
"""

from __future__ import annotations

import getpass
import os
import socket
import subprocess
import time
from pathlib import Path

SSHD = "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def keygen(path: Path) -> Path:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dockermagic-test", "-f", str(path)], check=True
    )
    return path


class Sshd:
    """``with Sshd(directory) as server:`` ... ``server.url``, ``server.options``, ``server.logins()``."""

    def __init__(self, directory: Path):
        self.dir = directory
        self.user = getpass.getuser()
        self.port, self.no_docker_port = free_port(), free_port()
        self.process: subprocess.Popen[bytes] | None = None

    # -- the addresses and client options a test uses ----------------------------------
    @property
    def url(self) -> str:
        return f"ssh://{self.user}@127.0.0.1:{self.port}"

    @property
    def no_docker_url(self) -> str:
        return f"ssh://{self.user}@127.0.0.1:{self.no_docker_port}"

    def client_config(
        self, name: str = "ssh_config", key: Path | None = None, known: Path | None = None
    ) -> Path:
        """An ssh client config file: the test's key (or ``key``), strict checks against ``known``."""
        path = self.dir / name
        path.write_text(
            "Host *\n"
            f"  IdentityFile {key or self.client_key}\n"
            "  IdentitiesOnly yes\n"
            "  IdentityAgent none\n"
            f"  UserKnownHostsFile {known or self.known_hosts}\n"
            "  GlobalKnownHostsFile /dev/null\n"
            "  StrictHostKeyChecking yes\n"
        )
        return path

    @property
    def options(self) -> list[str]:
        return ["-F", str(self.config)]

    def logins(self) -> int:
        """How many ssh connections the server accepted (one per authentication)."""
        return self.log().count("Accepted publickey for")

    def sessions(self) -> int:
        """How many sessions (commands) ran over those connections."""
        return self.log().count("Starting session:")

    def log(self) -> str:
        return (self.dir / "sshd.log").read_text(errors="replace")

    # -- start and stop -------------------------------------------------------------------
    def __enter__(self) -> Sshd:
        d = self.dir
        host_key = keygen(d / "host_key")
        self.client_key = keygen(d / "client_key")
        (d / "authorized_keys").write_text((d / "client_key.pub").read_text())
        (d / "sshd_config").write_text(
            f"Port {self.port}\n"
            f"Port {self.no_docker_port}\n"
            "ListenAddress 127.0.0.1\n"
            f"HostKey {host_key}\n"
            f"AuthorizedKeysFile {d / 'authorized_keys'}\n"
            f"PidFile {d / 'sshd.pid'}\n"
            "StrictModes no\n"  # the temp dir's parents are world-writable (/tmp)
            "UsePAM no\n"
            "PasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\n"
            "PermitRootLogin prohibit-password\n"
            "LogLevel VERBOSE\n"
            f"Match LocalPort {self.no_docker_port}\n"
            "  SetEnv PATH=/nonexistent\n"
        )
        server_key = (d / "host_key.pub").read_text().split()[:2]
        self.known_hosts = d / "known_hosts"
        self.known_hosts.write_text(
            "".join(
                f"[127.0.0.1]:{port} {' '.join(server_key)}\n" for port in (self.port, self.no_docker_port)
            )
        )
        self.config = self.client_config()
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation directory
        with open(d / "sshd.log", "wb") as log:
            self.process = subprocess.Popen(
                [SSHD, "-D", "-e", "-f", str(d / "sshd_config")], stdin=subprocess.DEVNULL, stderr=log
            )
        deadline = time.monotonic() + 10
        while not all(self._answers(port) for port in (self.port, self.no_docker_port)):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"sshd did not start: {self.log()[-2000:]}")
            time.sleep(0.05)
        return self

    def _answers(self, port: int) -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __exit__(self, *exc: object) -> None:
        self.stop()
