"""Sick engines served on a unix socket: every fault gives one line, in bounded time,
naming the address, where it came from and what to do."""

import tempfile
import time

import pytest
from IPython.core.error import UsageError

from .fake_engine import FakeEngine

TIMEOUT = 1.0
STREAM_TIMEOUT = 1.5  # not TIMEOUT, so that messages show which limit ran out


@pytest.fixture
def fake(shell):
    """A function that starts a fake engine in a mode and points the magics at it."""
    import docker  # noqa: F401  (its first import is not part of the time to an error)

    made = []
    directory = tempfile.mkdtemp(prefix="dm-fake-")

    def start(mode: str, name: str = "engine.sock") -> FakeEngine:
        engine = FakeEngine(f"{directory}/{name}", mode)
        made.append(engine)
        shell.run_line_magic("config", f"DockerMagics.base_url = '{engine.url}'")
        return engine

    shell.run_line_magic("config", f"DockerMagics.ping_timeout = {TIMEOUT}")
    shell.run_line_magic("config", f"DockerMagics.timeout = {TIMEOUT}")
    shell.run_line_magic("config", f"DockerMagics.stream_timeout = {STREAM_TIMEOUT}")
    yield start
    shell.run_line_magic("config", "DockerMagics.base_url = None")
    shell.run_line_magic("config", "DockerMagics.ping_timeout = 5.0")
    shell.run_line_magic("config", "DockerMagics.timeout = 120.0")
    shell.run_line_magic("config", "DockerMagics.stream_timeout = 600.0")
    for engine in made:
        engine.close()
    import shutil

    shutil.rmtree(directory, ignore_errors=True)


def fails(shell, line, cell=None):
    """(the one-line message, seconds taken) of a magic that must fail."""
    start = time.monotonic()
    with pytest.raises(UsageError) as caught:
        if cell is None:
            shell.run_line_magic("docker", line)
        else:
            shell.run_cell_magic("dockerfile", line, cell)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message, time.monotonic() - start


def names_the_engine(message, engine):
    return engine.url in message and "%config DockerMagics.base_url" in message


@pytest.mark.parametrize(
    "mode, words",
    [
        ("hang", "did not answer within 1 s"),
        ("error500", "failed to say its version"),
        ("garbage", "not a Docker engine"),
        ("old_api", "older than 1.24"),
    ],
)
def test_first_contact_faults(shell, fake, mode, words):
    engine = fake(mode)
    message, took = fails(shell, "ps")
    assert words in message and engine.url in message and "(from %config DockerMagics.base_url)" in message
    assert took < 2 * TIMEOUT + 1.5


def test_hang_after_version_is_bounded_by_the_timeout(shell, fake):
    engine = fake("hang_after_version")
    message, took = fails(shell, "ps")
    assert "did not answer within 1 s" in message and engine.url in message
    assert "%config DockerMagics.timeout" in message and took < 2 * TIMEOUT + 1.5


def test_a_dead_engine_is_tried_once_per_command_not_once_per_name(shell, fake):
    engine = fake("hang_after_version")
    message, took = fails(shell, "rm a b c d")
    assert "did not answer" in message and took < 2 * TIMEOUT + 1.5
    assert sum(1 for p in engine.paths if "/containers/" in p) == 1


def test_a_hung_build_returns(shell, fake):
    fake("hang_after_version")  # the classic builder's stream (BuildKit would ask /version again first)
    message, took = fails(shell, "--builder classic -t x", "FROM debian:bookworm\nRUN true\n")
    assert "did not answer within 1.5 s" in message and "stream_timeout" in message
    assert took < 2 * STREAM_TIMEOUT + 1.5


def test_a_connection_dropped_mid_body(shell, fake):
    engine = fake("drop_mid_body")
    message, took = fails(shell, "ps")
    assert "closed the connection" in message and engine.url in message and took < 2 * TIMEOUT + 1.5


def test_an_engine_error_names_the_engine(shell, fake):
    engine = fake("hang_after_version")
    fails(shell, "ps")  # connected: version known
    engine.mode = "error500"
    message, _ = fails(shell, "ps")
    assert "engine exploded" in message and engine.url in message


def test_no_socket_and_an_engine_started_between_commands(shell, fake):
    engine = fake("healthy")
    engine.close()
    message, took = fails(shell, "ps")
    assert "No Docker engine socket" in message and engine.url in message and took < 1
    # the engine comes back: the next command uses it, with no reconnect asked for
    engine = FakeEngine(engine.path, "healthy")
    try:
        assert len(shell.run_line_magic("docker", "ps")) == 0
        engine.close()  # stopped again between two commands
        assert "No Docker engine socket" in fails(shell, "ps")[0]
        engine = FakeEngine(engine.path, "healthy")
        assert len(shell.run_line_magic("docker", "ps")) == 0
    finally:
        engine.close()


def test_within_one_command_a_failed_engine_is_not_asked_again(tmp_path):
    from dockermagic.engine.client import Engine
    from dockermagic.errors import EngineUnavailable

    fake_engine = FakeEngine(str(tmp_path / "e.sock"), "hang_after_version")
    engine = Engine(fake_engine.url, ping_timeout=TIMEOUT, timeout=TIMEOUT)
    try:
        with engine.command():
            with pytest.raises(EngineUnavailable):
                engine.api.containers()
            asked = len(fake_engine.paths)
            start = time.monotonic()
            with pytest.raises(EngineUnavailable, match="did not answer"):
                engine.api.images()
            assert time.monotonic() - start < 0.2 and len(fake_engine.paths) == asked
        with engine.command():  # the next command asks again
            with pytest.raises(EngineUnavailable):
                engine.api.images()
            assert len(fake_engine.paths) == asked + 1
    finally:
        engine.reset()
        fake_engine.close()


@pytest.mark.parametrize("mode", ["logs_then_die", "logs_then_stop"])
def test_the_engine_going_away_during_logs_follow(shell, fake, capsys, mode):
    engine = fake(mode)
    message, took = fails(shell, "logs -f web")
    assert engine.url in message and took < 2 + 0.5
    # a dying engine breaks the stream; whether its socket is already gone when that is seen is a race
    said = (
        ("closed the connection", "went away in the middle")
        if mode == "logs_then_die"
        else ("went away in the middle",)
    )
    assert any(words in message for words in said), message
    assert "hello" in capsys.readouterr().out  # what came before the end was shown


def test_logs_follow_of_a_container_that_is_gone_but_an_engine_that_is_not(shell, fake):
    fake("logs_then_gone")
    view = shell.run_line_magic("docker", "logs -f web")
    assert view.lines == ["hello"] and "stopped" in view.note
