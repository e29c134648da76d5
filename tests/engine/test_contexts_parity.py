"""Docker contexts, shared with the real docker CLI: a context either one makes is listed, inspected,
used and removed by the other, in one temporary ``DOCKER_CONFIG``.

Run against every CLI installed: docker.io's 20.10 (``/usr/bin/docker``) and a current one
(``/usr/local/bin/docker``, 28.x) where present. Output is compared byte for byte with the
current CLI's (20.10's ``context ls`` has two Kubernetes columns more, and its ``inspect`` of
``default`` a stack orchestrator: with it, the forms both print alike are compared).
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import subprocess

import pytest
from IPython.core.error import UsageError

CLIS = [cli for cli in ("/usr/bin/docker", "/usr/local/bin/docker") if os.access(cli, os.X_OK)]


def _major(cli: str) -> int:
    out = subprocess.run([cli, "--version"], capture_output=True, text=True, timeout=60, check=True).stdout
    return int(re.search(r"version (\d+)\.", out).group(1))


@pytest.fixture(params=CLIS, ids=lambda cli: f"cli{_major(cli)}")
def cli(request):
    return request.param


@pytest.fixture
def engine_host(client, tmp_path):
    """The engine's address; a socket is reached through a link of this test's own, so that an
    answer proves the context's address was used, not the default socket."""
    host = os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
    if not host.startswith("unix://"):
        return host
    link = tmp_path / "engine.sock"
    link.symlink_to(host.removeprefix("unix://"))
    return f"unix://{link}"


@pytest.fixture
def dead_host():
    """A tcp address on 127.0.0.1 where nothing listens (a port taken, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


@pytest.fixture
def config(ip, engine_host, tmp_path, monkeypatch):
    """A temporary DOCKER_CONFIG for the CLI and the kernel alike; the session's engine is
    reset before and after, so neither this test's contexts nor its absence of them leak."""
    folder = tmp_path / "docker-config"
    folder.mkdir()
    monkeypatch.setenv("DOCKER_CONFIG", str(folder))
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    session = ip.magics_manager.registry["DockerMagics"].session
    session.engine.reset(None)
    yield folder
    session.engine.reset(None)


def run(cli: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """The real CLI on this test's DOCKER_CONFIG (the environment the kernel sees)."""
    done = subprocess.run([cli, *args], capture_output=True, text=True, env=dict(os.environ), timeout=60)
    if check and done.returncode:
        raise AssertionError(f"{cli} {' '.join(args)}: {done.stderr}")
    return done


def ours(ip, line: str) -> str:
    result = ip.run_line_magic("docker", line)
    return "" if result is None else result.text()


def session_of(ip):
    return ip.magics_manager.registry["DockerMagics"].session


# Columns both CLIs print, as a template both read alike; and as a table (Current has no header).
COMMON = "{{.Name}}|{{.Current}}|{{.Description}}|{{.DockerEndpoint}}"
TABLE = "table {{.Name}}{{if .Current}} *{{end}}\t{{.Current}}\t{{.Description}}\t{{.DockerEndpoint}}"


def assert_listed_alike(ip, cli: str) -> None:
    """``context ls`` through %docker and through the CLI: the whole table with a current CLI,
    the columns both have with 20.10; ``-q`` and a template with both."""
    if _major(cli) >= 23:
        assert ours(ip, "context ls") == run(cli, "context", "ls").stdout.rstrip("\n")
        assert ours(ip, "context ls --format json") == run(
            cli, "context", "ls", "--format", "json"
        ).stdout.rstrip("\n")
    assert ours(ip, "context ls -q") == run(cli, "context", "ls", "-q").stdout.rstrip("\n")
    assert ours(ip, f"context ls --format '{TABLE}'") == run(
        cli, "context", "ls", "--format", TABLE
    ).stdout.rstrip("\n")
    assert ours(ip, f"context ls --format '{COMMON}'") == run(
        cli, "context", "ls", "--format", COMMON
    ).stdout.rstrip("\n")


def test_a_context_made_by_the_cli_is_listed_inspected_and_used_by_dockermagic(
    ip, cli, config, engine_host, dead_host, client
):
    run(
        cli,
        "context",
        "create",
        "dm-live",
        "--docker",
        f"host={engine_host}",
        "--description",
        "made by the CLI",
    )
    run(cli, "context", "create", "dm-dead", "--docker", f"host={dead_host}")
    assert_listed_alike(ip, cli)
    for names in (["dm-live"], ["dm-dead", "dm-live"]):
        assert ours(ip, "context inspect " + " ".join(names)) == run(
            cli, "context", "inspect", *names
        ).stdout.rstrip("\n")
    template = "{{.Name}} {{.Endpoints.docker.Host}} {{json .Metadata}} {{json .TLSMaterial}}"
    assert ours(ip, f"context inspect -f '{template}' dm-live") == run(
        cli, "context", "inspect", "-f", template, "dm-live"
    ).stdout.rstrip("\n")

    run(cli, "context", "use", "dm-live")  # the CLI's choice is ours from the next command on
    assert ours(ip, "context show") == "dm-live"
    assert "dm-live *" in ours(ip, "context ls")
    session_of(ip).engine.reset(None)  # a kernel started now
    assert ours(ip, "version -f '{{.Server.Version}}'") == client.version()["Version"]
    assert session_of(ip).engine.address == engine_host

    run(cli, "context", "use", "dm-dead")
    session_of(ip).engine.reset(None)
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", "version")
    message = str(info.value)
    assert "\n" not in message and dead_host.removeprefix("tcp://") in message and "dm-dead" in message


def test_a_context_made_by_dockermagic_is_listed_inspected_and_used_by_the_cli(
    ip, cli, config, engine_host, dead_host, client, capsys
):
    assert (
        ours(ip, f"context create dm-live --docker host={engine_host} --description 'made <here>'")
        == "dm-live"
    )
    assert 'Successfully created context "dm-live"' in capsys.readouterr().err
    ip.run_line_magic("docker", f"context create dm-dead --docker host={dead_host}")
    assert_listed_alike(ip, cli)
    assert run(cli, "context", "inspect", "dm-live", "dm-dead").stdout.rstrip("\n") == ours(
        ip, "context inspect dm-live dm-dead"
    )

    assert ours(ip, "context use dm-live") == "dm-live"
    assert 'Current context is now "dm-live"' in capsys.readouterr().err
    assert run(cli, "context", "ls", "-q").stdout.split() == ["default", "dm-dead", "dm-live"]
    assert "dm-live *" in run(cli, "context", "ls").stdout  # the CLI's current context too
    version = run(cli, "version", "--format", "{{.Server.Version}}").stdout.strip()
    assert version == client.version()["Version"]
    assert ours(ip, "version -f '{{.Server.Version}}'") == version  # %docker is connected, there
    assert session_of(ip).engine.address == engine_host

    ip.run_line_magic("docker", "context use dm-dead")
    done = run(cli, "version", "--format", "{{.Server.Version}}", check=False)
    assert done.returncode != 0 and dead_host.removeprefix("tcp://") in done.stderr  # the CLI went there
    with pytest.raises(UsageError) as info:  # and so does %docker, from the next command on
        ip.run_line_magic("docker", "ps")
    assert "\n" not in str(info.value) and dead_host.removeprefix("tcp://") in str(info.value)


def tls_files(folder):
    """A CA, and a client certificate and key it signed, as PEM files (ca.pem, cert.pem, key.pem)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder.mkdir()
    now = datetime.datetime.now(datetime.timezone.utc)

    def certificate(subject, key, issuer, signer, ca):
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(signer, hashes.SHA256())
        )

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(certificate("test ca", ca_key, "test ca", ca_key, True).public_bytes(pem))
    (folder / "cert.pem").write_bytes(certificate("client", key, "test ca", ca_key, False).public_bytes(pem))
    (folder / "key.pem").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    )
    return folder


def test_the_files_are_the_clis_byte_for_byte(ip, cli, config, tmp_path, monkeypatch):
    """The same context through each, in a configuration directory of its own: the same files,
    bytes and modes (directories included), and the same inspect output apart from the directory."""
    tls = tls_files(tmp_path / "tls")
    docker = f"host=tcp://127.0.0.1:2376,ca={tls}/ca.pem,cert={tls}/cert.pem,key={tls}/key.pem,skip-tls-verify=true"
    ip.run_line_magic("docker", f"context create dm-same --docker {docker} --description 'a & b'")
    theirs = tmp_path / "cli-config"
    with monkeypatch.context() as m:
        m.setenv("DOCKER_CONFIG", str(theirs))
        run(cli, "context", "create", "dm-same", "--docker", docker, "--description", "a & b")
        their_inspect = run(cli, "context", "inspect", "dm-same").stdout.rstrip("\n")

    def tree(root) -> dict[str, tuple[str, bytes | None]]:
        return {
            str(path.relative_to(root)): (
                oct(path.stat().st_mode & 0o777),
                path.read_bytes() if path.is_file() else None,
            )
            for path in [root / "contexts", *sorted((root / "contexts").rglob("*"))]
        }

    assert tree(config) == tree(theirs)
    assert (
        b'"Description":"a \\u0026 b"'
        in tree(config)[f"contexts/meta/{hashlib.sha256(b'dm-same').hexdigest()}/meta.json"][1]
    )
    assert ours(ip, "context inspect dm-same") == their_inspect.replace(str(theirs), str(config))


def test_use_and_rm_are_seen_by_the_other(ip, cli, config, engine_host, capsys):
    for name in ("dm-a", "dm-b", "dm-c"):
        run(cli, "context", "create", name, "--docker", f"host={engine_host}")
    run(cli, "context", "rm", "dm-a")
    assert ours(ip, "context ls -q").split() == ["default", "dm-b", "dm-c"]
    ip.run_line_magic("docker", "context rm dm-b")
    assert run(cli, "context", "ls", "-q").stdout.split() == ["default", "dm-c"]

    # the context in use: both refuse without -f; with -f, default becomes current
    ip.run_line_magic("docker", "context use dm-c")
    refused = run(cli, "context", "rm", "dm-c", check=False)
    assert refused.returncode == 1 and "is in use, set -f flag to force remove" in refused.stderr
    with pytest.raises(UsageError, match=r'^context "dm-c" is in use, set -f flag to force remove$'):
        ip.run_line_magic("docker", "context rm dm-c")
    run(cli, "context", "use", "default")
    assert ours(ip, "context show") == "default"
    run(cli, "context", "use", "dm-c")
    assert ours(ip, "context rm -f dm-c") == "dm-c"
    assert run(cli, "context", "ls", "-q").stdout.split() == ["default"]
    assert "currentContext" not in (config / "config.json").read_text()
    assert ours(ip, "context show") == "default"
    with pytest.raises(UsageError, match=r'^context "default" cannot be removed$'):
        ip.run_line_magic("docker", "context rm default")
    assert ours(ip, "context rm -f dm-gone") == "dm-gone"  # as 28.x: -f takes a missing one quietly
    with pytest.raises(UsageError, match=r'^context "dm-gone" does not exist$'):
        ip.run_line_magic("docker", "context rm dm-gone")


def test_docker_context_and_docker_host_override_as_for_the_cli(
    ip, cli, config, engine_host, monkeypatch, capsys
):
    run(cli, "context", "create", "dm-env", "--docker", f"host={engine_host}")
    monkeypatch.setenv("DOCKER_CONTEXT", "dm-env")
    assert ours(ip, f"context ls --format '{COMMON}'") == run(
        cli, "context", "ls", "--format", COMMON
    ).stdout.rstrip("\n")
    assert "dm-env|true|" in ours(ip, f"context ls --format '{COMMON}'")
    monkeypatch.setenv("DOCKER_HOST", engine_host)  # DOCKER_HOST makes default the current one
    assert ours(ip, f"context ls --format '{COMMON}'") == run(
        cli, "context", "ls", "--format", COMMON
    ).stdout.rstrip("\n")
    listed = ours(ip, f"context ls --format '{COMMON}'")
    assert f"default|true|Current DOCKER_HOST based configuration|{engine_host}" in listed
    assert "DOCKER_HOST environment variable overrides the active context" in capsys.readouterr().err
    monkeypatch.delenv("DOCKER_HOST")
    session_of(ip).engine.reset(engine_host)  # %config DockerMagics.base_url: the CLI's -H
    current = "{{if .Current}}{{.Name}}{{end}}"
    assert run(cli, "-H", engine_host, "context", "ls", "--format", current).stdout.split() == ["default"]
    assert ours(ip, "context show") == "default"
    assert ours(ip, f"context ls --format '{current}'").split() == ["default"]
    assert ours(ip, "context use dm-env") == "dm-env"
    assert "%config DockerMagics.base_url overrides the active context" in capsys.readouterr().err


def test_export_and_import_travel_both_ways(ip, cli, config, tmp_path, engine_host):
    run(cli, "context", "create", "dm-src", "--docker", f"host={engine_host}", "--description", "exported")
    tls = tls_files(tmp_path / "tls")
    ip.run_line_magic("docker", f"context create dm-tls --docker host=tcp://127.0.0.1:2376,ca={tls}/ca.pem")
    run(cli, "context", "export", "dm-src", str(tmp_path / "by-cli.tar"))
    ip.run_line_magic("docker", f"context import dm-from-cli {tmp_path}/by-cli.tar")
    ip.run_line_magic("docker", f"context export dm-tls {tmp_path}/by-us.tar")
    run(cli, "context", "import", "dm-from-us", str(tmp_path / "by-us.tar"))
    template = "{{json .Metadata}} {{json .TLSMaterial}}"
    for name, source in (("dm-from-cli", "dm-src"), ("dm-from-us", "dm-tls")):
        imported = run(cli, "context", "inspect", "-f", template, name).stdout.strip()
        assert imported.replace(name, source) == ours(ip, f"context inspect -f '{template}' {source}")
    tar = ip.run_line_magic("docker", "context export dm-tls -")
    assert tar.names() == ["meta.json", "tls", "tls/docker", "tls/docker/ca.pem"]
    before = (tmp_path / "by-us.tar").read_bytes()
    with pytest.raises(UsageError, match=r"^context export: .*by-us\.tar: File exists$"):
        ip.run_line_magic("docker", f"context export dm-src {tmp_path}/by-us.tar")
    assert (tmp_path / "by-us.tar").read_bytes() == before  # never written over, as with the CLI


def test_update_by_either_is_seen_by_the_other(ip, cli, config, engine_host, dead_host, client, capsys):
    run(cli, "context", "create", "dm-up", "--docker", f"host={engine_host}")
    assert ours(ip, "context update dm-up --description 'changed here'") == "dm-up"
    assert 'Successfully updated context "dm-up"' in capsys.readouterr().err
    assert ours(ip, "context inspect dm-up") == run(cli, "context", "inspect", "dm-up").stdout.rstrip("\n")
    assert "dm-up|false|changed here|" in run(cli, "context", "ls", "--format", COMMON).stdout
    run(cli, "context", "update", "dm-up", "--description", "changed there")
    assert "dm-up|false|changed there|" in ours(ip, f"context ls --format '{COMMON}'")

    ip.run_line_magic("docker", "context use dm-up")  # in use, and connected
    assert ours(ip, "version -f '{{.Server.Version}}'") == client.version()["Version"]
    ip.run_line_magic("docker", f"context update dm-up --docker host={dead_host}")
    assert (
        run(cli, "context", "inspect", "-f", "{{.Endpoints.docker.Host}}", "dm-up").stdout.strip()
        == dead_host
    )
    with pytest.raises(UsageError, match="dm-up"):  # the next command goes to the new address
        ip.run_line_magic("docker", "ps")
