"""Docker engines in containers, as test machines: swarm nodes, an engine "elsewhere".

Each node is a container on the shared engine that runs its own dockerd (Debian's
docker.io) by the Docker-in-Docker recipe that works here without --privileged:
every capability but SYS_RESOURCE, no seccomp/apparmor confinement, the host's
cgroup namespace with the inner dockerd under a cgroup parent of its own (so it
never touches the outer engine's cgroups), and /var/lib/docker on a volume (so
overlay2 works). The inner dockerd listens on tcp inside, published on
127.0.0.1 at a free port, and `debian:bookworm` is loaded into it (saved once
per process, no registry needed). The nodes of one set share a network of their
own, on a subnet picked from 172.29.0.0/16: neither the fresh-machine script's
172.28.0.0/16 nor the subnets the tests create.

    with nodes(3) as (a, b, c):          # plain use, from a script or a test
        docker.DockerClient(base_url=a.address).info()

    def test_x(node_set):                 # pytest: node_set(2) inside a test, removed after it
        first, second = node_set(2)

Everything is labelled ``dockermagic.test=nodes-<run id>`` and removed at the end
(containers, volumes, network, the inner engines' cgroups), Ctrl-C included. The
node image (``dockermagic-node:<recipe hash>``, labelled ``dockermagic.test=node-image``)
is built once per process and reused by every module; the process that built it removes it
when it exits (a run that found it already there leaves it), so the leak check
of ``scripts/test.sh`` sees nothing left. ``DM_NODES_KEEP_IMAGE=1`` keeps it between
runs while developing.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import fcntl
import hashlib
import io
import os
import random
import signal
import subprocess
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence

BASE_IMAGE = "debian:bookworm"
LABEL_KEY = "dockermagic.test"
IMAGE_LABEL = f"{LABEL_KEY}=node-image"
ENGINE_PORT = 2375  # the inner dockerd's plain tcp listener, published on 127.0.0.1
SUBNETS = "172.29.{}.0/24"

# iproute2 and procps for a look inside; openssh-server for engines reached over ssh.
NODE_DOCKERFILE = f"""\
FROM {BASE_IMAGE}
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
      docker.io openssh-server iproute2 procps ca-certificates \\
 && rm -rf /var/lib/apt/lists/* \\
 && mkdir -p /run/sshd
LABEL {IMAGE_LABEL.replace("=", '="', 1)}"
"""
NODE_IMAGE = "dockermagic-node:" + hashlib.sha256(NODE_DOCKERFILE.encode()).hexdigest()[:12]

_lock = threading.Lock()
_base_tar: str | None = None  # debian:bookworm saved once per process
_built_image = False  # this process built NODE_IMAGE (and removes it at the end)


@dataclasses.dataclass(frozen=True)
class Node:
    """One engine in a container: ``address`` is what ``DOCKER_HOST``/``base_url`` take."""

    name: str  # container name, hostname, volume name and cgroup parent
    address: str  # tcp://127.0.0.1:PORT
    ip: str  # on the set's network: what other nodes (and swarm's --advertise-addr) use
    ports: dict[int, int]  # container port -> port on 127.0.0.1 (ENGINE_PORT and `publish`)

    def client(self, timeout: float = 120):
        import docker

        return docker.DockerClient(base_url=self.address, timeout=timeout)


def docker_on(
    node: Node, *args: str, check: bool = True, timeout: float = 120
) -> subprocess.CompletedProcess:
    """The docker CLI against ``node`` (``DOCKER_HOST``; argument list, no shell)."""
    done = subprocess.run(
        ["docker", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "DOCKER_HOST": node.address},
    )
    if check and done.returncode:
        raise AssertionError(f"docker {' '.join(args)}: {done.stderr}")
    return done


def _client(timeout: float = 600):
    import docker

    return docker.from_env(timeout=timeout)


def ensure_image(client=None) -> str:
    """Build the node image unless it is there (one build at a time on this machine)."""
    global _built_image
    client = client or _client()
    with open(os.path.join(tempfile.gettempdir(), "dockermagic-node-image.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            client.api.inspect_image(NODE_IMAGE)
            return NODE_IMAGE
        except Exception:
            pass
        log = []
        for chunk in client.api.build(
            fileobj=io.BytesIO(NODE_DOCKERFILE.encode()), tag=NODE_IMAGE, rm=True, forcerm=True, decode=True
        ):
            log.append(chunk.get("stream") or chunk.get("error") or "")
            if "error" in chunk:
                raise RuntimeError(f"node image build failed: {''.join(log[-20:])}")
        _built_image = True
        # One build per process: every module's nodes reuse it, and it goes when the process ends
        # (before the test command's leak check), even if no fixture got to remove it.
        atexit.register(remove_image)
        return NODE_IMAGE


def remove_image(client=None) -> None:
    """Remove the node image if this process built it (and nothing runs from it)."""
    global _built_image
    if not _built_image or os.environ.get("DM_NODES_KEEP_IMAGE") == "1":
        return
    client = client or _client()
    with contextlib.suppress(Exception):  # still used by another run's nodes: theirs to remove
        client.api.remove_image(NODE_IMAGE)
        _built_image = False


def _saved_base(client) -> str:
    """debian:bookworm as a `docker save` tar, written once per process."""
    global _base_tar
    with _lock:
        if _base_tar is None or not os.path.exists(_base_tar):
            fd, path = tempfile.mkstemp(prefix="dm-nodes-base-", suffix=".tar")
            atexit.register(_unlink, path)  # gone with the process, whoever forgets to close
            with os.fdopen(fd, "wb") as f:
                for chunk in client.api.get_image(BASE_IMAGE):
                    f.write(chunk)
            _base_tar = path
        return _base_tar


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _forget_saved_base() -> None:
    global _base_tar
    with _lock:
        if _base_tar is not None:
            _unlink(_base_tar)
            _base_tar = None


def _create_network(client, name: str, label: str):
    """A network on a free /24 of 172.29.0.0/16 (several sets may run at once)."""
    import docker

    candidates = list(range(256))
    random.shuffle(candidates)
    last: Exception | None = None
    for third in candidates[:40]:
        ipam = docker.types.IPAMConfig(pool_configs=[docker.types.IPAMPool(subnet=SUBNETS.format(third))])
        try:
            return client.networks.create(name, driver="bridge", ipam=ipam, labels=_labels(label))
        except docker.errors.APIError as exc:
            last = exc  # overlaps a subnet in use: try another
    raise RuntimeError(f"no free subnet in 172.29.0.0/16 for {name}: {last}")


def _labels(label: str) -> dict[str, str]:
    key, _, value = label.partition("=")
    return {key: value}


def _tar_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for path, data in files.items():
            info = tarfile.TarInfo(path.lstrip("/"))
            info.size = len(data)
            info.mode = 0o600 if "key" in os.path.basename(path) else 0o644
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _wait_ready(node: Node, container, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            inner = node.client(timeout=3)
            try:
                inner.ping()
                return
            finally:
                inner.close()
        except Exception:
            container.reload()
            if container.status != "running":
                break
            time.sleep(0.2)
    tail = container.exec_run(["tail", "-n", "15", "/var/log/dockerd.log"]).output.decode(errors="replace")
    raise RuntimeError(f"the dockerd in {node.name} did not answer within {within:.0f} s:\n{tail}")


class NodeSet:
    """Start nodes on the shared engine, and remove all of them (``close``) at the end."""

    def __init__(self, client=None, prefix: str = "", label: str | None = None, unique: bool = True):
        """``prefix`` names the nodes (``PREFIX-RUNID-N``; ``unique=False``: ``PREFIX-N``, for
        output that names them the same in every run); ``label``, ``KEY=VALUE``, marks all they are
        made of (default ``dockermagic.test=nodes-RUNID``)."""
        prefix = prefix or os.environ.get("DM_NODES_PREFIX") or "dm-node"  # a script's own, to find them
        self.client = client or _client()
        self.run_id = f"{os.getpid():x}{random.getrandbits(24):06x}"
        self.prefix = f"{prefix}-{self.run_id}" if unique else prefix
        self.label = label or f"{LABEL_KEY}=nodes-{self.run_id}"
        self.nodes: list[Node] = []
        self._network = None

    def start(
        self,
        count: int = 1,
        *,
        dockerd_args: Sequence[str] = (),
        files: dict[str, bytes] | None = None,
        publish: Sequence[int] = (),
        load_base: bool = True,
        ready_within: float = 60,
    ) -> list[Node]:
        """Start ``count`` more nodes, in parallel; returns them once each engine answers.

        ``dockerd_args`` go to every node's dockerd (a TLS listener: ``-H tcp://0.0.0.0:2376
        --tlsverify ...`` with its certificates put in by ``files``, path -> bytes, before
        dockerd starts); ``publish`` lists more container ports to publish on 127.0.0.1
        (22 for sshd, 2376...); ``load_base`` loads debian:bookworm into each.
        """
        ensure_image(self.client)
        if self._network is None:
            self._network = _create_network(self.client, self.prefix, self.label)
        names = [f"{self.prefix}-{len(self.nodes) + i + 1}" for i in range(count)]
        results: dict[str, Node | BaseException] = {}

        def one(name: str) -> None:
            try:
                results[name] = self._start_one(
                    name, dockerd_args, files or {}, publish, load_base, ready_within
                )
            except BaseException as exc:  # reported below, after every thread ends
                results[name] = exc

        threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in names]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        started = [r for r in (results.get(n) for n in names) if isinstance(r, Node)]
        self.nodes.extend(started)
        for name in names:
            error = results.get(name)
            if not isinstance(error, Node):
                raise RuntimeError(f"node {name} did not start: {error}")
        return started

    def _start_one(self, name, dockerd_args, files, publish, load_base, ready_within) -> Node:
        self.client.volumes.create(name, labels=_labels(self.label))
        ports = [ENGINE_PORT, *publish]
        host_config = self.client.api.create_host_config(
            init=True,  # reaps the daemons, as on a real machine
            cap_add=["ALL"],
            cap_drop=["SYS_RESOURCE"],
            security_opt=["seccomp=unconfined", "apparmor=unconfined"],
            device_cgroup_rules=["a *:* rwm"],
            tmpfs={"/run": ""},
            binds={
                "/sys/fs/cgroup": {"bind": "/sys/fs/cgroup", "mode": "rw"},
                name: {"bind": "/var/lib/docker"},
            },
            cgroupns="host",
            network_mode=self._network.name,
            port_bindings={p: ("127.0.0.1", None) for p in ports},
        )
        # the CLI's --security-opt systempaths=unconfined: nothing masked or read-only in /proc
        host_config.update(MaskedPaths=[], ReadonlyPaths=[])
        created = self.client.api.create_container(
            NODE_IMAGE,
            ["sleep", "infinity"],
            name=name,
            hostname=name,
            labels=_labels(self.label),
            ports=ports,
            host_config=host_config,
        )
        container = self.client.containers.get(created["Id"])
        if files:
            container.put_archive("/", _tar_of(files))
        container.start()
        argv = [
            "dockerd",
            "-H",
            "unix:///var/run/docker.sock",
            "-H",
            f"tcp://0.0.0.0:{ENGINE_PORT}",
            "--tls=false",  # said explicitly: dockerd otherwise waits 15 s to warn about plain tcp
            f"--cgroup-parent=/{name}",
            *dockerd_args,
        ]
        # /run is a tmpfs: sshd's privilege separation directory has to be made again
        script = 'mkdir -p /run/sshd; exec "$@" >/var/log/dockerd.log 2>&1'
        container.exec_run(["sh", "-c", script, "sh", *argv], detach=True)
        container.reload()
        settings = container.attrs["NetworkSettings"]
        host_ports = {int(k.split("/")[0]): int(v[0]["HostPort"]) for k, v in settings["Ports"].items() if v}
        ip = settings["Networks"][self._network.name]["IPAddress"]
        node = Node(name, f"tcp://127.0.0.1:{host_ports[ENGINE_PORT]}", ip, host_ports)
        _wait_ready(node, container, ready_within)
        if load_base:
            inner = node.client(timeout=300)
            try:
                with open(_saved_base(self.client), "rb") as f:
                    inner.api.load_image(f)
            finally:
                inner.close()
        return node

    def exec(self, node: Node, *argv: str) -> str:
        """Run a command in the node's container (not in its engine); its output, or an error."""
        result = self.client.containers.get(node.name).exec_run(list(argv))
        out = result.output.decode(errors="replace")
        if result.exit_code:
            raise RuntimeError(f"{' '.join(argv)} on {node.name} exited {result.exit_code}: {out}")
        return out

    def close(self) -> None:
        """Remove every node, volume and the network, then the inner engines' cgroups."""

        def remove(container_id: str) -> None:
            with contextlib.suppress(Exception):
                self.client.api.remove_container(container_id, force=True, v=True)

        containers = self.client.api.containers(all=True, filters={"label": self.label})
        threads = [threading.Thread(target=remove, args=(c["Id"],)) for c in containers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for v in (self.client.api.volumes(filters={"label": self.label}) or {}).get("Volumes") or []:
            with contextlib.suppress(Exception):
                self.client.api.remove_volume(v["Name"], force=True)
        for n in self.client.api.networks(filters={"label": self.label}):
            with contextlib.suppress(Exception):
                self.client.api.remove_network(n["Id"])
        _remove_cgroups(self.prefix)
        _forget_saved_base()
        self.nodes.clear()
        self._network = None

    def __enter__(self) -> NodeSet:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _remove_cgroups(prefix: str) -> None:
    """The inner engines' cgroup parents, empty once their processes are gone (deepest first)."""
    root = "/sys/fs/cgroup"
    with contextlib.suppress(OSError):
        for controller in os.listdir(root):
            base = os.path.join(root, controller)
            with contextlib.suppress(OSError):
                for entry in os.listdir(base):
                    if entry.startswith(prefix):
                        for dirpath, _, _ in sorted(
                            os.walk(os.path.join(base, entry)), key=lambda w: -len(w[0])
                        ):
                            with contextlib.suppress(OSError):
                                os.rmdir(dirpath)


@contextlib.contextmanager
def nodes(count: int = 1, **start_options) -> Iterator[list[Node]]:
    """``count`` nodes for a script; all removed on exit, on Ctrl-C and on SIGTERM too."""
    node_set = NodeSet()
    previous = signal.getsignal(signal.SIGTERM)
    in_main = threading.current_thread() is threading.main_thread()
    if in_main:
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield node_set.start(count, **start_options)
    finally:
        node_set.close()
        remove_image(node_set.client)
        _forget_saved_base()
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(*_) -> None:
    raise KeyboardInterrupt  # a SIGTERM removes the nodes as Ctrl-C does


# --- pytest ---------------------------------------------------------------------------------

try:
    import pytest
except ImportError:  # a script without pytest
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.fixture(scope="module")
    def node_set():
        """``node_set(count, **options)`` starts nodes; all removed at the end of the module.

        Import it in a test module (``from tests.nodes import node_set``) or a conftest.
        """
        sets: list[NodeSet] = []

        def start(count: int = 1, **options) -> list[Node]:
            if not sets:
                sets.append(NodeSet())
            return sets[0].start(count, **options)

        try:
            yield start
        finally:
            for s in sets:
                s.close()
            # The node image and the saved base image stay for the next module (a build is about
            # a minute); both are removed when the test process exits.
