"""Shared fixtures: an IPython shell with the extension, a docker SDK client,
and per-test labels so that every test removes exactly what it created."""

from __future__ import annotations

import hashlib
import os

import pytest

TEST_LABEL = "dockermagic.test"
BASE_IMAGE = "debian:bookworm"


@pytest.fixture(scope="session")
def shell():
    from IPython.testing.globalipapp import get_ipython, start_ipython

    ip = start_ipython() or get_ipython()  # None when an earlier pytest run in this process started it
    ip.run_line_magic("load_ext", "dockermagic")
    yield ip
    ip.run_line_magic("unload_ext", "dockermagic")


@pytest.fixture(scope="session")
def client():
    """The docker SDK on the engine the test command started; fails loudly without one."""
    import docker

    try:
        c = docker.from_env(timeout=120)
        c.ping()
    except Exception as exc:  # the test command starts an engine: its absence is a failure
        pytest.fail(f"No Docker engine reachable ({exc}); run the tests with scripts/test.sh")
    yield c
    c.close()


def _label_value(request) -> str:
    return hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:12]


def remove_labelled(client, label: str) -> None:
    """Remove containers, images, networks and volumes carrying ``label``."""
    for c in client.api.containers(all=True, filters={"label": label}):
        try:
            client.api.remove_container(c["Id"], force=True, v=True)
        except Exception as exc:  # a --rm container the engine is removing already
            if getattr(getattr(exc, "response", None), "status_code", None) not in (404, 409):
                raise
    for img in client.api.images(filters={"label": label}):
        try:
            client.api.remove_image(img["Id"], force=True)
        except Exception:
            pass  # a parent of another labelled image: removed with it
    for net in client.api.networks(filters={"label": label}):
        client.api.remove_network(net["Id"])
    for vol in (client.api.volumes(filters={"label": label}) or {}).get("Volumes") or []:
        client.api.remove_volume(vol["Name"], force=True)


@pytest.fixture
def ip(shell, client, request):
    """The shell, with everything this test creates labelled and removed after it."""
    value = _label_value(request)
    shell.run_line_magic("config", f"DockerMagics.labels = {{'{TEST_LABEL}': '{value}'}}")
    shell.run_line_magic("config", "DockerMagics.short_errors = True")
    shell.user_ns["_test_label"] = f"{TEST_LABEL}={value}"
    yield shell
    remove_labelled(client, f"{TEST_LABEL}={value}")
    shell.run_line_magic("config", "DockerMagics.labels = {}")


@pytest.fixture
def classic_builder(ip):
    """Builds without --builder run on the classic builder, for the tests of its own behaviour
    (``Step N/M``, intermediate containers, its cache lines); the default, 'auto', after."""
    ip.run_line_magic("config", "DockerMagics.builder = 'classic'")
    yield ip
    ip.run_line_magic("config", "DockerMagics.builder = 'auto'")


@pytest.fixture
def test_label(ip) -> str:
    """``dockermagic.test=<id>``: put it on objects a test makes with the CLI or SDK."""
    return ip.user_ns["_test_label"]


@pytest.fixture
def unique(request) -> str:
    """A short name prefix unique to this test, for containers and tags."""
    return "dmt-" + _label_value(request)[:8]


def empty_as_none(value):
    """``value`` with every empty list or map read as null, recursively.

    The CLI sends an unset option as ``null`` in one version and as ``[]``/``{}``
    in another (docker.io's 20.10 vs a newer client on the same engine); the
    engine treats them alike, so parity compares them alike.
    """
    if isinstance(value, dict):
        return {k: empty_as_none(v) for k, v in value.items()} or None
    if isinstance(value, list):
        return [empty_as_none(v) for v in value] or None
    return value


def docker_cli(*args: str, check: bool = True, input: bytes | None = None, env: dict[str, str] | None = None):
    """Run the real docker CLI (for parity tests only); argument list, no shell; ``env``: variables
    added to the environment."""
    import subprocess

    return subprocess.run(
        ["docker", *args],
        capture_output=True,
        check=check,
        input=input,
        env={**os.environ, **(env or {})},
        timeout=300,
    )
