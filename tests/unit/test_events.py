"""events: the grammar, and each event's line as the CLI prints it, on recorded engine messages."""

from __future__ import annotations

import time

import pytest

from dockermagic.commands import parse_line
from dockermagic.commands.events import EventsSpec
from dockermagic.errors import CommandError
from dockermagic.objects.events import Events, formatted, line

EVENT = {
    "status": "start",
    "id": "c0ffee",
    "from": "debian:bookworm",
    "Type": "container",
    "Action": "start",
    "Actor": {
        "ID": "c0ffee",
        "Attributes": {"name": "web", "image": "debian:bookworm", "DB_PASSWORD": "hunter2"},
    },
    "scope": "local",
    "time": 1795889485,
    "timeNano": 1795889485023793037,
}


@pytest.fixture
def zone(monkeypatch):
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.delenv("TZ", raising=False)
    time.tzset()


def test_the_line_is_the_clis_attributes_sorted_and_secrets_masked(zone):
    zone("UTC")
    assert formatted(EVENT, None) == (
        "2026-11-28T18:11:25.023793037Z container start c0ffee "
        "(DB_PASSWORD=••••••, image=debian:bookworm, name=web)"
    )
    assert "hunter2" in line(EVENT)  # the result's .events keep the real values


def test_the_time_is_local_with_its_offset_as_go_prints_it(zone):
    zone("Asia/Seoul")
    assert line(EVENT).startswith("2026-11-29T03:11:25.023793037+09:00 container start")
    zone("America/St_Johns")
    assert line(EVENT).startswith("2026-11-28T14:41:25.023793037-03:30 ")


def test_an_event_without_nanoseconds_or_attributes(zone):
    zone("UTC")
    bare = {"Type": "network", "Action": "prune", "Actor": {"ID": ""}, "time": 1795889485}
    assert line(bare) == "2026-11-28T18:11:25.000000000Z network prune "


def test_format_json_and_templates_use_the_clis_names():
    assert formatted(EVENT, "{{.Type}}/{{.Action}} {{.Actor.Attributes.name}} {{.Status}} {{.From}}") == (
        "container/start web start debian:bookworm"
    )
    assert formatted(EVENT, "json").startswith('{"status":"start","id":"c0ffee","from":"debian:bookworm"')
    assert '"DB_PASSWORD":"hunter2"' not in formatted(EVENT, "{{json .}}")
    assert formatted(EVENT, "{{.ID}}\\t{{.Scope}}") == "c0ffee\\tlocal"  # the CLI leaves \t as written


def test_the_result_keeps_what_it_saw_and_displays_nothing_more():
    seen = Events()
    shown = seen.add(EVENT)
    assert list(seen.lines) == [shown] and list(seen.events) == [EVENT] and len(seen) == 1
    assert seen._ipython_display_() is None and str(seen) == shown
    assert "1 events, ended" in repr(seen)


def test_grammar():
    spec = parse_line("events --since 1700000000 --until 2024-01-02T00:00:00Z -f type=container -f label=a=b")
    assert spec == EventsSpec(
        "1700000000", "1704153600.000000000", (("label", ("a=b",)), ("type", ("container",))), None
    )
    assert parse_line("system events --format json") == EventsSpec(format="json")
    relative = float(parse_line("events --since 10m").since)
    assert abs(relative - (time.time() - 600)) < 5


@pytest.mark.parametrize("bad", ["events --since yesterday", "events -f nokey", "events extra"])
def test_bad_input_is_one_line(bad):
    with pytest.raises(CommandError) as info:
        parse_line(bad)
    assert "\n" not in str(info.value)
