"""search --format and --filter on a recorded Engine API answer: no registry here offers a search
(the local registry answers 404 to the engine's /v1/search), so these run on a fake at the unit
level, as tests/unit/test_image_search.py does."""

from __future__ import annotations

from types import SimpleNamespace

from dockermagic.actions import perform
from dockermagic.commands import parse_line

ANSWER = [
    {
        "name": "debian",
        "description": "Debian is a Linux distribution " * 3,
        "star_count": 5,
        "is_official": True,
    },
    {
        "name": "someone/tool",
        "description": "a tool",
        "star_count": 0,
        "is_official": False,
        "is_automated": True,
    },
]


class RecordedApi:
    def __init__(self):
        self.params = None

    def _url(self, path):
        return path

    def _get(self, url, params=None):
        self.params = params
        return "response"

    def _result(self, response, json=False):
        return ANSWER


def run(line):
    api = RecordedApi()
    return api.params, perform(parse_line(line), SimpleNamespace(api=api)), api


def test_format_uses_the_clis_fields():
    _, out, _ = run("search --format '{{.Name}}: {{.StarCount}} {{.IsOfficial}}|{{.IsAutomated}}' debian")
    assert str(out) == "debian: 5 [OK]|\nsomeone/tool: 0 |[OK]"


def test_format_descriptions_are_cut_unless_no_trunc():
    _, cut, _ = run("search --format '{{.Description}}' debian")
    assert str(cut).splitlines()[0] == ANSWER[0]["description"][:44] + "\u2026"
    _, whole, _ = run("search --no-trunc --format '{{.Description}}' debian")
    assert str(whole).splitlines()[0] == ANSWER[0]["description"]


def test_format_table_has_the_clis_headers():
    _, table, _ = run("search --format 'table {{.Name}}\\t{{.StarCount}}' debian")
    assert table.text().splitlines()[0].split() == ["NAME", "STARS"]


def test_every_filter_and_the_limit_reach_the_engine():
    _, _, api = run(
        "search --limit 2 --filter stars=3 --filter is-official=true --filter is-automated=false debian"
    )
    assert api.params == {
        "term": "debian",
        "limit": 2,
        "filters": '{"is-automated": ["false"], "is-official": ["true"], "stars": ["3"]}',
    }
