"""The history view on recorded /images/{id}/history entries."""

import pytest

from dockermagic.views.history import HistoryView

from ._viewdata import assert_inert, load

NOW = 1_900_000_000


def rows():
    data = load("image_history.json")
    created = max(r["Created"] for r in data)
    return data, created


def test_text_like_docker_history():
    data, created = rows()
    text = HistoryView(data, now=created + 7200).text()
    head, *body = text.splitlines()
    assert head.split() == ["IMAGE", "CREATED", "CREATED", "BY", "SIZE", "COMMENT"]
    assert len(body) == len(data) and "2 hours ago" in body[0]
    assert all(len(line) < 140 for line in body)  # commands truncated
    assert "…" in text


def test_no_trunc_keeps_full_commands_and_ids():
    data, created = rows()
    text = HistoryView(data, no_trunc=True, now=created).text()
    assert data[0]["CreatedBy"] in text and data[0]["Id"] in text


def test_html_folds_long_commands_and_escapes():
    data, created = rows()
    html = HistoryView(data, now=created).html()
    assert_inert(html)
    assert html.count("<details>") >= 3 and "&lt;/script&gt;" in html
    assert "<td>1.98MB</td>" in html


def test_widget_face_is_the_html():
    data, created = rows()
    from dockermagic.views.widgets import bundle

    b = bundle(HistoryView(data, now=created))
    assert set(b) == {"text/plain", "text/html"}  # no front end here: text and HTML only


def test_history_to_pandas_has_the_clis_columns():
    pytest.importorskip("pandas")
    frame = HistoryView(load("image_history.json")).to_pandas()
    assert list(frame.columns) == ["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"]
    assert len(frame) == len(load("image_history.json"))
