"""%config DockerMagics.*: a bad value is refused in one line and the old value stays."""

import logging

import pytest

from dockermagic.magics import DockerMagics

BAD = [
    ("ping_timeout", "-1"),
    ("ping_timeout", "0"),
    ("ping_timeout", "float('inf')"),
    ("ping_timeout", "float('nan')"),
    ("wait_timeout", "-5"),
    ("publish_host", "'nonsense'"),
    ("publish_host", "''"),
    ("build_context_limit", "-1"),
    ("build_context_limit", "0"),
    ("labels", "{'a': 1}"),
    ("labels", "{1: 'a'}"),
    ("base_url", "'foo://bar'"),
    ("ping_timeout", "'soon'"),
]


@pytest.fixture
def magics(shell):
    return shell.magics_manager.registry["DockerMagics"]


@pytest.fixture(autouse=True)
def shell_config_restored(shell):
    """%config also records values in the shell's config, which later instances read."""
    saved = dict(shell.config.get("DockerMagics", {}))
    yield
    shell.config.DockerMagics = type(shell.config)(saved)


def test_a_bad_value_in_the_config_at_load_is_ignored_with_a_warning(shell, caplog):
    from traitlets.config import Config

    config = Config()
    config.DockerMagics.publish_host = "nonsense"
    config.DockerMagics.ping_timeout = -1.0
    with caplog.at_level(logging.WARNING):
        fresh = DockerMagics(shell=shell, config=config)
    assert fresh.publish_host == "127.0.0.1" and fresh.ping_timeout == 5.0
    assert sum("ignored" in r.getMessage() for r in caplog.records) == 2
    fresh.close()
    shell.configurables.remove(fresh)  # Magics register themselves with the shell


@pytest.mark.parametrize("name, value", BAD)
def test_bad_values_are_refused_in_one_line_and_the_old_value_stays(shell, magics, caplog, name, value):
    before = getattr(magics, name)
    with caplog.at_level(logging.ERROR):
        shell.run_line_magic("config", f"DockerMagics.{name} = {value}")
    assert getattr(magics, name) == before
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1 and "\n" not in messages[0] and name in messages[0]


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("ping_timeout", "2.5", 2.5),
        ("publish_host", "'0.0.0.0'", "0.0.0.0"),
        ("publish_host", "'::1'", "::1"),
        ("build_context_limit", "1000", 1000),
        ("labels", "{'team': 'data'}", {"team": "data"}),
        ("base_url", "'tcp://127.0.0.1:2375'", "tcp://127.0.0.1:2375"),
    ],
)
def test_good_values_are_taken(shell, magics, name, value, expected):
    before = getattr(magics, name)
    try:
        shell.run_line_magic("config", f"DockerMagics.{name} = {value}")
        assert getattr(magics, name) == expected
    finally:
        setattr(magics, name, before)


def test_the_refusal_says_what_to_do(shell, magics, caplog):
    with caplog.at_level(logging.ERROR):
        shell.run_line_magic("config", "DockerMagics.publish_host = 'nonsense'")
    assert "use an IP address" in caplog.records[0].getMessage()
    assert isinstance(DockerMagics.publish_host.default_value, str)
