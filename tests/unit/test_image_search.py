"""search: --filter reaches the engine (the SDK's search() sends none) and --no-trunc keeps the whole
description, on a recorded answer of the Engine API (no registry here offers a search)."""

from types import SimpleNamespace

from dockermagic.actions import perform
from dockermagic.commands import parse_line

LONG = "The official build of a Linux distribution that is made of free software\nand more"


class RecordedApi:
    """The three low-level calls engine.images.search makes, answering one recorded result."""

    def __init__(self):
        self.params = None

    def _url(self, path):
        return path

    def _get(self, url, params=None):
        assert url == "/images/search"
        self.params = params
        return "response"

    def _result(self, response, json=False):
        assert response == "response" and json
        return [{"name": "debian", "description": LONG, "star_count": 5, "is_official": True}]


def run(line):
    api = RecordedApi()
    table = perform(parse_line(line), SimpleNamespace(api=api))
    return api.params, table.rows


def test_filters_and_limit_reach_the_engine():
    params, _ = run("search --limit 3 -f stars=3 -f is-official=true debian")
    assert params == {"term": "debian", "limit": 3, "filters": '{"is-official": ["true"], "stars": ["3"]}'}
    assert run("search debian")[0] == {"term": "debian", "limit": 25}


def test_descriptions_are_cut_as_the_cli_cuts_them():
    _, rows = run("search debian")
    assert rows[0]["DESCRIPTION"] == LONG.replace("\n", " ")[:44] + "\u2026"
    assert rows[0]["OFFICIAL"] == "[OK]" and rows[0]["STARS"] == 5
    _, rows = run("search --no-trunc debian")
    assert rows[0]["DESCRIPTION"] == LONG.replace("\n", " ")
