"""Output streams into the cell as it comes, proved by arrival times: a line
printed long before a container exits (or before a build ends) reaches the
cell's output that long before it; and --no-cache really runs a step again."""

import datetime as dt
import sys
import time

import pytest

from tests.arrivals import Arrivals
from tests.conftest import BASE_IMAGE

PAUSE = 2.0  # seconds the container (or build step) keeps running after its first line


@pytest.fixture
def arrivals(monkeypatch):
    """Call it first thing in the test: pytest puts its own capture back after fixtures run."""
    out = Arrivals()
    return lambda: (monkeypatch.setattr(sys, "stdout", out), out)[1]


def engine_time(stamp: str) -> float:
    """The engine's RFC 3339 times (nanoseconds, Z) as epoch seconds."""
    head, _, frac = stamp.rstrip("Z").partition(".")
    when = dt.datetime.fromisoformat(head).replace(tzinfo=dt.timezone.utc).timestamp()
    return when + float("0." + (frac or "0"))


def test_foreground_run_streams_before_the_container_exits(ip, client, unique, arrivals):
    arrivals = arrivals()
    result = ip.run_line_magic(
        "docker", f"run --name {unique} {BASE_IMAGE} sh -c 'echo early-line; sleep {PAUSE}; echo late-line'"
    )
    returned = time.time()
    finished = engine_time(client.api.inspect_container(unique)["State"]["FinishedAt"])
    early, late = arrivals.arrived("early-line"), arrivals.arrived("late-line")
    assert early < finished - PAUSE + 0.5, "the first line came only when the container exited"
    assert late - early > PAUSE - 0.5 and returned >= late
    assert result.stdout == "early-line\nlate-line\n"


BUILD = (
    f"FROM {BASE_IMAGE}\n"
    "RUN echo early-{tag} && sleep " + str(PAUSE) + " && echo step-two-done\n"
    "RUN echo last-step\n"
)


@pytest.mark.parametrize("how", ["%%dockerfile", "%docker build"])
def test_build_streams_each_line_while_the_step_runs(ip, unique, tmp_path, arrivals, how):
    arrivals = arrivals()
    body = BUILD.format(tag=unique)
    start = time.time()
    if how == "%%dockerfile":
        ip.run_cell_magic("dockerfile", f"--no-cache -t {unique}:1", body)
    else:
        (tmp_path / "Dockerfile").write_text(body)
        ip.run_line_magic("docker", f"build --no-cache -t {unique}:1 {tmp_path}")
    ended = time.time()
    early = arrivals.arrived(f"early-{unique}")
    assert ended - early > PAUSE - 0.5, (
        f"the step's first line arrived {early - start:.1f}s into a {ended - start:.1f}s build"
    )
    assert arrivals.arrived("last-step") - early > PAUSE - 0.5


def image_file(ip, image: str) -> str:
    return ip.run_line_magic("docker", f"run --rm {image} cat /stamp").stdout


def test_no_cache_runs_the_step_again(ip, unique, client):
    body = f"FROM {BASE_IMAGE}\nRUN cat /proc/sys/kernel/random/uuid > /stamp\n"
    first = ip.run_cell_magic("dockerfile", f"-q -t {unique}:1", body)
    cached = ip.run_cell_magic("dockerfile", f"-q -t {unique}:2", body)
    fresh = ip.run_cell_magic("dockerfile", f"-q --no-cache -t {unique}:3", body)
    assert cached.id == first.id and image_file(ip, f"{unique}:2") == image_file(ip, f"{unique}:1")
    assert fresh.id != first.id
    assert image_file(ip, f"{unique}:3") != image_file(ip, f"{unique}:1")
