"""A second, throwaway dockerd in a temporary directory, for tests that kill it.

The shared engine must never be stopped; this one has its own data root, exec
root, pid file and socket, its own bridge, no iptables rules, and the same
registry mirror as the set-up's engine (the local registry serves
debian:bookworm). Not ``--bridge=none``: a dockerd started so deletes the host's
``docker0``, the shared engine's bridge (it shares the network namespace).
Everything it leaves behind after a SIGKILL (containerd, shims, mounts) is
found by the temporary directory's path in the process command lines and the
mount table, and removed by pid and by mount point.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

MIRROR = "http://127.0.0.1:5000"


# Linux ioctls (no iproute2 on a fresh machine): bridges and interface addresses
_SIOCBRADDBR, _SIOCBRDELBR = 0x89A0, 0x89A1
_SIOCGIFFLAGS, _SIOCSIFFLAGS, _SIOCSIFADDR, _SIOCSIFNETMASK = 0x8913, 0x8914, 0x8916, 0x891C
_IFF_UP = 0x1


def _ifreq_addr(name: str, address: str) -> bytes:
    return struct.pack(
        "16sH2s4s8s", name.encode(), socket.AF_INET, b"\0\0", socket.inet_aton(address), b"\0" * 8
    )


def add_bridge(name: str, address: str, netmask: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s, _SIOCBRADDBR, name.encode())
        fcntl.ioctl(s, _SIOCSIFADDR, _ifreq_addr(name, address))
        fcntl.ioctl(s, _SIOCSIFNETMASK, _ifreq_addr(name, netmask))


def delete_bridge(name: str) -> None:
    """Down, then delete (the kernel refuses to delete a bridge that is up)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            request = struct.pack("16sH22s", name.encode(), 0, b"")
            flags = struct.unpack("16sH22s", fcntl.ioctl(s, _SIOCGIFFLAGS, request))[1]
            fcntl.ioctl(s, _SIOCSIFFLAGS, struct.pack("16sH22s", name.encode(), flags & ~_IFF_UP, b""))
            fcntl.ioctl(s, _SIOCBRDELBR, name.encode())
        except OSError:
            pass  # already gone


def _pids_mentioning(text: str) -> list[int]:
    """Processes whose command line names ``text`` (the engine's own directory)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if text.encode() in f.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class ThrowawayEngine:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="dm-engine-")
        self.socket = os.path.join(self.root, "docker.sock")
        self.address = f"unix://{self.socket}"
        self.log_path = os.path.join(self.root, "dockerd.log")
        self.process: subprocess.Popen | None = None
        # a bridge of its own, in an address range kept for tests (RFC 2544), no NAT, no rules
        self.bridge = "dmf" + os.path.basename(self.root)[-8:].replace("_", "0").lower()
        add_bridge(self.bridge, "198.18.251.1", "255.255.255.0")
        with open(os.path.join(self.root, "daemon.json"), "w") as f:
            json.dump({}, f)  # never the host's daemon.json

    def client(self, timeout: float = 60):
        import docker

        return docker.DockerClient(base_url=self.address, timeout=timeout)

    def start(self, ready_within: float = 20.0) -> None:
        self._forget_dead_containerd()
        argv = [
            "dockerd",
            "--data-root",
            os.path.join(self.root, "data"),
            "--exec-root",
            os.path.join(self.root, "exec"),
            "--pidfile",
            os.path.join(self.root, "dockerd.pid"),
            "--config-file",
            os.path.join(self.root, "daemon.json"),
            "-H",
            self.address,
            "--bridge",
            self.bridge,
            "--iptables=false",
            "--ip-masq=false",
            "--ip-forward=false",
            "--registry-mirror",
            MIRROR,
        ]
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the throwaway dockerd exited: {self.log_tail()}")
            try:
                client = self.client(timeout=2)
                client.ping()
                client.close()
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError(f"the throwaway dockerd did not answer within {ready_within} s: {self.log_tail()}")

    def _forget_dead_containerd(self) -> None:
        """A containerd killed with its dockerd may stay a zombie under its pid; dockerd would
        take that pid for a running containerd and wait for it forever."""
        pidfile = os.path.join(self.root, "exec", "containerd", "containerd.pid")
        try:
            with open(pidfile) as f:
                pid = int(f.read().strip() or 0)
        except (OSError, ValueError):
            return
        if not _alive(pid):
            os.unlink(pidfile)

    def ensure_up(self) -> None:
        """Start it again unless it is running (after a kill, or a test that failed half-way)."""
        if self.process is not None and self.process.poll() is None and self.answers():
            return
        self.wait_stopped()
        self.start()

    def answers(self) -> bool:
        try:
            client = self.client(timeout=2)
            try:
                return client.ping()
            finally:
                client.close()
        except Exception:
            return False

    def log_tail(self, lines: int = 5) -> str:
        try:
            with open(self.log_path, errors="replace") as f:
                return " | ".join(f.read().splitlines()[-lines:])
        except OSError:
            return ""

    def signal(self, sig: int) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, sig)

    def wait_stopped(self, within: float = 30.0) -> None:
        """Wait for dockerd itself to exit (SIGTERM: it stops its containers first)."""
        if self.process is None:
            return
        try:
            self.process.wait(within)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.process = None
        # after a SIGKILL its containerd runs on, and a new dockerd cannot start its own
        # beside it; the shims (the containers) stay and are picked up again
        daemons = [
            p
            for p in _pids_mentioning(os.path.join(self.root, "exec", "containerd", "containerd.toml"))
            if _alive(p)
        ]
        for pid in daemons:
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while daemons and time.monotonic() < deadline:
            daemons = [p for p in daemons if _alive(p)]
            time.sleep(0.05)

    def load_image(self, tar_path: str) -> None:
        client = self.client(timeout=300)
        try:
            with open(tar_path, "rb") as f:
                client.api.load_image(f)
        finally:
            client.close()

    def has_image(self, ref: str) -> bool:
        client = self.client()
        try:
            client.api.inspect_image(ref)
            return True
        except Exception:
            return False
        finally:
            client.close()

    def containers(self) -> list[dict]:
        client = self.client()
        try:
            return client.api.containers(all=True)
        finally:
            client.close()

    def remove_all_containers(self) -> None:
        client = self.client()
        try:
            for c in client.api.containers(all=True):
                try:
                    client.api.remove_container(c["Id"], force=True, v=True)
                except Exception:
                    pass  # removed by AutoRemove meanwhile
        finally:
            client.close()

    def destroy(self) -> None:
        """Stop the engine (SIGTERM), then remove every process, mount and file it left."""
        self.signal(signal.SIGTERM)
        self.wait_stopped(30)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            pids = [p for p in _pids_mentioning(self.root) if _alive(p)]
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
            deadline = time.monotonic() + 5
            while pids and time.monotonic() < deadline:
                pids = [p for p in pids if _alive(p)]
                time.sleep(0.1)
        self.unmount_all()
        delete_bridge(self.bridge)
        shutil.rmtree(self.root, ignore_errors=True)

    def mounts(self) -> list[str]:
        with open("/proc/self/mounts") as f:
            points = [line.split()[1].replace("\\040", " ") for line in f]
        return [p for p in points if p == self.root or p.startswith(self.root + "/")]

    def unmount_all(self) -> None:
        for point in sorted(self.mounts(), key=len, reverse=True):
            subprocess.run(["umount", "-l", point], capture_output=True, timeout=30)

    def leftover_processes(self) -> list[int]:
        """Processes still running that name this engine's directory, dockerd itself excepted."""
        own = self.process.pid if self.process is not None else None
        return [p for p in _pids_mentioning(self.root) if p != own and _alive(p)]
