"""``%docker stats`` on the real engine: one snapshot like the CLI's, and a live stream that an
interrupt stops with the last snapshot."""

import os
import signal
import threading
import time

import pytest

from dockermagic.views import frontend
from tests.conftest import BASE_IMAGE, docker_cli

pytestmark = pytest.mark.engine


def test_no_stream_is_one_snapshot_like_the_clis(ip, unique):
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep 60")
    view = ip.run_line_magic("docker", f"stats --no-stream {unique}")
    assert [r["Name"] for r in view.rows] == [unique] and view.rows[0]["PIDs"] == "1"
    fmt = "{{.Name}} {{.PIDs}}"
    ours = ip.run_line_magic("docker", f"stats --no-stream --format '{fmt}' {unique}").text()
    assert ours == docker_cli("stats", "--no-stream", "--format", fmt, unique).stdout.decode().strip()


def test_without_a_front_end_it_takes_one_snapshot_and_says_so(ip, unique, monkeypatch):
    monkeypatch.setattr(frontend, "live_frontend", lambda: False)
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep 60")
    start = time.monotonic()
    view = ip.run_line_magic("docker", f"stats {unique}")
    assert time.monotonic() - start < 10 and len(view.history[unique]) == 1
    assert view.text().endswith("[one snapshot: no front end here to show a stream (as --no-stream)]")


def test_streams_live_until_interrupted(ip, unique, monkeypatch):
    import dockermagic.actions.stats as stats_action

    shown: list[tuple[float, int]] = []  # (when, samples) at each in-place update

    class Recording:
        def __init__(self, view, rate=4.0, start_blank=False):
            self.view = view

        def update(self, force=False):
            shown.append((time.monotonic(), sum(len(h) for h in self.view.history.values())))

        def clear(self):
            pass

    monkeypatch.setattr(frontend, "live_frontend", lambda: True)
    monkeypatch.setattr(stats_action, "Live", Recording)
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sh -c 'while :; do :; done'")
    timer = threading.Timer(4.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    try:
        view = ip.run_line_magic("docker", f"stats {unique}")
    finally:
        timer.cancel()
    took = time.monotonic() - start
    assert 4.5 <= took < 8, took
    assert view.note == "stopped (interrupted): the last snapshot"
    # updated in place while it ran, each time with more samples: not all at the end
    counts = [n for _, n in shown]
    assert len(shown) >= 3 and counts == sorted(counts) and counts[0] < counts[-1], shown
    assert float(view.rows[0]["CPUPerc"].rstrip("%")) > 20  # a busy loop shows as busy
    assert "class='dm-stats-chart'" in view.html()
    assert view.text().endswith("[stopped (interrupted): the last snapshot]")
