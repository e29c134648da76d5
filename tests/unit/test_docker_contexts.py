"""The context store and the active context, on files laid out as the docker CLI lays them out
(the same operations against the CLI itself: tests/engine/test_contexts_parity.py)."""

from __future__ import annotations

import hashlib
import json
import os
import re

import pytest

from dockermagic.engine import contexts
from dockermagic.engine.docker_context import active_context_name, active_endpoint, default_host
from dockermagic.engine.endpoint import Endpoint, TLSFiles
from dockermagic.errors import DockerMagicError, EngineUnavailable

# meta.json as docker 28.2 wrote it for `context create c28 --docker host=tcp://127.0.0.1:9 --description "made by 28"`
CLI_META = (
    '{"Name":"c28","Metadata":{"Description":"made by 28"},'
    '"Endpoints":{"docker":{"Host":"tcp://127.0.0.1:9","SkipTLSVerify":false}}}'
)


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    return tmp_path


def _meta(config, name: str, text: str) -> None:
    folder = config / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    folder.mkdir(parents=True)
    (folder / "meta.json").write_text(text)


def test_a_context_is_filed_under_the_sha256_of_its_name(config):
    assert contexts.meta_dir("c28") == os.path.join(
        str(config), "contexts", "meta", "a23569cc57f667a1b8ea602875bf10651e964c2fc9512853da7fce2cbf27adf9"
    )
    assert contexts.tls_path("c28", "ca.pem").endswith(
        "contexts/tls/a23569cc57f667a1b8ea602875bf10651e964c2fc9512853da7fce2cbf27adf9/docker/ca.pem"
    )


def test_meta_json_is_written_byte_for_byte_as_the_cli_writes_it(config):
    _meta(config, "c28", CLI_META)
    loaded = contexts.load("c28")
    assert (loaded.name, loaded.description, loaded.host, loaded.skip_tls_verify) == (
        "c28",
        "made by 28",
        "tcp://127.0.0.1:9",
        False,
    )
    contexts.remove("c28")
    contexts.save(loaded)
    assert (config / "contexts" / "meta" / contexts.context_id("c28") / "meta.json").read_text() == CLI_META


def test_go_marshal_escapes_html_and_sorts_maps_but_keeps_the_structs_order():
    text = contexts.StoredContext(
        "x1", {"b": 1, "Description": "<a & b>"}, {"docker": {"Host": "h", "SkipTLSVerify": True}}
    ).meta_json()
    assert text == (
        '{"Name":"x1","Metadata":{"Description":"\\u003ca \\u0026 b\\u003e","b":1},'
        '"Endpoints":{"docker":{"Host":"h","SkipTLSVerify":true}}}'
    )


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "context name cannot be empty"),
        ("default", '"default" is a reserved context name'),
        (
            "a",
            'context name "a" is invalid, names are validated against regexp "^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$"',
        ),
        (
            "bad name",
            'context name "bad name" is invalid, names are validated against regexp "^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$"',
        ),
        (
            "-ab",
            'context name "-ab" is invalid, names are validated against regexp "^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$"',
        ),
    ],
)
def test_names_are_checked_as_the_cli_checks_them(name, message):
    with pytest.raises(DockerMagicError) as info:
        contexts.validate_name(name)
    assert str(info.value) == message


@pytest.mark.parametrize("name", ["ab", "a.b", "A_b+c-1", "9x"])
def test_good_names_pass(name):
    contexts.validate_name(name)


def test_current_context_keeps_the_rest_of_config_json(config):
    (config / "config.json").write_text(json.dumps({"auths": {"r:5000": {"auth": "eDp5"}}}))
    contexts.set_current_in_config("c28")
    doc = json.loads((config / "config.json").read_text())
    assert doc == {"auths": {"r:5000": {"auth": "eDp5"}}, "currentContext": "c28"}
    assert oct(os.stat(config / "config.json").st_mode & 0o777) == "0o600"
    contexts.set_current_in_config("")
    assert json.loads((config / "config.json").read_text()) == {"auths": {"r:5000": {"auth": "eDp5"}}}


def test_the_active_context_is_chosen_as_the_cli_chooses(config, monkeypatch):
    assert active_context_name() == "default"
    contexts.set_current_in_config("fromfile")
    assert active_context_name() == "fromfile"
    monkeypatch.setenv("DOCKER_CONTEXT", "fromenv")
    assert active_context_name() == "fromenv"
    assert active_context_name("tcp://127.0.0.1:1") == "default"  # an address given outright: -H
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:2")
    assert active_context_name() == "default"
    assert default_host() == "tcp://127.0.0.1:2"


def test_active_endpoint_is_none_for_default_and_the_stored_host_otherwise(config, monkeypatch):
    assert active_endpoint() is None
    _meta(config, "c28", CLI_META)
    monkeypatch.setenv("DOCKER_CONTEXT", "c28")
    assert active_endpoint() == Endpoint("tcp://127.0.0.1:9", "the docker context c28", None)


def test_active_endpoint_carries_the_stored_tls_files(config, monkeypatch):
    stored = contexts.StoredContext(
        "t1", {}, {"docker": {"Host": "tcp://127.0.0.1:2376", "SkipTLSVerify": True}}
    )
    contexts.save(stored)
    contexts.reset_tls("t1", {"ca.pem": b"CA", "key.pem": b"KEY"})
    monkeypatch.setenv("DOCKER_CONTEXT", "t1")
    found = active_endpoint()
    assert found is not None and found.tls == TLSFiles(
        ca=contexts.tls_path("t1", "ca.pem"), cert=None, key=contexts.tls_path("t1", "key.pem"), verify=False
    )
    assert open(found.tls.ca, "rb").read() == b"CA"
    assert oct(os.stat(found.tls.key).st_mode & 0o777) == "0o600"
    assert contexts.load("t1").tls == {"docker": ["ca.pem", "key.pem"]}


def test_a_missing_active_context_is_one_line_that_names_it(config, monkeypatch):
    monkeypatch.setenv("DOCKER_CONTEXT", "gone")
    with pytest.raises(EngineUnavailable) as info:
        active_endpoint()
    message = str(info.value)
    assert '"gone"' in message and "DOCKER_CONTEXT" in message and "\n" not in message


def test_remove_takes_metadata_and_tls_material(config):
    contexts.save(
        contexts.StoredContext("t2", {}, {"docker": {"Host": "unix:///x.sock", "SkipTLSVerify": False}})
    )
    contexts.reset_tls("t2", {"cert.pem": b"C"})
    assert contexts.exists("t2")
    contexts.remove("t2")
    assert not contexts.exists("t2") and not os.path.exists(contexts.tls_dir("t2"))
    with pytest.raises(contexts.ContextNotFound, match='context "t2" does not exist'):
        contexts.load("t2")


def test_listing_reads_every_stored_context(config):
    _meta(config, "c28", CLI_META)
    contexts.save(contexts.StoredContext("zz", {}, {}))
    assert sorted(c.name for c in contexts.listing()) == ["c28", "zz"]


# --docker and the other options, as the CLI reads them


def test_docker_option_reads_key_value_pairs_as_the_cli_does():
    from dockermagic.commands import parse_line

    spec = parse_line(
        "context create ab --docker 'host=tcp://h:1,\"ca=/a,b.pem\"' --docker key=/k --docker host=tcp://h:2"
    )
    assert spec.docker == (("host", "tcp://h:2"), ("ca", "/a,b.pem"), ("key", "/k"))
    assert parse_line("context create ab").docker == ()


@pytest.mark.parametrize(
    "line, words",
    [
        (
            "context create ab --docker nohost",
            'invalid argument "nohost" for "--docker" flag: nohost must be formatted',
        ),
        ("context create ab --kubernetes config-file=x", "--kubernetes is not supported"),
        (
            "context update ab --default-stack-orchestrator swarm",
            "--default-stack-orchestrator is not supported",
        ),
        ("context export ab --kubeconfig", "--kubeconfig is not supported"),
        ("context import ab -", "no stdin"),
        ("context use", "requires 1 argument"),
    ],
)
def test_bad_context_lines_are_one_line(line, words):
    from dockermagic.commands import parse_line

    with pytest.raises(DockerMagicError) as info:
        parse_line(line)
    assert words in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    "pairs, words",
    [
        ((("foo", "1"),), "unrecognized config key: foo"),
        ((("skip-tls-verify", "maybe"),), 'skip-tls-verify: parsing "maybe": invalid syntax'),
        ((("host", "nohost"),), "unable to parse docker host `nohost`"),
        ((("ca", "/nonexistent/ca.pem"),), "open /nonexistent/ca.pem: No such file or directory"),
    ],
)
def test_bad_endpoints_are_refused_before_anything_is_written(config, pairs, words):
    from dockermagic.engine import docker_context

    with pytest.raises(DockerMagicError, match=re.escape(words)):
        docker_context.create("ab", "", pairs, "")
    assert not contexts.exists("ab")


def test_tls_material_is_checked_as_the_cli_checks_it(config, tmp_path):
    from dockermagic.engine import docker_context

    (tmp_path / "bad.pem").write_text("not a certificate\n")
    with pytest.raises(DockerMagicError, match="ca.pem seems invalid"):
        docker_context.create("ab", "", (("host", "tcp://h:2376"), ("ca", f"{tmp_path}/bad.pem")), "")
    with pytest.raises(DockerMagicError, match="are not a certificate and its key"):
        docker_context.create(
            "ab",
            "",
            (("host", "tcp://h:2376"), ("cert", f"{tmp_path}/bad.pem"), ("key", f"{tmp_path}/bad.pem")),
            "",
        )
    # on a socket the CLI keeps whatever it is given, unread
    docker_context.create("ab", "", (("host", "unix:///x.sock"), ("ca", f"{tmp_path}/bad.pem")), "")
    assert contexts.load("ab").tls == {"docker": ["ca.pem"]}


def test_create_without_docker_copies_the_current_context(config):
    from dockermagic.engine import docker_context

    docker_context.create("ab", "", (), "")
    copied = contexts.load("ab")
    assert copied.host == "unix:///var/run/docker.sock"
    assert copied.description == "Current DOCKER_HOST based configuration"  # as 28.x copies it
    with pytest.raises(DockerMagicError, match='context "ab" already exists'):
        docker_context.create("ab", "", (), "")
    with pytest.raises(DockerMagicError, match="cannot use --docker flag when --from is set"):
        docker_context.create("cd", "", (("host", "tcp://h:1"),), "ab")


# export and import


def test_an_exported_context_imports_under_another_name(config):
    from dockermagic.engine import context_archive, docker_context

    contexts.save(
        contexts.StoredContext(
            "ab", {"Description": "x"}, {"docker": {"Host": "tcp://h:1", "SkipTLSVerify": False}}
        )
    )
    contexts.reset_tls("ab", {"ca.pem": b"CA"})
    data = context_archive.export_archive(contexts.load("ab"), docker_context.stored_tls("ab"))
    context_archive.import_archive("cd", data)
    assert contexts.load("cd") == contexts.StoredContext(
        "cd", {"Description": "x"}, contexts.load("ab").endpoints, {"docker": ["ca.pem"]}
    )
    # the CLI's own archives end early (its stream is closed before the tar writer): still read
    context_archive.import_archive("ef", data.rstrip(b"\0"))
    assert open(contexts.tls_path("ef", "ca.pem"), "rb").read() == b"CA"


def test_an_archive_with_other_files_is_refused(config):
    import io
    import tarfile

    from dockermagic.engine import context_archive

    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        info = tarfile.TarInfo("../etc/passwd")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(DockerMagicError, match="unexpected context file"):
        context_archive.import_archive("ab", out.getvalue())
    assert not contexts.exists("ab")


def test_a_zip_archive_imports_too(config):
    import io
    import zipfile

    from dockermagic.engine import context_archive

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("meta.json", CLI_META)
        archive.writestr("tls/docker/ca.pem", "CA")
    context_archive.import_archive("zipped", out.getvalue())
    found = contexts.load("zipped")
    assert (found.name, found.host, found.tls) == ("zipped", "tcp://127.0.0.1:9", {"docker": ["ca.pem"]})


def test_context_names_complete_without_an_engine(config):
    from dockermagic.completion import Completer
    from dockermagic.session import Session

    _meta(config, "c28", CLI_META)
    completer = Completer(Session())  # never connected: the names are files on this machine
    event = type("Event", (), {"line": "%docker context use ", "symbol": ""})()
    assert completer(None, event) == ["c28", "default"]
    event = type("Event", (), {"line": "%docker context rm c", "symbol": "c"})()
    assert completer(None, event) == ["c28"]


def test_the_clean_up_watchdog_is_pinned_to_the_context_in_use(config, monkeypatch):
    """``context use`` moves the kernel to another engine: what it made on the first is still
    watched by a watchdog started with that context pinned, and the second gets its own."""
    import subprocess

    from dockermagic.engine.docker_context import pinned_context
    from dockermagic.reaper.keeper import Keeper

    started = []

    class Process:  # only the spawn is faked: no watchdog process in a unit test
        stdin = None

        def __init__(self, argv, env, **kw):
            started.append(env.get("DOCKER_CONTEXT"))

        def poll(self):
            return None

    monkeypatch.setattr(subprocess, "Popen", Process)
    keeper = Keeper("s1", lambda: None, pinned=lambda: pinned_context(None))
    keeper.ensure()
    keeper.ensure()
    contexts.set_current_in_config("lab")
    keeper.ensure()
    keeper.ensure()
    assert started == ["default", "lab"]
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:1")  # inherited as it is: nothing to pin
    assert pinned_context(None) == {} and pinned_context("tcp://127.0.0.1:2") == {}
