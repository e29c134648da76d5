"""version, --version and info against the real engine, and where the engine's address comes from."""

import os
import socket
import subprocess
import time

import docker
import pytest
from IPython.core.error import UsageError

import dockermagic
from tests.conftest import docker_cli

pytestmark = pytest.mark.podman  # in the subset scripts/podman.sh runs against Podman


def test_version_reports_the_engine(ip, client):
    view = ip.run_line_magic("docker", "version")
    server = client.version()
    assert view["Server"]["Version"] == server["Version"]
    assert f"ApiVersion: {server['ApiVersion']}" in view.text()


def test_info_reports_the_engine(ip, client):
    view = ip.run_line_magic("docker", "info")
    info = client.info()
    assert view["ServerVersion"] == info["ServerVersion"]
    assert view["NCPU"] == info["NCPU"]
    assert "<table" in view.html()


@pytest.fixture
def engine_at(ip):
    """Point the magics at another engine address for one test, then back at the default."""
    session = ip.magics_manager.registry["DockerMagics"].session

    def point(base_url=None):
        session.engine.reset(base_url)
        return session

    yield point
    ip.run_line_magic("config", "DockerMagics.ping_timeout = 5.0")
    session.engine.reset(None)


def test_ping_timeout_against_an_engine_that_never_answers(ip, engine_at):
    """A TCP listener that completes the handshake (the kernel's backlog) and never answers."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        port = silent.getsockname()[1]
        ip.run_line_magic("config", "DockerMagics.ping_timeout = 1.5")
        engine_at(f"tcp://127.0.0.1:{port}")
        start = time.monotonic()
        with pytest.raises(UsageError) as info:
            ip.run_line_magic("docker", "ps")
        took = time.monotonic() - start
    finally:
        silent.close()
    message = str(info.value)
    assert 1.4 <= took < 5, f"answered after {took:.1f}s with ping_timeout 1.5"
    assert "\n" not in message and f"127.0.0.1:{port}" in message


def test_the_active_docker_context_is_the_engines_address(ip, client, engine_at, tmp_path, monkeypatch):
    """A context made by the real CLI in a temporary DOCKER_CONFIG, pointing at the engine's
    socket through a path of its own (so the default socket cannot be what answered)."""
    # the socket the tests' engine is on (DOCKER_HOST's when set: Podman's in scripts/podman.sh)
    engine_socket = (os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock").removeprefix("unix://")
    link = tmp_path / "engine.sock"
    link.symlink_to(engine_socket)
    env = {**os.environ, "DOCKER_CONFIG": str(tmp_path / "config")}
    env.pop("DOCKER_HOST", None)
    env.pop("DOCKER_CONTEXT", None)
    for args in (
        ["context", "create", "dmtest", "--docker", f"host=unix://{link}"],
        ["context", "create", "dmtest-dead", "--docker", f"host=unix://{tmp_path}/nothing.sock"],
        ["context", "use", "dmtest"],
    ):
        subprocess.run(["docker", *args], env=env, check=True, capture_output=True, timeout=30)
    monkeypatch.setenv("DOCKER_CONFIG", env["DOCKER_CONFIG"])
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    session = engine_at(None)
    assert session.engine.address == f"unix://{link}"
    view = ip.run_line_magic("docker", "version")
    assert view["Server"]["Version"] == client.version()["Version"]
    monkeypatch.setenv("DOCKER_CONTEXT", "dmtest-dead")
    engine_at(None)
    with pytest.raises(UsageError, match=r"nothing\.sock.*docker context dmtest-dead"):
        ip.run_line_magic("docker", "version")


@pytest.mark.parametrize("flag", ["--version", "-v"])
def test_short_version_names_the_engine_as_the_cli_does(ip, flag):
    engine = docker_cli("version", "--format", "{{.Server.Version}}").stdout.decode().strip()
    commit = docker_cli("version", "--format", "{{.Server.GitCommit}}").stdout.decode().strip()
    text = ip.run_line_magic("docker", flag).text()
    client_line, engine_line = text.split("\n")
    assert (
        client_line
        == f"dockermagic version {dockermagic.__version__}, docker SDK for Python {docker.__version__}"
    )
    assert engine_line.startswith(f"Docker Engine version {engine}, build {commit}, API 1.")


def test_version_format_reads_the_engines_answer_as_the_cli_does(ip):
    """Templates name the CLI's Go fields (``APIVersion``), not the engine's JSON keys (``ApiVersion``)."""
    fmt = (
        "{{.Server.Version}} {{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}}/{{.Server.Arch}}"
    )
    ours = ip.run_line_magic("docker", f"version --format '{fmt}'").text()
    assert ours == docker_cli("version", "--format", fmt).stdout.decode().strip()
    assert ip.run_line_magic("docker", "version -f '{{.Client.APIVersion}}'").text() == (
        docker_cli("version", "-f", "{{.Client.APIVersion}}").stdout.decode().strip()
    )
