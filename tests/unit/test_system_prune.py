"""system prune's plan, on a recording stand-in for the API client: which prunes run, with which
filters, in the CLI's order, and the build cache left alone when a label filter narrows the prune
(the engine ignores labels there and would empty all of it). The real prunes are compared with the
CLI's in tests/engine/test_prune.py."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dockermagic.actions import perform
from dockermagic.actions.system import BUILD_CACHE_KEPT
from dockermagic.commands import parse_line


class RecordingApi:
    def __init__(self):
        self.calls = []

    def _record(self, name, answer):
        def call(**kwargs):
            self.calls.append((name, kwargs))
            return answer

        return call

    def __getattr__(self, name):
        answers = {
            "prune_containers": {"ContainersDeleted": ["c1"], "SpaceReclaimed": 1000},
            "prune_networks": {"NetworksDeleted": ["n1"]},
            "prune_volumes": {"VolumesDeleted": ["v1"], "SpaceReclaimed": 2000},
            "prune_images": {
                "ImagesDeleted": [{"Untagged": "x:1"}, {"Deleted": "sha256:ab"}],
                "SpaceReclaimed": 0,
            },
            "prune_builds": {"CachesDeleted": ["b1"], "SpaceReclaimed": 500},
        }
        if name not in answers:
            raise AttributeError(name)
        return self._record(name, answers[name])


def run(line):
    api = RecordingApi()
    text = perform(parse_line(line), SimpleNamespace(api=api)).text()
    return api.calls, text


def test_without_a_label_filter_every_prune_runs_in_the_clis_order():
    calls, text = run("system prune -a --volumes -f --filter until=1h")
    assert calls == [
        ("prune_containers", {"filters": {"until": ["1h"]}}),
        ("prune_networks", {"filters": {"until": ["1h"]}}),
        ("prune_volumes", {"filters": {"until": ["1h"]}}),
        ("prune_images", {"filters": {"until": ["1h"], "dangling": ["false"]}}),
        ("prune_builds", {"filters": {"until": ["1h"]}, "all": True, "keep_storage": None}),
    ]
    assert text == (
        "Deleted Containers:\nc1\n\nDeleted Networks:\nn1\n\nDeleted Volumes:\nv1\n\n"
        "Deleted Images:\nuntagged: x:1\ndeleted: sha256:ab\n\n"
        "Deleted build cache objects:\nb1\n\nTotal reclaimed space: 3.5kB"
    )


def test_dangling_images_only_and_no_volumes_by_default():
    calls, _ = run("system prune -f")
    assert [name for name, _ in calls] == [
        "prune_containers",
        "prune_networks",
        "prune_images",
        "prune_builds",
    ]
    assert calls[2] == ("prune_images", {"filters": {"dangling": ["true"]}})
    assert calls[3] == ("prune_builds", {"filters": None, "all": None, "keep_storage": None})


def test_a_label_filter_leaves_the_build_cache_alone_and_says_so():
    calls, text = run("system prune -f --filter label=team=data")
    assert "prune_builds" not in [name for name, _ in calls]
    assert calls[0] == ("prune_containers", {"filters": {"label": ["team=data"]}})
    assert text.endswith("Total reclaimed space: 1kB\n" + BUILD_CACHE_KEPT)
    calls, _ = run("system prune -f --filter label!=keep")
    assert "prune_builds" not in [name for name, _ in calls]


def test_a_prune_waits_while_another_holds_the_engine(monkeypatch):
    from dockermagic.engine import pruning
    from dockermagic.errors import Conflict

    monkeypatch.setattr(pruning.time, "sleep", lambda seconds: None)
    answers = [Conflict("a prune operation is already running", 409)] * 2 + [{"NetworksDeleted": ["n"]}]

    def prune():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert pruning.when_free(prune) == {"NetworksDeleted": ["n"]} and not answers

    def refused():
        raise Conflict("network n has active endpoints", 409)

    with pytest.raises(Conflict, match="active endpoints"):
        pruning.when_free(refused)
