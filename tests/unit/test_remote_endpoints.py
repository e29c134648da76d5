"""Which engine, and how to reach it: the resolution order, TLS from the environment as the
CLI reads it, ssh addresses and command lines as the CLI builds them, and TLS failures in
one line. No engine, no network: the engine tests (test_remote_ssh.py, test_remote_tls.py)
drive the real thing."""

from __future__ import annotations

import ssl

import pytest

from dockermagic.engine import client as client_module
from dockermagic.engine.client import Engine, resolve_endpoint
from dockermagic.engine.endpoint import Endpoint, TLSFiles
from dockermagic.engine.ssh import SSHTarget, SSHTransport
from dockermagic.engine.tls import env_tls, tls_config, tls_failure
from dockermagic.errors import EngineUnavailable

TLS_VARIABLES = ("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_TLS", "DOCKER_CERT_PATH", "DOCKER_CONFIG")


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in TLS_VARIABLES + ("DOCKER_CONTEXT",):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "config"))  # no context of the user's
    monkeypatch.setattr(client_module, "active_endpoint", lambda: None)
    return monkeypatch


def test_resolution_order(env):
    context = Endpoint("tcp://ctx:2376", "the docker context lab", TLSFiles(ca="/store/ca.pem"))
    assert resolve_endpoint() == Endpoint("unix:///var/run/docker.sock", "the default socket")
    env.setattr(client_module, "active_endpoint", lambda: context)
    assert resolve_endpoint() == context
    env.setenv("DOCKER_HOST", "tcp://env:2375")
    assert resolve_endpoint() == Endpoint("tcp://env:2375", "DOCKER_HOST")
    assert resolve_endpoint("ssh://me@box") == Endpoint("ssh://me@box", "%config DockerMagics.base_url")
    assert Engine("ssh://me@box").where == "ssh://me@box (from %config DockerMagics.base_url)"


@pytest.mark.parametrize(
    "variables, verify",
    [
        ({"DOCKER_TLS_VERIFY": "1"}, True),
        ({"DOCKER_TLS_VERIFY": "0"}, True),  # the CLI reads any non-empty value as on
        ({"DOCKER_TLS": "1"}, False),  # encrypt, do not verify (the CLI's --tls)
        ({"DOCKER_TLS": "1", "DOCKER_TLS_VERIFY": "yes"}, True),
    ],
)
def test_tls_from_the_environment_as_the_cli_reads_it(env, tmp_path, variables, verify):
    for name, value in variables.items():
        env.setenv(name, value)
    env.setenv("DOCKER_HOST", "tcp://engine:2376")
    expected = TLSFiles(
        str(tmp_path / "config" / "ca.pem"),
        str(tmp_path / "config" / "cert.pem"),
        str(tmp_path / "config" / "key.pem"),
        verify,
    )
    assert resolve_endpoint().tls == expected  # DOCKER_CERT_PATH unset: the configuration directory
    env.setenv("DOCKER_CERT_PATH", "/certs")
    assert resolve_endpoint("tcp://other:2376").tls == TLSFiles(
        "/certs/ca.pem", "/certs/cert.pem", "/certs/key.pem", verify
    )  # an address given outright takes the environment's TLS too, as -H does


def test_tls_is_for_tcp_only_and_off_without_the_variables(env):
    env.setenv("DOCKER_CERT_PATH", "/certs")
    assert env_tls("tcp://engine:2376") is None
    env.setenv("DOCKER_TLS_VERIFY", "1")
    env.setenv("DOCKER_TLS_VERIFY", "")
    assert env_tls("tcp://engine:2376") is None  # empty is off
    env.setenv("DOCKER_TLS_VERIFY", "1")
    assert env_tls("unix:///var/run/docker.sock") is None and env_tls("ssh://me@box") is None


def test_missing_tls_files_are_one_line_before_any_connection(env, tmp_path):
    env.setenv("DOCKER_CERT_PATH", str(tmp_path))
    env.setenv("DOCKER_TLS_VERIFY", "1")
    endpoint = resolve_endpoint("tcp://127.0.0.1:9")
    with pytest.raises(EngineUnavailable, match=r"no CA certificate .*ca\.pem \(DOCKER_CERT_PATH\)"):
        tls_config(endpoint)
    (tmp_path / "ca.pem").write_text("x")
    (tmp_path / "cert.pem").write_text("x")
    with pytest.raises(EngineUnavailable, match=r"client cert file is there but not its key .*key\.pem"):
        tls_config(endpoint)
    (tmp_path / "key.pem").write_text("x")
    config = tls_config(endpoint)
    assert config.cert == (str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))
    assert config.ca_cert == str(tmp_path / "ca.pem") and config.verify


def _ssl_error(code: str, text: str) -> Exception:
    """An exception chain as requests raises it around OpenSSL's error (its words recorded)."""
    inner = ssl.SSLError(1, f"[SSL: {code}] {text} (_ssl.c:1000)")
    outer = ConnectionError("Max retries exceeded with url: /version")
    outer.__context__ = inner
    return outer


def endpoint_with(directory, client_cert: bool) -> Endpoint:
    if client_cert:
        (directory / "cert.pem").write_text("x")
        (directory / "key.pem").write_text("x")
    files = TLSFiles(str(directory / "ca.pem"), str(directory / "cert.pem"), str(directory / "key.pem"))
    return Endpoint("tcp://127.0.0.1:2376", "DOCKER_HOST", files)


@pytest.mark.parametrize(
    "code, text, expected",
    [
        (
            "CERTIFICATE_VERIFY_FAILED",
            "certificate verify failed: unable to get local issuer certificate",
            "The engine's TLS certificate at tcp://127.0.0.1:2376 (from DOCKER_HOST) is not signed by the CA in ",
        ),
        (
            "CERTIFICATE_VERIFY_FAILED",
            "certificate verify failed: IP address mismatch, certificate is not valid for '127.0.0.1'",
            "is not made out to that host name or address",
        ),
        ("SSLV3_ALERT_BAD_CERTIFICATE", "sslv3 alert bad certificate", "refused the client certificate"),
        ("WRONG_VERSION_NUMBER", "wrong version number", "does not speak TLS there"),
    ],
)
def test_tls_failures_are_one_line(code, text, expected, tmp_path):
    error = tls_failure(_ssl_error(code, text), endpoint_with(tmp_path, client_cert=True))
    assert error is not None and expected in str(error) and "\n" not in str(error)
    assert "tcp://127.0.0.1:2376 (from DOCKER_HOST)" in str(error)


@pytest.mark.parametrize(
    "code",
    ["TLSV13_ALERT_CERTIFICATE_REQUIRED", "SSLV3_ALERT_BAD_CERTIFICATE", "SSLV3_ALERT_HANDSHAKE_FAILURE"],
)
def test_an_engine_wanting_a_client_certificate_none_sent(code, tmp_path):
    error = tls_failure(_ssl_error(code, code.lower()), endpoint_with(tmp_path, client_cert=False))
    assert error is not None and "wants a client certificate, and none was sent" in str(error)
    assert str(tmp_path) in str(error)


def test_plain_http_to_a_tls_engine_says_to_turn_tls_on():
    said = Exception("400 Client Error: Bad Request (Client sent an HTTP request to an HTTPS server.)")
    error = tls_failure(said, Endpoint("tcp://127.0.0.1:2376", "DOCKER_HOST"))
    assert error is not None and "set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH" in str(error)
    assert tls_failure(ValueError("unrelated"), Endpoint("tcp://x:1", "DOCKER_HOST")) is None


@pytest.mark.parametrize(
    "address, target",
    [
        ("ssh://box", SSHTarget("box")),
        ("ssh://me@box:2222", SSHTarget("box", "me", "2222")),
        (
            "ssh://me@box/run/user/1000/docker.sock",
            SSHTarget("box", "me", None, "/run/user/1000/docker.sock"),
        ),
        ("ssh://me@box/", SSHTarget("box", "me")),
    ],
)
def test_ssh_addresses(address, target):
    assert SSHTarget.parse(address) == target


@pytest.mark.parametrize(
    "address, why",
    [
        ("ssh://me:secret@box", "a password in the address is not supported"),
        ("ssh://box?x=1", "no ?query"),
        ("ssh://", "the host name is missing"),
        ("ssh://box:port", "the port is not a number"),
    ],
)
def test_bad_ssh_addresses_are_one_line(address, why):
    with pytest.raises(EngineUnavailable, match=r"Invalid ssh address .*" + why.replace("?", r"\?")):
        SSHTarget.parse(address)


def test_ssh_command_lines_are_the_clis_with_one_shared_connection():
    transport = SSHTransport("ssh://me@-oProxyCommand=x:2222", ["-F", "cfg"], connect_timeout=5)
    transport._dir = "/private/dm%ssh"  # as mkdtemp would make it (a % is doubled for ssh)
    dial = transport.dial_args()
    assert dial[:3] == ["ssh", "-F", "cfg"]
    # the CLI's: -l USER -p PORT -- HOST docker system dial-stdio (a host is never a flag)
    assert dial[-9:] == ["-l", "me", "-p", "2222", "--", "-oProxyCommand=x", "docker", "system", "dial-stdio"]
    assert (
        "ControlPath=/private/dm%%ssh/master" in dial
        and "ControlMaster=no" in dial
        and "BatchMode=yes" in dial
    )
    master = transport.master_args()
    assert "ControlMaster=yes" in master and "-N" in master and master[-2:] == ["--", "-oProxyCommand=x"]
    path = SSHTransport("ssh://me@box/run/user/1000/docker.sock").target.remote_command()
    assert path == ["docker", "--host=unix:///run/user/1000/docker.sock", "system", "dial-stdio"]
    quoted = SSHTransport("ssh://me@box/tmp/a b;x").target.remote_command()
    assert quoted[1] == "'--host=unix:///tmp/a b;x'"  # the remote shell reads it as one word


def test_an_unusable_context_is_named_and_refused_only_on_connecting(env):
    def broken():
        raise EngineUnavailable(
            'The docker context "gone" (DOCKER_CONTEXT) does not exist: %docker context ls'
        )

    env.setattr(client_module, "active_endpoint", broken)
    env.setattr(client_module, "active_context_name", lambda configured=None: "gone")
    env.setattr(client_module, "chosen_by", lambda: "DOCKER_CONTEXT")
    engine = Engine()
    assert engine.where == "the docker context gone (from DOCKER_CONTEXT)"
    with pytest.raises(EngineUnavailable, match='The docker context "gone"'):
        engine.get()
