"""The layers view on a recorded layers_of payload (tests/data/image_layers.json)."""

import copy

from dockermagic.views.layers import LayersView

from ._viewdata import XSS_IMG, XSS_SCRIPT, assert_inert, load


def view():
    return LayersView(load("image_layers.json"))


def test_text_has_one_line_per_layer_and_the_summary():
    text = view().text()
    lines = text.splitlines()
    assert lines[0].startswith("5 layers, 3.96MB; wasted 8B, efficiency")
    assert sum(1 for line in lines[1:] if line.lstrip()[:1].isdigit()) == 5
    assert "+1 ~1 -1" in text and "wasted       4B  x1  app/big" in text


def test_html_rows_bars_trees_and_waste():
    html = view().html()
    assert html.count("class='dm-layer'") == 5 and html.count("class='dm-bar'") == 5
    assert "<details><summary>deleted (1)</summary>" in html and "big" in html
    assert "class='dm-waste'" in html and "app/data/a.txt" in html
    assert "<script" not in html.lower()


def test_html_escapes_file_names_and_commands():
    html = view().html()
    assert_inert(html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the file name, shown literally
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the RUN command


def test_shared_with_and_capped_listing_are_shown():
    data = copy.deepcopy(load("image_layers.json"))
    data["layers"][0]["shared_with"] = [f"{XSS_IMG}:latest"]
    data["layers"][2]["counts"]["added"] = 500
    html = LayersView(data).html()
    assert_inert(html)
    assert "&lt;img src=x onerror=alert(1)&gt;:latest" in html and "and 497 more (listing capped)" in html
    assert f"shared with {XSS_IMG}:latest" in LayersView(data).text()


def test_open_layer_unfolds_that_layers_files():
    html = view().html(open_layer=3)
    assert html.count("<details open>") == 3  # added, changed, deleted of layer 3


def test_widget_state_is_the_escaped_html():
    w = view().widget()
    pick, out = w.children
    assert out.value == view().html() and len(pick.options) == 6
    pick.value = 3
    assert out.value == view().html(open_layer=3)
    assert XSS_SCRIPT not in str(w.get_state())
