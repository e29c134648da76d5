"""Clean-up after ``%docker context use``: a kernel's watchdog sweeps the engine of the context it was
started under, even when the kernel has moved to another context since (a real kernel, SIGKILL)."""

from __future__ import annotations

import os
import socket
import subprocess

import pytest

from tests.conftest import BASE_IMAGE
from tests.engine.kernels import CLEAN_WITHIN, names, wait_until

pytestmark = pytest.mark.engine


def test_the_watchdog_keeps_to_the_context_it_started_under(kernels, client, test_label, unique, tmp_path):
    engine = (os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock").removeprefix("unix://")
    link = tmp_path / "engine.sock"  # the engine through a path of this test's own
    link.symlink_to(engine)
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        dead = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    env = {"DOCKER_CONFIG": str(tmp_path / "docker-config"), "DOCKER_HOST": "", "DOCKER_CONTEXT": ""}
    for name, host in (("dm-live", f"unix://{link}"), ("dm-dead", dead)):
        subprocess.run(
            ["docker", "context", "create", name, "--docker", f"host={host}"],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
            timeout=60,
        )
    k = kernels(test_label, "session", env=env)
    k.run(
        "%docker context use dm-live\n"
        f"%docker run -d --name {unique}-a {BASE_IMAGE} sleep 300\n"
        "%docker context use dm-dead\n"  # the kernel now points at an engine that does not answer
    )
    assert set(names(client, test_label)) == {f"{unique}-a"}
    k.sigkill()
    seconds = wait_until(lambda: not names(client, test_label), 30)
    assert seconds is not None and seconds < CLEAN_WITHIN, names(client, test_label)
