"""login/logout against a second local registry (Debian's docker-registry, htpasswd auth, on a free
127.0.0.1 port; started here and stopped after), with a temporary DOCKER_CONFIG: credentials kept
where and as the CLI keeps them, so a %docker login serves the CLI's push, the CLI's login serves
%docker push and pull, and a credential helper is run when the file names one."""

from __future__ import annotations

import base64
import getpass
import io
import json
import os
import socket
import stat
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request

import pytest
from IPython.core.error import UsageError

from tests.conftest import docker_cli

USER, PASSWORD = "alice", "s3cret-Pw"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def registry(tmp_path):
    """``127.0.0.1:PORT`` of a registry that wants USER's password."""
    import crypt as _crypt

    port = free_port()
    (tmp_path / "htpasswd").write_text(
        f"{USER}:{_crypt.crypt(PASSWORD, _crypt.mksalt(_crypt.METHOD_BLOWFISH))}\n"
    )
    (tmp_path / "registry.yml").write_text(
        "version: 0.1\n"
        f"storage:\n  filesystem:\n    rootdirectory: {tmp_path / 'store'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
        f"auth:\n  htpasswd:\n    realm: test\n    path: {tmp_path / 'htpasswd'}\n"
    )
    log = open(tmp_path / "registry.log", "wb")
    process = subprocess.Popen(
        ["docker-registry", "serve", str(tmp_path / "registry.yml")], stdout=log, stderr=log
    )
    try:
        deadline = time.time() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1)
            except urllib.error.HTTPError as answer:
                assert answer.code == 401
                break
            except OSError:
                assert time.time() < deadline and process.poll() is None, (
                    tmp_path / "registry.log"
                ).read_text()
                time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)
        log.close()


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    folder = tmp_path / "docker-config"
    monkeypatch.setenv("DOCKER_CONFIG", str(folder))
    return folder


@pytest.fixture
def tiny(unique, test_label, tmp_path):
    """A one-file image, labelled for removal: ``push(ref)`` tags it as ``ref``."""
    tar = tmp_path / "tiny.tar"
    with tarfile.open(tar, "w") as archive:
        info = tarfile.TarInfo("hello.txt")
        info.size = 6
        archive.addfile(info, io.BytesIO(b"hello\n"))
    image = docker_cli("import", "-c", f"LABEL {test_label}", str(tar)).stdout.decode().strip()

    def tagged(ref: str) -> str:
        docker_cli("tag", image, ref)
        return ref

    return tagged


def auths(config_dir) -> dict:
    return json.loads((config_dir / "config.json").read_text())["auths"]


def test_our_login_is_kept_as_the_cli_keeps_it_and_serves_the_clis_push(
    ip, registry, config_dir, tiny, unique, capsys
):
    ref = tiny(f"{registry}/{unique}:1")
    assert docker_cli("push", ref, check=False).returncode != 0  # the registry wants a login
    result = ip.run_line_magic("docker", f"login -u {USER} -p {PASSWORD} http://{registry}/")
    assert str(result) == "Login Succeeded"
    out = capsys.readouterr()
    assert "WARNING! Using --password via the CLI is insecure. Use --password-stdin." in out.err
    assert PASSWORD not in out.out + out.err
    assert auths(config_dir) == {registry: {"auth": base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()}}
    assert stat.S_IMODE(os.stat(config_dir / "config.json").st_mode) == 0o600
    docker_cli("push", ref)  # the CLI uses what %docker login kept

    assert (
        str(ip.run_line_magic("docker", f"logout {registry}")) == f"Removing login credentials for {registry}"
    )
    assert auths(config_dir) == {}
    assert docker_cli("push", ref, check=False).returncode != 0


def test_the_clis_login_serves_our_push_and_pull(ip, client, registry, config_dir, tiny, unique):
    ref = tiny(f"{registry}/{unique}:2")
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"push {ref}")
    assert "\n" not in str(info.value)
    docker_cli("login", "-u", USER, "--password-stdin", registry, input=PASSWORD.encode())
    ip.run_line_magic("docker", f"push {ref}")
    client.api.remove_image(ref)
    ip.run_line_magic("docker", f"pull {ref}")
    assert client.api.inspect_image(ref)["Id"]
    docker_cli("logout", registry)
    client.api.remove_image(ref)
    with pytest.raises(UsageError):  # read again: the CLI's logout counts at once
        ip.run_line_magic("docker", f"pull {ref}")


def test_password_stdin_prompts_without_echo(ip, registry, config_dir, monkeypatch, capsys):
    asked = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": asked.append(prompt) or PASSWORD)
    result = ip.run_line_magic("docker", f"login -u {USER} --password-stdin {registry}")
    assert str(result) == "Login Succeeded" and len(asked) == 1 and registry in asked[0]
    out = capsys.readouterr()
    assert "--password via the CLI" not in out.err and PASSWORD not in out.out + out.err
    assert registry in auths(config_dir)
    # nothing given: the kept credentials are tried, as the CLI does
    assert str(ip.run_line_magic("docker", f"login {registry}")) == "Login Succeeded"
    assert len(asked) == 1


def test_a_kernel_variable_gives_the_password_without_the_warning(ip, registry, config_dir, capsys):
    ip.user_ns["registry_password"] = PASSWORD
    result = ip.run_line_magic("docker", f"login -u {USER} -p {{registry_password}} {registry}")
    assert str(result) == "Login Succeeded"
    out = capsys.readouterr()
    assert "--password via the CLI" not in out.err and PASSWORD not in out.out + out.err
    assert registry in auths(config_dir)


def test_a_wrong_password_is_one_line_and_keeps_nothing(ip, registry, config_dir):
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"login -u {USER} -p wrong-{PASSWORD} {registry}")
    assert "\n" not in str(info.value) and PASSWORD not in str(info.value)
    assert not (config_dir / "config.json").exists()


HELPER = """#!{python}
import json, os, sys
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kept.json")
kept = json.load(open(path)) if os.path.exists(path) else {{}}
data = sys.stdin.read()
if sys.argv[1] == "store":
    entry = json.loads(data)
    kept[entry["ServerURL"]] = [entry["Username"], entry["Secret"]]
elif sys.argv[1] == "get":
    if data.strip() not in kept:
        print("credentials not found in native keychain")
        sys.exit(1)
    user, secret = kept[data.strip()]
    print(json.dumps({{"ServerURL": data.strip(), "Username": user, "Secret": secret}}))
elif sys.argv[1] == "erase":
    kept.pop(data.strip(), None)
elif sys.argv[1] == "list":
    print(json.dumps({{k: v[0] for k, v in kept.items()}}))
json.dump(kept, open(path, "w"))
"""


def test_a_credential_helper_keeps_the_secret(ip, registry, config_dir, tiny, unique, tmp_path, monkeypatch):
    helpers = tmp_path / "bin"
    helpers.mkdir()
    program = helpers / "docker-credential-dmtest"
    program.write_text(HELPER.format(python=sys.executable))
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{helpers}{os.pathsep}{os.environ['PATH']}")
    config_dir.mkdir()
    (config_dir / "config.json").write_text(json.dumps({"credsStore": "dmtest", "detachKeys": "ctrl-x"}))

    ip.run_line_magic("docker", f"login -u {USER} -p {PASSWORD} {registry}")
    doc = json.loads((config_dir / "config.json").read_text())
    assert doc == {"credsStore": "dmtest", "detachKeys": "ctrl-x", "auths": {registry: {}}}  # others kept
    assert json.loads((helpers / "kept.json").read_text()) == {registry: [USER, PASSWORD]}
    ref = tiny(f"{registry}/{unique}:3")
    docker_cli("push", ref)  # the CLI asks the same helper
    ip.run_line_magic("docker", f"push {ref}")
    ip.run_line_magic("docker", f"logout {registry}")
    assert json.loads((helpers / "kept.json").read_text()) == {}
