"""A real dockerd that dies in the middle of each streaming command.

The shared engine is never touched: a throwaway dockerd (``throwaway_engine``)
is started in a temporary directory, given debian:bookworm (saved from the
shared engine, loaded once), and the magics are pointed at it. In each case
the command runs in the kernel's thread while a timer kills the engine
(SIGTERM or SIGKILL) about a second in; the command must end with one line
that names the engine's address within 2 s of the kill, and once the engine
is back nothing the command started may be left behind.

Every command under both signals (about 50 s in all): the containers here
exit on SIGTERM, so that a stopping engine is quick to stop; one more case
runs a container that ignores it, which keeps the stopping engine's stream
open for 10 s, so that only the engine watch can end that command in time.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from IPython.core.error import UsageError

from ..conftest import BASE_IMAGE
from .throwaway_engine import ThrowawayEngine

pytestmark = pytest.mark.engine

KILL_AFTER = 1.0
# a stopping engine sends SIGTERM to its containers: exit at once rather than after its 10 s
EXIT_ON_TERM = 'trap "exit 143" TERM;'
ERROR_WITHIN = 2.0


@pytest.fixture(scope="module")
def engine(client):
    eng = ThrowawayEngine()
    try:
        eng.start()
        eng.base_tar = os.path.join(eng.root, "base.tar")
        with open(eng.base_tar, "wb") as f:
            for chunk in client.api.get_image(BASE_IMAGE):
                f.write(chunk)
        eng.load_image(eng.base_tar)
        yield eng
    finally:
        eng.destroy()
    assert not eng.leftover_processes() and not eng.mounts()


@pytest.fixture
def magics(shell, engine):
    """The shell with the magics pointed at the throwaway engine, and the engine back up after."""
    magics = shell.magics_manager.registry["DockerMagics"]
    before = magics.base_url
    shell.run_line_magic("config", f"DockerMagics.base_url = {engine.address!r}")
    shell.run_line_magic("config", "DockerMagics.short_errors = True")
    engine.ensure_up()
    if not engine.has_image(BASE_IMAGE):
        engine.load_image(engine.base_tar)
    yield shell
    shell.run_line_magic("config", f"DockerMagics.base_url = {before!r}")
    engine.ensure_up()
    engine.remove_all_containers()


def _detached(engine, name: str, command: list[str]) -> str:
    client = engine.client()
    try:
        cid = client.api.create_container(BASE_IMAGE, command, name=name)["Id"]
        client.api.start(cid)
        return cid
    finally:
        client.close()


def _killed_during(engine, sig: int, run, ready=None):
    """Run ``run()`` with the engine killed KILL_AFTER s in, or KILL_AFTER s after ``ready()``
    first holds (so a slow start on a loaded machine still has the kill land mid-stream);
    return (message, seconds from kill to error)."""
    killed: list[float] = []
    done = threading.Event()

    def kill():
        if ready is not None:
            deadline = time.monotonic() + 60
            while not ready():
                if done.wait(0.1) or time.monotonic() > deadline:
                    return
        if not done.wait(KILL_AFTER):
            killed.append(time.monotonic())
            engine.signal(sig)

    killer = threading.Thread(target=kill, daemon=True)
    killer.start()
    try:
        with pytest.raises(UsageError) as info:
            run()
        ended = time.monotonic()
    finally:
        done.set()
        killer.join()
    assert killed, f"the command ended before the engine was killed: {info.value}"
    engine.wait_stopped()
    return str(info.value), ended - killed[0]


def _check_error(engine, message: str, seconds: float) -> None:
    print(f"error {seconds:.2f} s after the kill: {message}")
    assert "\n" not in message
    assert engine.address in message, message
    assert "Traceback" not in message
    assert seconds < ERROR_WITHIN, f"{seconds:.2f} s: {message}"


def _back_up(engine) -> list[dict]:
    """Restart the engine; return the containers still running on it."""
    engine.start()
    return [c for c in engine.containers() if c["State"] == "running"]


SIGNALS = pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])


@SIGNALS
def test_logs_follow(magics, engine, unique, sig):
    name = f"{unique}-ticker"
    _detached(engine, name, ["sh", "-c", f"{EXIT_ON_TERM} while :; do echo tick; sleep 0.2; done"])
    message, seconds = _killed_during(engine, sig, lambda: magics.run_line_magic("docker", f"logs -f {name}"))
    _check_error(engine, message, seconds)


@SIGNALS
def test_foreground_run(magics, engine, unique, sig):
    name = f"{unique}-fg"
    message, seconds = _killed_during(
        engine,
        sig,
        lambda: magics.run_line_magic(
            "docker", f"run --rm --name {name} {BASE_IMAGE} sh -c '{EXIT_ON_TERM} echo up; sleep 30 & wait'"
        ),
    )
    _check_error(engine, message, seconds)
    assert not _back_up(engine)
    names = [n for c in engine.containers() for n in c["Names"]]
    assert f"/{name}" not in names  # --rm: gone once the engine is back


@SIGNALS
def test_dexec(magics, engine, unique, sig):
    name = f"{unique}-box"
    _detached(engine, name, ["sh", "-c", f"{EXIT_ON_TERM} while :; do sleep 0.2; done"])
    message, seconds = _killed_during(
        engine,
        sig,
        lambda: magics.run_line_magic("dexec", f"{name} sh -c '{EXIT_ON_TERM} echo up; sleep 30 & wait'"),
    )
    _check_error(engine, message, seconds)
    assert not _back_up(engine)  # the container, and the exec'd sleep with it, stopped


@SIGNALS
def test_build(magics, engine, unique, sig):
    message, seconds = _killed_during(
        engine,
        sig,
        lambda: magics.run_cell_magic(
            "dockerfile",
            f"-t {unique}-img --no-cache",
            f"FROM {BASE_IMAGE}\nRUN {EXIT_ON_TERM} echo up; sleep 30 & wait\n",
        ),
    )
    _check_error(engine, message, seconds)
    assert not _back_up(engine)  # the step's intermediate container does not run on


@SIGNALS
def test_pull(magics, engine, sig):
    client = engine.client()
    try:
        client.api.remove_image(BASE_IMAGE, force=True)
    finally:
        client.close()
    message, seconds = _killed_during(
        engine, sig, lambda: magics.run_line_magic("docker", f"pull {BASE_IMAGE}")
    )
    _check_error(engine, message, seconds)
    assert not _back_up(engine)


def test_foreground_run_of_a_container_that_ignores_sigterm(magics, engine, unique):
    """A stopping engine gives such a container 10 s and keeps its stream open meanwhile:
    the error must come from noticing the engine, not from the stream's end."""
    name = f"{unique}-deaf"
    message, seconds = _killed_during(
        engine,
        signal.SIGTERM,
        lambda: magics.run_line_magic(
            "docker", f"run --rm --name {name} {BASE_IMAGE} sh -c 'echo up; sleep 30'"
        ),
        ready=lambda: any(f"/{name}" in c["Names"] and c["State"] == "running" for c in engine.containers()),
    )
    _check_error(engine, message, seconds)
    assert "went away" in message
    assert not _back_up(engine)
    assert f"/{name}" not in [n for c in engine.containers() for n in c["Names"]]
