"""The inspect view on a recorded container inspect with secrets and injection payloads."""

import json

from dockermagic.views.inspect import InspectView, child_path

from ._viewdata import XSS_IMG, XSS_SCRIPT, assert_inert, load

SECRETS = ("hunter2-secret", "tok-123")


def view():
    return InspectView([load("container_inspect.json")])


def test_text_is_indented_json_with_masks():
    text = view().text()
    assert json.loads(text)[0]["Config"]["Env"][0].endswith("=••••••")
    assert not any(s in text for s in SECRETS)
    assert XSS_SCRIPT in text  # text is literal


def test_html_tree_paths_masks_and_escaping():
    html = view().html()
    assert_inert(html)
    assert not any(s in html for s in SECRETS)
    assert "{{.NetworkSettings.IPAddress}}" in html and "{{(index .Config.Env 0)}}" in html
    assert "{{(index .Config.Labels &quot;xss.img&quot;)}}" in html and "{{.Config.Labels.xss}}" in html
    assert html.count("<details") > 10 and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_search_keeps_matches_and_their_parents():
    html = view().html("ipaddress")
    assert "{{.NetworkSettings.IPAddress}}" in html and "{{.Config}}" not in html
    assert "nothing matches" in view().html("no-such-thing-anywhere")
    assert not any(s in view().html("hunter") for s in SECRETS)  # a search never unmasks


def test_reveal_is_python_side_only():
    v = view()
    assert v.reveal("DB_PASSWORD") == "hunter2-secret" and v.secret_names() == ["API_TOKEN", "DB_PASSWORD"]
    w = v.widget()
    search, tree, hint = w.children
    search.value = "Env"
    assert "(index .Config.Env 1)" in tree.value
    state = json.dumps([c.get_state() for c in (search, tree, hint)], default=str)
    assert not any(s in state for s in SECRETS) and XSS_IMG not in state
    assert "view.reveal" in hint.value


def test_go_template_paths():
    assert child_path("", "State") == ".State"
    assert child_path(".State", "Health") == ".State.Health"
    assert child_path(".Config.Labels", "a.b") == '(index .Config.Labels "a.b")'
    assert child_path(".Mounts", 0) == "(index .Mounts 0)"
