"""``%docker events``: lines reach the cell while the command still runs, an interrupt ends it with
what was seen, ``--until`` in the past ends it by itself, and its lines are the CLI's, byte for byte.

Every event a test looks at is narrowed to its own label, so colleagues' events never count."""

from __future__ import annotations

import signal
import sys
import threading
import time
import uuid

import pytest

from tests.arrivals import Arrivals
from tests.conftest import BASE_IMAGE, docker_cli


def cli_lines(*args: str) -> list[str]:
    return docker_cli("events", *args).stdout.decode().splitlines()


def make_events(test_label: str, name: str) -> tuple[str, str, str]:
    """A container created and removed through the CLI: a bounded window of labelled events, and a
    label of this run alone (the test's own label is the same in an earlier run of the test)."""
    run = f"dmt-run={uuid.uuid4().hex[:12]}"
    since = f"{time.time() - 1:.9f}"
    docker_cli(
        "create",
        "--label",
        test_label,
        "--label",
        run,
        "--label",
        "note=<a&b>",
        "--name",
        name,
        BASE_IMAGE,
        "true",
    )
    docker_cli("rm", name)
    time.sleep(0.1)
    return since, f"{time.time() + 0.5:.9f}", f"label={run}"


def test_an_event_streams_while_events_runs_and_an_interrupt_returns_what_was_seen(
    ip, unique, test_label, monkeypatch
):
    out = Arrivals()
    monkeypatch.setattr(sys, "stdout", out)
    main = threading.get_ident()
    created: dict[str, float] = {}
    marks: dict[str, float] = {}

    def meanwhile():
        # events subscribes some time after the call (the first one imports and connects): a
        # container a second, until one's line shows up; that one's times are the measure
        try:
            for n in range(15):
                name = f"{unique}-{n}"
                created[name] = time.time()
                docker_cli("create", "--label", test_label, "--name", name, BASE_IMAGE, "true")
                deadline = time.time() + 1.0
                while time.time() < deadline:
                    if any(out.when(f"name={seen})") for seen in created):
                        return
                    time.sleep(0.02)
        finally:  # whatever happened, events ends
            marks["interrupt"] = time.time()
            signal.pthread_kill(main, signal.SIGINT)  # what interrupting the kernel does

    helper = threading.Thread(target=meanwhile, daemon=True)
    started = time.time()
    helper.start()
    result = ip.run_line_magic("docker", f"events --filter label={test_label}")
    returned = time.time()
    helper.join(5)

    shown = [name for name in created if out.when(f"name={name})") is not None]
    assert shown, out.text()
    name = shown[0]
    arrived = out.when(f"name={name})")
    # the line came while the command was still running, soon after the container was made
    assert created[name] <= arrived < marks["interrupt"] <= returned
    assert arrived - created[name] < 1.0
    assert returned - marks["interrupt"] < 3.0, "the interrupt did not end events promptly"
    assert returned - started < 30
    # it ended cleanly, holding what it streamed
    assert result.interrupted and len(result) >= 1
    assert result.events[0]["Action"] == "create"
    assert "\n".join(result.lines) + "\n" == out.text()


def test_until_in_the_past_returns_by_itself_with_the_clis_lines(ip, unique, test_label, monkeypatch):
    since, until, run = make_events(test_label, unique)
    time.sleep(0.6)  # until is in the past now
    out = Arrivals()
    monkeypatch.setattr(sys, "stdout", out)
    started = time.time()
    result = ip.run_line_magic("docker", f"events --since {since} --until {until} --filter {run}")
    took = time.time() - started
    assert took < 5 and not result.interrupted
    theirs = cli_lines("--since", since, "--until", until, "--filter", run)
    assert [e["Action"] for e in result.events] == ["create", "destroy"]
    assert list(result.lines) == theirs
    assert out.text() == "".join(line + "\n" for line in theirs)


@pytest.mark.parametrize(
    "template",
    [
        "{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Status}} {{.Scope}}",
        "{{json .}}",
        "{{.ID}}\\t{{.From}}\\t{{.Actor.ID}}",
    ],
)
def test_format_prints_what_the_clis_format_prints(ip, unique, test_label, monkeypatch, template):
    since, until, run = make_events(test_label, unique)
    time.sleep(0.6)
    window = ["--since", since, "--until", until, "--filter", run]
    result = ip.run_line_magic("docker", f"events {' '.join(window)} --format '{template}'")
    theirs = cli_lines(*window, "--format", template)
    assert len(theirs) == 2 and list(result.lines) == theirs


def test_format_json_is_the_clis_json_lines(ip, unique, test_label):
    since, until, run = make_events(test_label, unique)
    time.sleep(0.6)
    window = ["--since", since, "--until", until, "--filter", run]
    ours = ip.run_line_magic("docker", f"events {' '.join(window)} --format json")
    # docker.io's 20.10 CLI does not know the word json (it prints it); {{json .}} is the same in both
    assert list(ours.lines) == cli_lines(*window, "--format", "{{json .}}")


def test_since_and_until_narrow_the_window(ip, unique, test_label):
    since, until, run = make_events(test_label, unique)
    time.sleep(0.6)
    before = ip.run_line_magic(
        "docker", f"events --since {float(since) - 60:.9f} --until {since} --filter {run}"
    )
    assert len(before) == 0
    both = ip.run_line_magic("docker", f"events --since {since} --until {until} --filter {run}")
    assert len(both) == 2
    # relative times, as the CLI reads them: 10m ago until now
    relative = ip.run_line_magic("docker", f"events --since 10m --until 0s --filter {run}")
    assert [e["Action"] for e in relative.events] == ["create", "destroy"]
