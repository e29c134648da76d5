"""login/logout grammar, the password kept out of every repr, and the CLI's file format (on a
temporary DOCKER_CONFIG; the engine's side is in tests/engine/test_login.py)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from dockermagic.commands import parse_line
from dockermagic.commands.login import LoginSpec, LogoutSpec
from dockermagic.engine import login
from dockermagic.errors import CommandError


def test_grammar_and_the_password_never_in_a_repr():
    spec = parse_line("login -u alice -p hunter2 127.0.0.1:5001")
    assert spec == LoginSpec("127.0.0.1:5001", "alice", "hunter2", False)
    assert "hunter2" not in repr(spec) and "hunter2" not in str(spec)
    assert parse_line("login --username=bob --password-stdin") == LoginSpec(None, "bob", None, True)
    assert parse_line("logout") == LogoutSpec() and parse_line("logout r:5000") == LogoutSpec("r:5000")


@pytest.mark.parametrize("line", ["login -p x --password-stdin", "login -p '' -u a", "login a b"])
def test_bad_lines_are_one_line(line):
    with pytest.raises(CommandError) as info:
        parse_line(line)
    assert "\n" not in str(info.value)


def test_server_keys_are_the_clis():
    hub = login.index_server()
    assert login.server_key(None) == login.server_key("docker.io") == hub
    assert login.server_key("http://127.0.0.1:5001/") == "127.0.0.1:5001"
    assert login.server_key("https://registry.test:8443/v2/") == "registry.test:8443"
    assert login.server_key("127.0.0.1:5001") == "127.0.0.1:5001"


def test_the_file_is_written_as_the_cli_writes_it(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "cfg"))
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "config.json").write_text(json.dumps({"psFormat": "{{.ID}}"}))
    where = login.save("127.0.0.1:5001", "alice", "pw:with:colons")
    path = tmp_path / "cfg" / "config.json"
    assert where == str(path)
    assert path.read_text() == (
        '{\n\t"psFormat": "{{.ID}}",\n\t"auths": {\n\t\t"127.0.0.1:5001": {\n'
        '\t\t\t"auth": "YWxpY2U6cHc6d2l0aDpjb2xvbnM="\n\t\t}\n\t}\n}'
    )
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert login.stored("127.0.0.1:5001") == {
        "username": "alice",
        "password": "pw:with:colons",
        "identitytoken": "",
    }
    assert login.auth_for("127.0.0.1:5001/x/y")["password"] == "pw:with:colons"
    assert login.erase("127.0.0.1:5001") and not login.erase("127.0.0.1:5001")
    assert json.loads(path.read_text()) == {"psFormat": "{{.ID}}", "auths": {}}
    assert login.auth_for("127.0.0.1:5001/x") == {}


def test_no_file_means_no_credentials_even_if_another_file_has_some(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "empty"))
    assert login.stored("127.0.0.1:5001")["username"] == "" and login.auth_for("127.0.0.1:5001/x") == {}


def test_a_front_end_without_a_prompt_gets_one_line(monkeypatch):
    import getpass

    from dockermagic.actions import login as action
    from dockermagic.errors import DockerMagicError

    def no_prompt(prompt=""):
        raise RuntimeError("stdin not allowed")

    monkeypatch.setattr(getpass, "getpass", no_prompt)
    with pytest.raises(DockerMagicError) as info:
        action._prompt("alice", "127.0.0.1:5001")
    assert "-p {variable}" in str(info.value) and "\n" not in str(info.value)
