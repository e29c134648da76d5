"""Loading, using and unloading the extension; import cost; errors at the edge."""

import subprocess
import sys

import pytest
from IPython.core.error import UsageError

MAGICS = {("line", "docker"), ("cell", "dockerfile"), ("line", "dexec"), ("cell", "dexec")}


def _registered(ip):
    table = ip.magics_manager.magics
    return {(kind, name) for kind in ("line", "cell") for name in table[kind]} & MAGICS


def test_load_use_unload_cycle(shell):
    shell.run_line_magic("unload_ext", "dockermagic")
    assert _registered(shell) == set()
    shell.run_line_magic("load_ext", "dockermagic")
    assert _registered(shell) == MAGICS
    assert "usage" in str(shell.run_line_magic("docker", "--help")).lower()
    shell.run_line_magic("unload_ext", "dockermagic")
    assert _registered(shell) == set()
    assert not any(type(c).__name__ == "DockerMagics" for c in shell.configurables)
    shell.run_line_magic("load_ext", "dockermagic")
    shell.run_line_magic("reload_ext", "dockermagic")
    assert _registered(shell) == MAGICS
    assert sum(type(c).__name__ == "DockerMagics" for c in shell.configurables) == 1


def test_loading_imports_nothing_heavy_and_contacts_no_engine():
    code = (
        "import sys, IPython\n"
        "from IPython.testing.globalipapp import start_ipython\n"
        "ip = start_ipython()\n"
        "before = set(sys.modules)\n"
        "ip.run_line_magic('config', \"DockerMagics.base_url = 'unix:///nonexistent.sock'\")\n"
        "ip.run_line_magic('load_ext', 'dockermagic')\n"
        "heavy = sorted(m for m in set(sys.modules) - before\n"
        "               if m.split('.')[0] in ('docker', 'ipywidgets', 'requests', 'urllib3')\n"
        "               or m.startswith(('dockermagic.commands', 'dockermagic.parsing', 'dockermagic.expand')))\n"
        "print(heavy)\n"
        "ip.run_line_magic('docker', '--help')\n"
        "print(sorted(m for m in sys.modules if m.startswith('dockermagic.parsing.shellwords')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # the command registry and the shell-line reader wait for the first magic line
    assert out.stdout.split("\n")[:2] == ["[]", "['dockermagic.parsing.shellwords']"], out.stdout + out.stderr


def test_missing_socket_is_one_line(shell, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///tmp/dockermagic-no-such.sock")
    shell.run_line_magic("reload_ext", "dockermagic")
    try:
        with pytest.raises(UsageError) as info:
            shell.run_line_magic("docker", "version")
        message = str(info.value)
        assert "\n" not in message
        assert "/tmp/dockermagic-no-such.sock" in message and "DOCKER_HOST" in message
    finally:
        monkeypatch.delenv("DOCKER_HOST")
        shell.run_line_magic("reload_ext", "dockermagic")


def test_refused_tcp_is_reported_quickly(shell):
    import socket
    import time

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    shell.run_line_magic("config", f"DockerMagics.base_url = 'tcp://127.0.0.1:{port}'")
    try:
        start = time.monotonic()
        with pytest.raises(UsageError, match="did not answer"):
            shell.run_line_magic("docker", "info")
        assert time.monotonic() - start < 10
    finally:
        shell.run_line_magic("config", "DockerMagics.base_url = None")


def test_short_errors_false_shows_the_real_exception(shell, monkeypatch):
    from dockermagic.errors import EngineUnavailable

    monkeypatch.setenv("DOCKER_HOST", "unix:///tmp/dockermagic-no-such.sock")
    shell.run_line_magic("reload_ext", "dockermagic")
    shell.run_line_magic("config", "DockerMagics.short_errors = False")
    try:
        with pytest.raises(EngineUnavailable):
            shell.run_line_magic("docker", "version")
    finally:
        shell.run_line_magic("config", "DockerMagics.short_errors = True")
        monkeypatch.delenv("DOCKER_HOST")
        shell.run_line_magic("reload_ext", "dockermagic")


def test_unknown_command_is_one_line(shell):
    with pytest.raises(UsageError, match=r"unknown command: '%docker frobnicate'"):
        shell.run_line_magic("docker", "frobnicate")
