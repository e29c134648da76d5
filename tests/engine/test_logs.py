"""``%docker logs`` against the real engine: the same lines as the CLI per stream (both framings),
an empty log said in one line, and ``-f`` showing each line when it is printed."""

import signal
import threading
import time

import pytest

from tests.conftest import BASE_IMAGE, docker_cli

pytestmark = [pytest.mark.engine, pytest.mark.podman]  # podman: in scripts/podman.sh's subset

SCRIPT = (
    "seq 3000 | while read i; do echo out $i; case $i in *7) echo err $i >&2;; esac; done; "
    'printf "crlf\\r\\nno newline at the end"'
)


def _wait_exit(client, name):
    client.api.wait(name, timeout=60)


@pytest.mark.parametrize("tty", [False, True])
def test_lines_are_the_clis_per_stream(ip, unique, client, tty):
    ip.run_line_magic("docker", f"run -d {'-t ' if tty else ''}--name {unique} {BASE_IMAGE} sh -c '{SCRIPT}'")
    _wait_exit(client, unique)
    view = ip.run_line_magic("docker", f"logs --keep 100000 {unique}")
    cli = docker_cli("logs", unique)
    ours = {s: [t for k, t in view.buffer.lines if k == s] for s in (1, 2)}
    clean = lambda raw: [line.rstrip("\r") for line in raw.decode().split("\n")]  # noqa: E731
    if tty:  # one stream, as the CLI's stdout
        assert ours[1] == clean(cli.stdout) and not ours[2] and not cli.stderr
    else:
        assert ours[1] == clean(cli.stdout) and ours[2] == clean(cli.stderr)[:-1]  # stderr ends in "\n"
    assert len(ours[1]) > 3000


def test_an_empty_log_says_so(ip, unique, client):
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} true")
    _wait_exit(client, unique)
    view = ip.run_line_magic("docker", f"logs {unique}")
    assert view.text() == docker_cli("logs", unique).stdout.decode() == ""  # as the CLI: nothing
    assert f"no log lines from {unique}" in view.html()
    followed = ip.run_line_magic("docker", f"logs -f {unique}")
    assert followed.text() == ""
    assert f"no log lines from {unique}; the container stopped" in followed.html()
    until = ip.run_line_magic("docker", f"logs --until 2000-01-01T00:00:00 {unique}")
    assert until.text() == docker_cli("logs", "--until", "2000-01-01T00:00:00", unique).stdout.decode() == ""


def test_follow_shows_each_line_when_it_is_printed(ip, unique, client):
    ip.run_line_magic(
        "docker",
        f"run -d --name {unique} {BASE_IMAGE} sh -c 'for i in 1 2 3 4; do echo tick $i; sleep 1; done'",
    )
    seen: list[tuple[float, str]] = []
    session = ip.magics_manager.registry["DockerMagics"].session
    before = session.out
    session.out = lambda text: seen.extend((time.monotonic(), line) for line in text.splitlines())
    try:
        start = time.monotonic()
        view = ip.run_line_magic("docker", f"logs -f {unique}")
    finally:
        session.out = before
    assert [line for _, line in seen] == [f"tick {i}" for i in range(1, 5)] and view.lines == [
        line for _, line in seen
    ]
    arrived = [t - start for t, _ in seen]
    # a second apart, as printed: not all at the end when the container stops
    assert arrived[-1] - arrived[0] > 2.0, arrived
    assert all(b - a > 0.5 for a, b in zip(arrived, arrived[1:], strict=False)), arrived


def test_an_interrupt_stops_following_a_quiet_container_promptly(ip, unique, client):
    """A kernel interrupt (SIGINT to the main thread) while the followed container prints nothing:
    following stops at once, the view keeps what came, no reading thread is left, and the
    container runs on. Several interrupts at different moments."""
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sh -c 'echo only-line; sleep 300'")
    deadline = time.monotonic() + 30
    while b"only-line" not in client.api.logs(unique) and time.monotonic() < deadline:
        time.sleep(0.1)
    main = threading.main_thread().ident
    for delay in (0.3, 0.7, 1.2):
        timer = threading.Timer(delay, signal.pthread_kill, (main, signal.SIGINT))
        start = time.monotonic()
        timer.start()
        view = ip.run_line_magic("docker", f"logs -f {unique}")
        took = time.monotonic() - start
        timer.join()
        assert took < delay + 1.0, f"interrupted after {delay}s, returned after {took:.1f}s"
        assert view.note == "stopped following (interrupted)"
        # the earliest interrupt may come before the stream has even opened
        assert view.lines == ["only-line"] or (delay < 0.5 and view.lines == [])
        assert not [t for t in threading.enumerate() if t.name.endswith("(_read)")]
    assert client.api.inspect_container(unique)["State"]["Running"]
