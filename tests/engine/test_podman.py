"""The cheap Podman check that CI runs: Debian's podman serves the Docker API to the magics.

The full subset (tests marked ``podman``) runs from ``scripts/podman.sh``; this starts a
private ``podman system service`` (``tests/podman.py``), gets ``debian:bookworm`` into its
store, and runs a container through ``%docker`` on it.
"""

from __future__ import annotations

import shutil
import time

import pytest

from tests.conftest import BASE_IMAGE
from tests.podman import PodmanService

pytestmark = pytest.mark.engine


def test_podman_serves_the_docker_api_to_the_magics(ip, unique):
    assert shutil.which("podman"), "podman is not installed: scripts/setup.sh installs it (test.sh)"
    started = time.monotonic()
    with PodmanService() as service:
        service.load_base_image()
        # no clean-up watchdog for an engine that is gone when the test ends
        ip.run_line_magic("config", "DockerMagics.cleanup = 'none'")
        ip.run_line_magic("config", f"DockerMagics.base_url = {service.address!r}")
        try:
            version = ip.run_line_magic("docker", "version")
            podman = service.podman("--version").stdout.decode().split()[-1]  # "podman version 4.3.1"
            assert version["Server"]["Version"] == podman
            done = ip.run_line_magic(
                "docker", f"run --rm --name {unique} {BASE_IMAGE} cat /etc/debian_version"
            )
            assert done.exit_code == 0 and done.stdout.startswith("12.")
            listed = service.podman("ps", "-a", "--format", "{{.Names}}").stdout.decode().split()
            assert unique not in listed  # --rm, on Podman too
        finally:
            ip.run_line_magic("config", "DockerMagics.base_url = None")
            ip.run_line_magic("config", "DockerMagics.cleanup = 'temporary'")
    print(f"\npodman service, base image, one run: {time.monotonic() - started:.1f} s")
