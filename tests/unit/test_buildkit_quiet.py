"""BuildKit's "still waiting" notice: the graph names the steps running while the engine is silent,
and the live view says it under each, with the classic builder's words. On the engine:
tests/engine/test_buildkit_limits.py."""

from __future__ import annotations

import time

from dockermagic.engine import build as engine_build
from dockermagic.engine.buildkit.progress import Graph
from dockermagic.views.build import LiveBuild
from dockermagic.views.buildkit import LiveGraph
from tests.unit.test_buildkit import _status


def test_the_notice_names_the_running_steps():
    written: list[str] = []
    live = LiveGraph(written.append)
    graph = Graph(live.on_vertex, live.on_line, on_silence=live.on_silence)
    now = time.time()
    graph.feed(
        _status(
            [
                ("d1", "[1/3] FROM x", {"cached": True}),
                ("d2", "[2/3] RUN sleep 60", {"started": now}),
                ("d3", "[3/3] RUN make", {}),
            ]
        )
    )
    written.clear()
    graph.on_quiet(30.2, 600)
    assert written == [
        "#2 ... no output from the engine for 30 s; the build gives up after 600 s of silence "
        "(%config DockerMagics.stream_timeout)\n"
    ]


def test_the_words_are_the_classic_builders_and_quiet_mode_says_nothing():
    classic: list[str] = []
    LiveBuild(classic.append).on_quiet(61, None)
    written: list[str] = []
    Graph(on_silence=LiveGraph(written.append).on_silence).on_quiet(61, None)  # nothing running
    assert written == [classic[0].lstrip()] == ["... no output from the engine for 61 s\n"]
    silent: list[str] = []
    Graph(on_silence=LiveGraph(silent.append, quiet=True).on_silence).on_quiet(61, None)
    assert silent == []


def test_the_graph_is_watched_like_a_classic_build(monkeypatch):
    monkeypatch.setattr(engine_build, "QUIET_NOTICE", 0.2)
    told: list[float] = []
    graph = Graph(on_silence=lambda running, seconds, limit: told.append(seconds))
    with engine_build._quiet_notices(graph, None):
        time.sleep(0.5)
        graph.feed(_status())  # a record from the engine: silence starts again
        heard = len(told)
        time.sleep(0.1)
        assert len(told) == heard
    assert 1 <= heard <= 3 and all(s >= 0.2 for s in told)
