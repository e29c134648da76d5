"""Tables (ps, images, volumes, networks): CLI text, escaped HTML, the sortable widget."""

import json
import re

import pytest

from dockermagic.errors import DockerMagicError
from dockermagic.views.table import Table

from ._viewdata import XSS_IMG, XSS_SCRIPT, assert_inert, load

COLUMNS = [("Names", "NAMES"), ("Image", "IMAGE"), ("Status", "STATUS"), ("Size", "SIZE")]


def table():
    rows = [
        {"Names": c["Names"][0].lstrip("/"), "Image": c["Image"], "Status": c["Status"], "Size": "2MB"}
        for c in load("containers_list.json")
    ]
    rows += [
        {"Names": XSS_IMG, "Image": XSS_SCRIPT, "Status": "Up", "Size": "900kB"},
        {"Names": "zeta", "Image": "debian:bookworm", "Status": "Up", "Size": "1.2GB"},
    ]
    return Table(COLUMNS, rows)


def test_text_is_padded_like_the_cli():
    lines = table().text().splitlines()
    assert lines[0].startswith("NAMES") and lines[1].startswith("dm-views-sample   ")
    assert XSS_IMG in lines[2]  # the text face is literal


def test_html_escapes_every_cell():
    html = table().html()
    assert_inert(html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_sorted_by_size_and_name():
    assert [r["Size"] for r in table().sorted("SIZE")] == ["900kB", "2MB", "1.2GB"]
    assert [r["Names"] for r in table().sorted("Names", reverse=True)][0] == "zeta"


def test_clicking_a_header_sorts_and_shows_the_direction():
    t = table()
    w = t.widget()
    headers, out = w.children[0].children, w.children[1]
    # the header buttons are exactly as wide as the columns under them
    widths = [int(n) for n in re.findall(r"<col style='width:(\d+)ch'>", out.value)]
    assert [b.layout.width for b in headers] == [f"{n}ch" for n in widths] and len(widths) == 4
    assert [b.description for b in headers] == ["NAMES", "IMAGE", "STATUS", "SIZE"]
    assert out.value == t.html(widths)
    headers[3].click()
    assert out.value == t.sorted("Size").html(widths) and headers[3].description == "SIZE ▲"
    headers[3].click()
    assert out.value == t.sorted("Size", reverse=True).html(widths)
    assert headers[3].description == "SIZE ▼"
    headers[0].click()  # another column: ascending, and the first one loses its arrow
    assert [b.description for b in headers] == ["NAMES ▲", "IMAGE", "STATUS", "SIZE"]
    headers[0].click()
    headers[0].click()  # a third click: as listed again
    assert out.value == t.html(widths) and headers[0].description == "NAMES"
    assert XSS_SCRIPT not in json.dumps(out.get_state())


def test_long_values_are_shortened_with_the_whole_value_on_hover_and_selectable():
    long = "sha256:" + "ab" * 32 + XSS_IMG
    t = Table([("ID", "ID"), ("N", "N")], [{"ID": long, "N": "1"}])
    html = t.html()
    assert_inert(html)
    escaped = "sha256:" + "ab" * 32 + "&lt;img src=x onerror=alert(1)&gt;"
    assert f"title='{escaped}'" in html  # hover: the whole value, escaped
    assert f"<span style='user-select:all'>{escaped}</span>" in html  # one click selects all of it
    assert "text-overflow:ellipsis" in html and "max-width:40ch" in html and "<col " not in html
    assert html.count("title=") == 1  # short values need no hover text
    assert "padding:" in html
    assert t.text().splitlines()[1].startswith(long)  # the text face is the CLI's, unshortened


def test_to_pandas_has_the_headers_and_the_masked_cells():
    pd = pytest.importorskip("pandas")
    t = Table([("Names", "NAMES"), ("Env", "ENV")], [{"Names": "a", "Env": "PASSWORD=hunter2"}])
    frame = t.to_pandas()
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == ["NAMES", "ENV"]
    assert frame.iloc[0].tolist() == ["a", t.cell(t.rows[0], "Env")] and "hunter2" not in frame.to_string()


def test_to_pandas_without_pandas_is_one_line(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(DockerMagicError, match=r"^to_pandas\(\) needs pandas: pip install pandas$"):
        table().to_pandas()
