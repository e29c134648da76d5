"""ssh:// engines: the system ssh client and ``docker system dial-stdio``, one connection per kernel.

An sshd on 127.0.0.1 (tests/engine/sshd.py) whose sessions run the machine's
own ``docker`` against the main engine: everything below goes kernel -> ssh ->
sshd -> docker system dial-stdio -> engine, and the server's log counts the
logins.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest
from IPython.core.error import UsageError

from dockermagic.engine.client import Engine
from tests.conftest import BASE_IMAGE
from tests.engine.sshd import Sshd, keygen


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    with Sshd(tmp_path_factory.mktemp("sshd")) as server:
        yield server


@pytest.fixture
def over_ssh(ip, sshd):
    """The kernel's engine is the sshd's: ``%config`` as a user would write it."""
    ip.run_line_magic("config", f"DockerMagics.ssh_options = {sshd.options!r}")
    ip.run_line_magic("config", f"DockerMagics.base_url = {sshd.url!r}")
    session = ip.magics_manager.registry["DockerMagics"].session
    yield session
    ip.run_line_magic("config", "DockerMagics.base_url = None")
    ip.run_line_magic("config", "DockerMagics.ssh_options = []")


def ssh_processes(control_dir: str) -> list[str]:
    """Command lines of the ssh processes using this kernel's control socket."""
    found = subprocess.run(["pgrep", "-af", f"ControlPath={control_dir}/"], capture_output=True, text=True)
    return [line for line in found.stdout.splitlines() if " ssh " in f" {line.split(None, 1)[1]}"]


def test_commands_and_streams_over_one_ssh_connection(ip, over_ssh, sshd, unique, client, tmp_path):
    logins_before, sessions_before = sshd.logins(), sshd.sessions()

    version = ip.run_line_magic("docker", "version")
    assert client.version()["Version"] in str(version)
    box = ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep infinity")
    assert box.id == client.api.inspect_container(unique)["Id"]
    assert unique in str(ip.run_line_magic("docker", "ps"))

    # exec: output, and a script on stdin that ends with end of input (a half-close through ssh)
    assert ip.run_line_magic("dexec", f"{unique} sh -c 'echo out; echo err >&2'").stdout == "out\n"
    script = ip.run_cell_magic("dexec", f"{unique} --shell sh", "read a\necho got-$a\ncat\n")
    assert script.stdout == "got-\n"  # read saw end of input: the script itself was the whole stdin
    run_i = ip.run_line_magic("docker", f"run -i --rm {BASE_IMAGE} sh -c 'cat; echo stdin-ended'")
    assert run_i.stdout == "stdin-ended\n"

    # cp both ways
    (tmp_path / "there.txt").write_text("from the kernel\n")
    ip.run_line_magic("docker", f"cp {tmp_path / 'there.txt'} {unique}:/tmp/there.txt")
    ip.run_line_magic("docker", f"cp {unique}:/tmp/there.txt {tmp_path / 'back.txt'}")
    assert (tmp_path / "back.txt").read_text() == "from the kernel\n"

    # build with a context sent through the connection
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "payload.txt").write_text("built over ssh\n")
    (tmp_path / "ctx" / "Dockerfile").write_text(f"FROM {BASE_IMAGE}\nCOPY payload.txt /payload.txt\n")
    ip.run_line_magic("docker", f"build -q -t {unique}:1 {tmp_path / 'ctx'}")
    assert ip.run_line_magic("docker", f"run --rm {unique}:1 cat /payload.txt").stdout == "built over ssh\n"

    # logs -f: each line when it is printed, not all at the end
    ip.run_line_magic(
        "docker",
        f"run -d --name {unique}-ticks {BASE_IMAGE} sh -c 'for i in 1 2 3 4; do echo tick $i; sleep 1; done'",
    )
    seen: list[tuple[float, str]] = []
    before = over_ssh.out
    over_ssh.out = lambda text: seen.extend((time.monotonic(), line) for line in text.splitlines())
    try:
        ip.run_line_magic("docker", f"logs -f {unique}-ticks")
    finally:
        over_ssh.out = before
    assert [line for _, line in seen] == [f"tick {i}" for i in range(1, 5)]
    arrived = [t for t, _ in seen]
    assert all(b - a > 0.5 for a, b in zip(arrived, arrived[1:], strict=False)), arrived

    # all of it: one login, many sessions, one ssh master
    assert sshd.logins() - logins_before == 1, sshd.log()[-3000:]
    assert sshd.sessions() - sessions_before > 1
    transport = over_ssh.engine.transport
    assert transport is not None and transport.master_pid is not None and transport.directory
    masters = [line for line in ssh_processes(transport.directory) if "ControlMaster=yes" in line]
    assert len(masters) == 1 and masters[0].split()[0] == str(transport.master_pid), masters


def test_the_connection_ends_when_the_engine_is_let_go(sshd):
    engine = Engine(sshd.url, ssh_options=sshd.options)
    assert engine.get().ping()
    transport = engine.transport
    assert transport is not None
    directory, pid = transport.directory, transport.master_pid
    assert directory and pid and ssh_processes(directory)
    engine.reset()  # what %unload_ext and a new base_url do
    assert not ssh_processes(directory) and not os.path.exists(directory)


def test_the_connection_ends_with_the_kernel(sshd):
    """A process that exits (a kernel shut down) takes its ssh master with it."""
    program = (
        "import sys\n"
        "from dockermagic.engine.client import Engine\n"
        f"e = Engine({sshd.url!r}, ssh_options={sshd.options!r})\n"
        "e.get().ping()\n"
        "print(e.transport.directory, e.transport.master_pid, flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    directory, pid = done.stdout.split()
    assert done.returncode == 0 and int(pid) > 0
    assert not ssh_processes(directory) and not os.path.exists(directory)


def test_a_killed_kernels_connection_ends_once_idle(sshd, tmp_path):
    """SIGKILL runs no clean-up: the master notices its sessions are gone and ends after ``idle`` s."""
    program = (
        "import os, signal\n"
        "from dockermagic.engine.ssh import SSHTransport\n"
        "from dockermagic.engine.ssh_http import ssh_client\n"
        f"t = SSHTransport({sshd.url!r}, {sshd.options!r}, 5, idle=2)\n"
        "client = ssh_client(t, 30, 5)\n"
        "client.ping(); client.containers.list()\n"
        "print(t.directory, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    directory = done.stdout.strip()
    assert done.returncode == -9 and directory, done.stderr
    try:
        assert ssh_processes(directory), "the master should outlive the kernel for a moment"
        deadline = time.monotonic() + 30
        while ssh_processes(directory) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not ssh_processes(directory)
    finally:
        for line in ssh_processes(directory):  # never leave one behind, even when the test fails
            os.kill(int(line.split()[0]), 15)
        shutil.rmtree(directory, ignore_errors=True)


def one_line(ip, line: str) -> str:
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("docker", line)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message, message
    return message


def test_unknown_host_key_is_one_line(ip, sshd, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    config = sshd.client_config("strangers", known=empty)
    ip.run_line_magic("config", f"DockerMagics.ssh_options = ['-F', {str(config)!r}]")
    ip.run_line_magic("config", f"DockerMagics.base_url = {sshd.url!r}")
    try:
        message = one_line(ip, "version")
    finally:
        ip.run_line_magic("config", "DockerMagics.base_url = None")
        ip.run_line_magic("config", "DockerMagics.ssh_options = []")
    assert "ssh does not know the host key of 127.0.0.1" in message
    assert f"ssh-keyscan -p {sshd.port} 127.0.0.1 >> ~/.ssh/known_hosts" in message
    assert f"{sshd.url} (from %config DockerMagics.base_url)" in message


def test_a_changed_host_key_is_one_line(ip, sshd, tmp_path):
    impostor = keygen(tmp_path / "impostor")
    known = tmp_path / "known_hosts"
    known.write_text(
        f"[127.0.0.1]:{sshd.port} {' '.join((tmp_path / 'impostor.pub').read_text().split()[:2])}\n"
    )
    config = sshd.client_config("changed", known=known)
    ip.run_line_magic("config", f"DockerMagics.ssh_options = ['-F', {str(config)!r}]")
    ip.run_line_magic("config", f"DockerMagics.base_url = {sshd.url!r}")
    try:
        message = one_line(ip, "version")
    finally:
        ip.run_line_magic("config", "DockerMagics.base_url = None")
        ip.run_line_magic("config", "DockerMagics.ssh_options = []")
    assert (
        impostor.exists() and "The ssh host key of 127.0.0.1 changed since known_hosts recorded it" in message
    )
    assert "ssh-keygen -R" in message and sshd.url in message


def test_dial_stdio_failing_on_the_remote_is_one_line(ip, sshd):
    """The remote's docker runs, but nothing answers at the socket the address names."""
    address = f"{sshd.url}/nonexistent/docker.sock"
    ip.run_line_magic("config", f"DockerMagics.ssh_options = {sshd.options!r}")
    ip.run_line_magic("config", f"DockerMagics.base_url = {address!r}")
    try:
        message = one_line(ip, "version")
    finally:
        ip.run_line_magic("config", "DockerMagics.base_url = None")
        ip.run_line_magic("config", "DockerMagics.ssh_options = []")
    assert (
        "'docker system dial-stdio' failed on 127.0.0.1" in message and "/nonexistent/docker.sock" in message
    )
    assert f"{address} (from %config DockerMagics.base_url)" in message


def test_refused_key_is_one_line(ip, sshd, tmp_path):
    stranger = keygen(tmp_path / "not_authorized")
    config = sshd.client_config("wrong_key", key=stranger)
    ip.run_line_magic("config", f"DockerMagics.ssh_options = ['-F', {str(config)!r}]")
    ip.run_line_magic("config", f"DockerMagics.base_url = {sshd.url!r}")
    try:
        message = one_line(ip, "ps")
    finally:
        ip.run_line_magic("config", "DockerMagics.base_url = None")
        ip.run_line_magic("config", "DockerMagics.ssh_options = []")
    assert "The ssh server refused to log in" in message and "Permission denied" in message
    assert "authorized_keys" in message and sshd.url in message


def test_no_docker_on_the_remote_is_one_line(ip, sshd, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", sshd.no_docker_url)
    ip.run_line_magic("config", f"DockerMagics.ssh_options = {sshd.options!r}")
    ip.run_line_magic("config", "DockerMagics.base_url = None")
    try:
        message = one_line(ip, "ps")
    finally:
        monkeypatch.delenv("DOCKER_HOST")
        ip.run_line_magic("config", "DockerMagics.ssh_options = []")
    assert "No docker command on 127.0.0.1" in message and "docker: command not found" in message
    assert "apt-get install docker.io" in message
    assert f"{sshd.no_docker_url} (from DOCKER_HOST)" in message


def test_no_ssh_client_is_one_line(ip, sshd, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no ssh on it
    ip.run_line_magic("config", f"DockerMagics.base_url = {sshd.url!r}")
    try:
        message = one_line(ip, "version")
    finally:
        ip.run_line_magic("config", "DockerMagics.base_url = None")
    assert "No ssh client on this machine" in message and "apt-get install openssh-client" in message
    assert sshd.url in message
