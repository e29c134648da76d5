"""Tables (ps, images, volumes, networks): CLI text, escaped HTML, the sortable widget."""
import json

from dockermagic.views.table import Table

from ._viewdata import XSS_IMG, XSS_SCRIPT, assert_inert, load

COLUMNS = [("Names", "NAMES"), ("Image", "IMAGE"), ("Status", "STATUS"), ("Size", "SIZE")]


def table():
    rows = [{"Names": c["Names"][0].lstrip("/"), "Image": c["Image"], "Status": c["Status"], "Size": "2MB"}
            for c in load("containers_list.json")]
    rows += [{"Names": XSS_IMG, "Image": XSS_SCRIPT, "Status": "Up", "Size": "900kB"},
             {"Names": "zeta", "Image": "debian:bookworm", "Status": "Up", "Size": "1.2GB"}]
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


def test_sortable_widget_resorts_the_escaped_html():
    t = table()
    w = t.widget()
    (by, desc), out = w.children[0].children, w.children[1]
    by.value = "Size"
    assert out.value == t.sorted("Size").html()
    desc.value = True
    assert out.value == t.sorted("Size", reverse=True).html()
    assert XSS_SCRIPT not in json.dumps(out.get_state())
