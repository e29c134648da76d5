"""tcp:// engines with TLS: a dockerd in a container (tests/nodes.py) listening with
``--tlsverify`` on 127.0.0.1, and certificates made here with openssl: a CA, the engine's
certificate (for 127.0.0.1), a client's; and, to be refused, another CA and its client."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, docker_cli

TLS_PORT = 2376
INNER = "/etc/docker-tls"  # where the node's dockerd reads its files


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_ca(d: Path, name: str) -> None:
    openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}-key.pem", "-out", f"{name}.pem", "-days", "2", "-subj", f"/CN=dockermagic test {name}",
        cwd=d,
    )  # fmt: skip


def sign(d: Path, ca: str, name: str, extensions: str) -> None:
    """``name``-key.pem and ``name``-cert.pem, signed by ``ca``."""
    (d / f"{name}.ext").write_text(extensions)
    openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}-key.pem", "-out", f"{name}.csr", "-subj", f"/CN={name}",
        cwd=d,
    )  # fmt: skip
    openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}-key.pem", "-set_serial",
        str(time.time_ns()), "-days", "2", "-extfile", f"{name}.ext", "-out", f"{name}-cert.pem",
        cwd=d,
    )  # fmt: skip


def cert_dir(d: Path, name: str, ca: str | None, client: str | None) -> Path:
    """A DOCKER_CERT_PATH: ca.pem from ``ca``, cert.pem and key.pem from ``client`` (None: left out)."""
    out = d / name
    out.mkdir()
    if ca:
        (out / "ca.pem").write_bytes((d / f"{ca}.pem").read_bytes())
    if client:
        (out / "cert.pem").write_bytes((d / f"{client}-cert.pem").read_bytes())
        (out / "key.pem").write_bytes((d / f"{client}-key.pem").read_bytes())
    return out


@pytest.fixture(scope="module")
def tls_engine(tmp_path_factory, node_set, client):
    d = tmp_path_factory.mktemp("tls")
    make_ca(d, "ca")
    make_ca(d, "other-ca")
    sign(d, "ca", "server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    sign(d, "ca", "client", "extendedKeyUsage=clientAuth\n")
    sign(d, "other-ca", "stranger", "extendedKeyUsage=clientAuth\n")
    files = {
        f"{INNER}/ca.pem": (d / "ca.pem").read_bytes(),
        f"{INNER}/server-cert.pem": (d / "server-cert.pem").read_bytes(),
        f"{INNER}/server-key.pem": (d / "server-key.pem").read_bytes(),
    }
    (node,) = node_set(1, files=files, publish=[TLS_PORT])
    # dockerd's TLS covers every tcp listener, the plain one the node set checks too: so the node's
    # engine starts plain, and is then started again with TLS alone (on its unix socket and 2376)
    box = client.containers.get(node.name)
    box.exec_run(["sh", "-c", "pkill -x dockerd; while pgrep -x dockerd >/dev/null; do sleep 0.1; done"])
    argv = [
        "dockerd", "-H", "unix:///var/run/docker.sock", "-H", f"tcp://0.0.0.0:{TLS_PORT}", "--tlsverify",
        f"--tlscacert={INNER}/ca.pem", f"--tlscert={INNER}/server-cert.pem", f"--tlskey={INNER}/server-key.pem",
        f"--cgroup-parent=/{node.name}",
    ]  # fmt: skip
    box.exec_run(["sh", "-c", 'exec "$@" >/var/log/dockerd-tls.log 2>&1', "sh", *argv], detach=True)
    address = f"tcp://127.0.0.1:{node.ports[TLS_PORT]}"
    deadline = time.monotonic() + 60
    while box.exec_run(["docker", "info"]).exit_code != 0:
        assert time.monotonic() < deadline, box.exec_run(["tail", "/var/log/dockerd-tls.log"]).output.decode()
        time.sleep(0.2)
    return {
        "name": node.name,
        "address": address,
        "good": cert_dir(d, "good", "ca", "client"),
        "wrong_ca": cert_dir(d, "wrong-ca", "other-ca", "client"),
        "no_client_cert": cert_dir(d, "no-client-cert", "ca", None),
        "stranger": cert_dir(d, "stranger", "ca", "stranger"),
    }


@pytest.fixture
def tls_env(ip, monkeypatch, tls_engine):
    """``tls_env(which)``: DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as a user sets them."""

    engine = ip.magics_manager.registry["DockerMagics"].session.engine

    def use(which: str) -> None:
        monkeypatch.setenv("DOCKER_HOST", tls_engine["address"])
        monkeypatch.setenv("DOCKER_TLS_VERIFY", "1")
        monkeypatch.setenv("DOCKER_CERT_PATH", str(tls_engine[which]))
        engine.reset()  # the next command connects afresh, from the environment

    yield use
    monkeypatch.undo()
    ip.run_line_magic("config", "DockerMagics.base_url = None")
    engine.reset()


def one_line(ip, line: str) -> str:
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("docker", line)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message, message
    return message


def test_verified_tls_with_a_client_certificate(ip, tls_env, tls_engine, unique):
    tls_env("good")
    info = ip.run_line_magic("docker", "info")
    assert f"Name: {tls_engine['name']}" in str(info)  # the engine in the container, not this machine's
    engine = ip.magics_manager.registry["DockerMagics"].session.engine
    assert engine.where == f"{tls_engine['address']} (from DOCKER_HOST)"
    # a stream over TLS: a foreground run's output comes through the attach socket
    run = ip.run_line_magic("docker", f"run --rm --name {unique} {BASE_IMAGE} sh -c 'echo over tls'")
    assert run.stdout == "over tls\n"
    # exec with a script on stdin, then end of input (a TLS half-close), then its output
    ip.run_line_magic("docker", f"run -d --rm --name {unique}-box {BASE_IMAGE} sleep infinity")
    try:
        script = ip.run_cell_magic("dexec", f"{unique}-box --shell sh", "read a\necho got-$a\ncat\n")
        assert script.stdout == "got-\n"
    finally:
        ip.run_line_magic("docker", f"rm -f {unique}-box")
    run_i = ip.run_line_magic("docker", f"run -i --rm {BASE_IMAGE} sh -c 'cat; echo stdin-ended'")
    assert run_i.stdout == "stdin-ended\n"
    # logs -f: each line when it is printed
    ip.run_line_magic(
        "docker",
        f"run -d --name {unique}-ticks {BASE_IMAGE} sh -c 'for i in 1 2 3; do echo tick $i; sleep 1; done'",
    )
    session = ip.magics_manager.registry["DockerMagics"].session
    seen: list[tuple[float, str]] = []
    before, session.out = (
        session.out,
        lambda text: seen.extend((time.monotonic(), x) for x in text.splitlines()),
    )
    try:
        ip.run_line_magic("docker", f"logs -f {unique}-ticks")
    finally:
        session.out = before
        ip.run_line_magic("docker", f"rm -f {unique}-ticks")
    assert [line for _, line in seen] == ["tick 1", "tick 2", "tick 3"]
    assert all(b - a > 0.5 for (a, _), (b, _) in zip(seen, seen[1:], strict=False)), seen
    # the CLI takes the same environment and reaches the same engine
    cli = docker_cli("version", "--format", "{{.Server.Version}}")
    assert cli.stdout.decode().strip() in str(ip.run_line_magic("docker", "version"))


def test_the_environments_tls_applies_to_an_address_given_in_config(ip, tls_env, tls_engine):
    tls_env("good")
    ip.run_line_magic("config", f"DockerMagics.base_url = {tls_engine['address']!r}")
    assert f"Name: {tls_engine['name']}" in str(ip.run_line_magic("docker", "info"))
    assert tls_engine["address"] in ip.magics_manager.registry["DockerMagics"].session.engine.where


def test_a_contexts_tls_material(ip, tls_env, tls_engine, monkeypatch, tmp_path, unique):
    """A context made by the CLI, with the CA and client files, is used with them."""
    tls_env("good")
    good = tls_engine["good"]
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "config"))  # the CLI's files, not the user's
    made = docker_cli(
        "context", "create", unique, "--docker",
        f"host={tls_engine['address']},ca={good / 'ca.pem'},cert={good / 'cert.pem'},key={good / 'key.pem'}",
    )  # fmt: skip
    assert made.returncode == 0
    for name in ("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("DOCKER_CONTEXT", unique)
    engine = ip.magics_manager.registry["DockerMagics"].session.engine
    engine.reset()
    assert f"Name: {tls_engine['name']}" in str(ip.run_line_magic("docker", "info"))
    assert engine.where == f"{tls_engine['address']} (from the docker context {unique})"


def test_a_wrong_ca_is_one_line(ip, tls_env, tls_engine):
    tls_env("wrong_ca")
    message = one_line(ip, "ps")
    assert (
        f"The engine's TLS certificate at {tls_engine['address']} (from DOCKER_HOST) is not signed" in message
    )
    assert str(tls_engine["wrong_ca"] / "ca.pem") in message


def test_no_client_certificate_is_one_line(ip, tls_env, tls_engine):
    tls_env("no_client_cert")
    message = one_line(ip, "ps")
    assert f"The engine at {tls_engine['address']} (from DOCKER_HOST) wants a client certificate" in message
    assert str(tls_engine["no_client_cert"]) in message


def test_a_client_certificate_from_another_ca_is_one_line(ip, tls_env, tls_engine):
    tls_env("stranger")
    message = one_line(ip, "ps")
    assert (
        f"The engine at {tls_engine['address']} (from DOCKER_HOST) refused the client certificate" in message
    )


def test_plain_tcp_to_the_tls_port_is_one_line(ip, tls_env, tls_engine, monkeypatch):
    tls_env("good")
    monkeypatch.delenv("DOCKER_TLS_VERIFY")
    ip.magics_manager.registry["DockerMagics"].session.engine.reset()
    message = one_line(ip, "ps")
    assert "speaks TLS and this client did not: set DOCKER_TLS_VERIFY=1" in message
