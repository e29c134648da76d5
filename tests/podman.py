"""Podman as a second engine: its Docker-compatible API on a private socket, and what differs.

``PodmanService`` starts ``podman system service`` (Debian's podman 4.3) with everything of its
own in one temporary directory: image store (``--root``), run state (``--runroot``), network
definitions, and its configuration, given through the ``CONTAINERS_CONF`` and
``CONTAINERS_REGISTRIES_CONF`` variables, which podman honours, so nothing under /etc is
edited. Two settings are needed here:

- ``default_ulimits = []``: podman's default ulimits are set with a limit this machine's
  kernel refuses ("error setting rlimit type 7"), and then no container starts;
- the local registry on 127.0.0.1:5000 as the mirror of docker.io and as an insecure
  (plain http) registry, as the engine of the set-up uses it: ``debian:bookworm`` is pulled
  from it, and push/pull tests reach it.

``python -m tests.podman [PYTEST-ARGS...]`` starts one, runs pytest with ``DOCKER_HOST`` on it,
stops and removes everything, and prints the summary (passed / failed / differs, each
difference with its reason). ``scripts/podman.sh`` is the entry point.

In the tests, ``@pytest.mark.podman`` puts a test in the Podman subset, and
``@pytest.mark.podman_differs("reason")`` says that on Podman the test's claim does not hold,
for that reason: there it runs as a strict xfail (a pass fails the run, so a stale reason is
seen), on Docker it runs as usual.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pytest

BASE_IMAGE = "debian:bookworm"

CONTAINERS_CONF = """\
[containers]
# the default ulimits are refused by this kernel: "error setting rlimit type 7"
default_ulimits = []

[engine]
# no systemd here: plain cgroupfs, events to a file
cgroup_manager = "cgroupfs"
# runc comes with docker.io; crun, podman's first choice where apt installs it, refuses this
# kernel's hybrid cgroup layout ("cgroups in hybrid mode not supported")
runtime = "runc"
events_logger = "file"

[network]
network_config_dir = "{networks}"
"""

REGISTRIES_CONF = """\
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"

[[registry]]
prefix = "docker.io"
location = "docker.io"

[[registry.mirror]]
location = "127.0.0.1:5000"
insecure = true

[[registry]]
location = "127.0.0.1:5000"
insecure = true
"""


def _on_overlay(path: str) -> bool:
    """Whether ``path`` lies on an overlay filesystem (the longest mount point above it)."""
    path = os.path.realpath(path)
    found, kind = "", ""
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            point, fstype = fields[4], fields[fields.index("-") + 1]
            inside = path == point or path.startswith(point.rstrip("/") + "/")
            if inside and len(point) >= len(found):
                found, kind = point, fstype
    return kind == "overlay"


class PodmanService:
    """One ``podman system service`` on a private socket; ``address`` is what DOCKER_HOST takes."""

    def __init__(self, workdir: str | None = None):
        self.dir = workdir or tempfile.mkdtemp(prefix="dm-podman-")
        self.socket = os.path.join(self.dir, "podman.sock")
        self.address = f"unix://{self.socket}"
        self.process: subprocess.Popen[bytes] | None = None
        networks = os.path.join(self.dir, "networks")
        os.makedirs(networks, exist_ok=True)
        self.env = {
            **os.environ,
            "CONTAINERS_CONF": self._write("containers.conf", CONTAINERS_CONF.format(networks=networks)),
            "CONTAINERS_REGISTRIES_CONF": self._write("registries.conf", REGISTRIES_CONF),
        }
        self.env.pop("DOCKER_HOST", None)
        # podman's overlay driver refuses to stack on an overlay filesystem ("'overlay' is not
        # supported over overlayfs"), as on a machine that is itself a container; vfs copies instead.
        driver = ["--storage-driver", "vfs"] if _on_overlay(self.dir) else []
        self.argv = ["podman", "--root", f"{self.dir}/root", "--runroot", f"{self.dir}/run", *driver]

    def _write(self, name: str, text: str) -> str:
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def podman(
        self, *args: str, check: bool = True, timeout: float = 300, **kw
    ) -> subprocess.CompletedProcess:
        """Run the podman CLI on this service's store (argument list, no shell)."""
        done = subprocess.run([*self.argv, *args], env=self.env, capture_output=True, timeout=timeout, **kw)
        if check and done.returncode:
            said = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
            raise RuntimeError(f"podman {args[0]} failed ({done.returncode}): {' / '.join(said)}")
        return done

    def start(self, within: float = 30) -> str:
        if shutil.which("podman") is None:
            raise RuntimeError("podman is not installed: apt-get install -y podman (scripts/podman.sh does)")
        log = open(os.path.join(self.dir, "service.log"), "wb")
        self.process = subprocess.Popen(
            [*self.argv, "system", "service", "--time=0", self.address],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C of the test run is not its: stop() ends it
        )
        deadline = time.monotonic() + within
        while not os.path.exists(self.socket):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"podman system service did not start: {self.log_tail()}")
            time.sleep(0.1)
        return self.address

    def load_base_image(self) -> None:
        """``debian:bookworm`` into podman's own store: from the local registry (the mirror), else
        ``docker save`` of the engine's copy into ``podman load``."""
        if self.podman("pull", BASE_IMAGE, check=False).returncode == 0:
            return
        saved = subprocess.run(
            ["docker", "save", BASE_IMAGE],
            capture_output=True,
            check=True,
            timeout=300,
            env={k: v for k, v in os.environ.items() if k != "DOCKER_HOST"},
        )
        self.podman("load", input=saved.stdout)
        self.podman("tag", f"localhost/{BASE_IMAGE}", f"docker.io/library/{BASE_IMAGE}", check=False)

    def log_tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError), open(os.path.join(self.dir, "service.log"), errors="replace") as f:
            return "".join(f.readlines()[-lines:])
        return ""

    def stop(self) -> None:
        """Remove every container, pod and image it holds, stop it, and delete its directory."""
        with contextlib.suppress(Exception):
            self.podman("rm", "-af", "-t", "0", check=False, timeout=120)
            self.podman("system", "reset", "-f", check=False, timeout=120)
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        # overlay mounts podman may have left under its store
        with contextlib.suppress(OSError), open("/proc/self/mounts") as f:
            mounts = [line.split()[1] for line in f if line.split()[1].startswith(self.dir)]
        for mount in sorted(mounts, key=len, reverse=True):
            subprocess.run(["umount", "-l", mount], capture_output=True, check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PodmanService:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --- what differs, and why (the reasons the marked tests give) --------------------------------

HEALTHCHECKS = (
    "Podman runs healthchecks from systemd timers, and there is no systemd here: a healthcheck "
    "never runs, so no container turns healthy or unhealthy"
)
TOP = (
    "Podman 4.3 answers GET /containers/{id}/top with an empty body here (the docker CLI's "
    "'docker top' fails with EOF too), and the test reads the processes with it"
)
HOST_IP = "Podman reports a port published on every interface with HostIp '' where Docker says 0.0.0.0"
MISSING_WORDS = (
    "Podman words a missing container otherwise ('no container with name or ID ... found'), "
    "and the engine's words are passed on as written"
)
DETACH = (
    "Podman 4.3 does not end the attach (or exec) stream on the detach keys sent through it: "
    "the terminal is closed instead, and the container keeps running"
)
STATS_CPU = "Podman 4.3's one-shot stats give a CPU % of 0.00 for a busy container"
HISTORY_COMMENT = (
    "Podman's history rows carry buildah's comments ('FROM docker.io/library/debian:bookworm'), "
    "not the commit's message (the image's own Comment holds it)"
)
PUSH_WORDS = (
    "Podman's push progress says 'Already exists' for a layer the registry has, where Docker's says "
    "'Layer already exists' (the push and the pull back work)"
)
PULL_ALL = (
    "Podman 4.3 reads the API's pull of every tag (fromImage without a tag) as a pull of :latest, "
    "which the repository lacks"
)
SEARCH = (
    "Podman searches the local registry through its catalog and lists what it holds, where "
    "Docker's engine gets a 404 from the registry's missing search endpoint"
)


# --- which engine the tests face ----------------------------------------------------------------


@functools.cache
def _is_podman(address: str | None) -> bool:
    import docker

    client = docker.from_env(timeout=30)
    try:
        components = client.version().get("Components") or []
    finally:
        client.close()
    return any("podman" in str(c.get("Name", "")).lower() for c in components)


def engine_is_podman() -> bool:
    """Whether the engine at DOCKER_HOST (else the default socket) is Podman (its /version says so)."""
    return _is_podman(os.environ.get("DOCKER_HOST"))


def mark_difference(item: pytest.Item) -> None:
    """On Podman, a test marked ``podman_differs(reason)`` becomes a strict xfail with that reason."""
    marker = item.get_closest_marker("podman_differs")
    if marker is None or not engine_is_podman():
        return
    reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
    if not reason:
        raise pytest.UsageError(f"{item.nodeid}: podman_differs needs a reason")
    item.add_marker(pytest.mark.xfail(reason=f"differs on Podman: {reason}", strict=True, run=True))


# --- the script's runner ------------------------------------------------------------------------


def _summary(junit: str, seconds: float) -> tuple[str, int]:
    import xml.etree.ElementTree as ET

    counts = {"passed": 0, "failed": 0, "differs": 0, "skipped": 0}
    differs: list[str] = []
    failed: list[str] = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}"
        outcome = next(iter(case), None)
        if outcome is None:
            counts["passed"] += 1
        elif outcome.tag == "skipped" and outcome.get("type") == "pytest.xfail":
            counts["differs"] += 1
            differs.append(f"  {name}: {outcome.get('message', '').removeprefix('xfail: ')}")
        elif outcome.tag == "skipped":
            counts["skipped"] += 1
            failed.append(f"  skipped {name}: {outcome.get('message', '')}")
        elif outcome.tag in ("failure", "error"):
            counts["failed"] += 1
            failed.append(f"  {outcome.tag} {name}: {(outcome.get('message') or '').splitlines()[0][:200]}")
        else:  # system-out and the like
            counts["passed"] += 1
    line = (
        f"Podman: {counts['passed']} passed, {counts['failed']} failed, {counts['differs']} differ "
        f"(expected, with reasons), {counts['skipped']} skipped, in {seconds:.0f} s"
    )
    text = "\n".join([line, *(["differences:", *differs] if differs else []), *failed])
    return text, counts["failed"] + counts["skipped"]


def main(argv: list[str]) -> int:
    with PodmanService() as service:
        version = service.podman("--version").stdout.decode().strip()
        started = time.monotonic()
        service.load_base_image()
        print(
            f"{version}: service on {service.address}, {BASE_IMAGE} in its store in "
            f"{time.monotonic() - started:.1f} s",
            flush=True,
        )
        junit = os.path.join(service.dir, "junit.xml")
        env = {**os.environ, "DOCKER_HOST": service.address}
        started = time.monotonic()
        code = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-m",
                "podman",
                "-p",
                "no:cacheprovider",
                f"--junitxml={junit}",
                "-o",
                "junit_family=xunit1",
                *argv,
            ],
            env=env,
        ).returncode
        seconds = time.monotonic() - started
        text, bad = _summary(junit, seconds) if os.path.exists(junit) else ("no test report", 1)
        print("\n" + text, flush=True)
    return code if code else (1 if bad else 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
