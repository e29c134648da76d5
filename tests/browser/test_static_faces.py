"""Each view's static face in a saved notebook reopened with no kernel, in JupyterLab and Notebook 7.

A notebook that shows every view runs as nbconvert --execute runs it (nbclient, widget state
stored). It is then opened twice in each front end, its kernel shut down at once:

- untrusted: the file as it comes from elsewhere (not signed). The front end sanitizes each
  output's HTML face: the stats chart (CSS bars, no SVG) and the build steps' links to their
  layers must survive it;
- trusted: the same notebook saved through the server as a front end saves it (cells trusted, so
  the server signs it), as a user's own notebook is. JupyterLab renders the widget mime type of a
  trusted output whenever there is one, and with no model for it shows "model not found": the
  server extension in views/saving drops the views' widget references when the file is saved.

Every view must show its static HTML face, readable, and no output may be a widget placeholder
("Loading widget", "model not found").

Why a wait can hang here: ``page.evaluate`` has no time limit, and a promise that ends with the
notebook (run-all) or never (a widget waiting for its model) keeps it waiting for good; with no
kernel, the widget manager's restore fails before it reads the saved widget state, so a widget
output stays "Loading widget...". Every evaluate here returns at once, and every wait is bounded
and says what it waited for.
"""

from __future__ import annotations

import copy
import json
import os
import urllib.request

import nbformat
import pytest
from nbclient import NotebookClient

from tests.browser.test_browser import (  # noqa: F401  (engine_objects: the fixture, shared)
    BUILT_BODY,
    FRONT_ENDS,
    KERNEL,
    _cell,
    copied,
    engine_objects,
    shot,
    wait_for,
)

PLACEHOLDERS = ("Loading widget", "model not found", "Error displaying widget")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _executed(objs: dict, folder: str) -> nbformat.NotebookNode:
    key, value = objs["label"].split("=", 1)
    cells = [
        f"%load_ext dockermagic\n%config DockerMagics.labels = {{'{key}': '{value}'}}",
        f"%docker layers {objs['image']}",
        f"%docker history {objs['image']}",
        f"%docker inspect {objs['target']}",
        f"%docker ps -a --no-trunc --filter label={objs['label']}",
        f"%docker logs --tail 20 {objs['logger']}",
        # the classic builder's timeline, whose steps link to their layers (BuildKit's graph has no links)
        f"%%dockerfile --builder classic -t {objs['built']}\n" + BUILT_BODY.format(image=objs["image"]),
        "built = _\nbuilt.build_steps",
        "%docker layers {built.id}",
        f"%docker stats --no-stream {objs['target']}",
    ]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(
        nb,
        timeout=180,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": folder}},
    ).execute()
    return nb


def _save_as_front_end(base: str, token: str, name: str, nb: nbformat.NotebookNode) -> dict:
    """PUT the notebook through the contents API, each cell marked trusted, as a front end saves
    a notebook whose outputs it made; the server runs its pre-save hooks and signs it. Returns the
    file as the server wrote it."""
    content = copy.deepcopy(nb)
    # JupyterLab and Notebook 7 save no widget state unless told to ("Save Widget State
    # Automatically" is off by default): a reopened notebook has no model for any widget output
    content.metadata.pop("widgets", None)
    for cell in content.cells:
        cell.metadata["trusted"] = True
    body = json.dumps({"type": "notebook", "format": "json", "content": content}).encode()
    url = f"{base}/api/contents/{name}?token={token}"
    urllib.request.urlopen(urllib.request.Request(url, data=body, method="PUT"), timeout=30).read()
    with urllib.request.urlopen(f"{url}&content=1", timeout=30) as answer:
        return json.loads(answer.read())


def _open_with_no_kernel(page, base: str, token: str, front_end: str, name: str) -> None:
    # reset: JupyterLab would restore, hidden, the notebook opened before, whose rows carry the
    # same anchors (the same image): a link's click would look them up there first
    reset = "&reset" if front_end == "lab" else ""
    page.goto(f"{base}/{FRONT_ENDS[front_end].format(name)}?token={token}{reset}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # both front ends start the notebook's kernel on opening it: shut it down, and look with none
    wait_for(
        page,
        "the notebook's kernel to start",
        lambda: page.evaluate(f"() => {KERNEL}?.status") == "idle",
        90,
    )
    page.evaluate("() => { window.jupyterapp.shell.currentWidget.sessionContext.shutdown(); }")
    wait_for(
        page, "the kernel to be shut down", lambda: page.evaluate(f"() => ({KERNEL}) ?? null") is None, 30
    )
    page.wait_for_timeout(1_000)


TRUSTED_CELLS = (
    "() => Array.from(window.jupyterapp.shell.currentWidget.content.model.cells).map(c => c.trusted)"
)


@pytest.mark.parametrize("front_end", list(FRONT_ENDS))
def test_static_faces_with_no_kernel(lab, browser, engine_objects, artifacts, front_end):  # noqa: F811
    """The saved file from elsewhere (untrusted: sanitized HTML faces) and the user's own saved file
    (trusted: the HTML faces, not the widgets), each reopened with no kernel."""
    base, token, notebooks = lab
    objs = {**engine_objects, "built": f"{engine_objects['image'].split(':')[0]}-static:{front_end}"}
    nb = _executed(objs, notebooks)
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert state  # saved with its widget state, as asked
    references = [o for c in nb.cells for o in c.get("outputs", []) if WIDGET_MIME in o.get("data", {})]
    assert len(references) >= 5  # the run made widget outputs: what the trusted case is about

    untrusted = f"static-untrusted-{front_end}.ipynb"
    with open(os.path.join(notebooks, untrusted), "w") as f:
        json.dump(nb, f)
    trusted = f"static-trusted-{front_end}.ipynb"
    saved = _save_as_front_end(base, token, trusted, nb)
    kept = [
        o for c in saved["content"]["cells"] for o in c.get("outputs", []) if WIDGET_MIME in o.get("data", {})
    ]
    assert kept == []  # the server's pre-save hook dropped them; the HTML faces are what is saved

    for kind, name in (("untrusted", untrusted), ("trusted", trusted)):
        page = browser.new_page()
        try:
            _open_with_no_kernel(page, base, token, front_end, name)
            assert set(page.evaluate(TRUSTED_CELLS)) == {kind == "trusted"}, kind
            _check_static_faces(page, objs, front_end, artifacts, kind)
        finally:
            shot(page, artifacts, front_end, f"static-{kind}-all")
            page.close()


def _check_static_faces(page, objs, front_end, artifacts, kind) -> None:
    cells = page.locator(".jp-Notebook:visible .jp-Cell")
    wait_for(
        page, "the saved outputs to render", lambda: cells.count() == 10 and _cell(page, 9).count() >= 1, 30
    )
    text = page.locator(".jp-Notebook:visible").inner_text()
    for placeholder in PLACEHOLDERS:
        assert placeholder not in text, f"{front_end}: an output shows '{placeholder}' instead of its face"

    layers = _cell(page, 1)
    assert (
        layers.locator("tr.dm-layer").count() == objs["base_layers"] + 3
        and "efficiency" in layers.inner_text()
    )
    shot(layers, artifacts, front_end, f"static-{kind}-layers")
    history = _cell(page, 2)
    assert history.locator("table.dockermagic-history tbody tr").count() >= 5
    inspect = _cell(page, 3)
    tree = inspect.text_content()  # folded branches included
    assert (
        "NetworkSettings" in inspect.inner_text() and "DB_PASSWORD=••••••" in tree and "hunter2" not in tree
    )
    shot(inspect, artifacts, front_end, f"static-{kind}-inspect")
    ps = _cell(page, 4)
    assert ps.locator("table.dockermagic-table tbody tr").count() == 2
    # the static face's own header row, or the widget's header buttons over the same table
    assert ps.locator("th, button", has_text="NAMES").count() == 1
    # copying a long value takes the whole value: trusted, it is shortened on screen (the whole of
    # it on hover) and one click selects all of it; untrusted, the sanitizer drops those two styles
    # (a max-width in ch, user-select), so the value shows whole and a triple click selects the cell
    full_id = ps.locator("td[title]").first
    value = full_id.get_attribute("title")
    shortened = full_id.evaluate("td => td.scrollWidth > td.clientWidth")
    assert len(value) == 64 and shortened == (kind == "trusted"), kind
    assert copied(page, full_id, clicks=1 if kind == "trusted" else 3) == value, kind
    shot(ps, artifacts, front_end, f"static-{kind}-table")
    assert "line 399" in _cell(page, 5).inner_text()
    build = _cell(page, 7)
    assert build.locator("details.dm-step").count() == 5 and "5 steps" in build.inner_text()
    links = build.locator("a.dm-layer-link")
    assert links.count() == 2
    built_layers = _cell(page, 8)
    assert built_layers.locator("tr.dm-layer").count() == objs["base_layers"] + 5  # the 3 RUNs and 2 more
    # each link's target is its step's layer row: by id, or (the sanitizer of untrusted HTML turns
    # ids into data-jupyter-id) by data-jupyter-id, which the front end's anchor handler looks up
    for i, written in enumerate(("one", "two")):
        target = links.nth(i).get_attribute("href")
        assert target.startswith("#dm-layer-")
        row = built_layers.locator(f"tr[id='{target[1:]}'], tr[data-jupyter-id='{target[1:]}']")
        assert row.count() == 1 and f"echo {written}" in row.inner_text(), (kind, target)
        # and nothing else on the page answers to it (the front end's handler takes the first one)
        assert page.locator(f"[id='{target[1:]}'], [data-jupyter-id='{target[1:]}']").count() == 1
    # the build cell made active first: activating a cell scrolls the notebook to it, which would
    # race with the link's own scroll; then the link at the bottom of the page, its row below it
    page.locator(".jp-Notebook:visible .jp-Cell").nth(7).locator(".jp-InputPrompt").click()
    page.wait_for_timeout(500)
    links.nth(1).evaluate("a => a.scrollIntoView({block: 'end'})")
    page.wait_for_timeout(300)
    row = built_layers.locator("tr.dm-layer", has_text="echo two > /two")
    height = page.viewport_size["height"]

    def in_view() -> bool:
        box = row.bounding_box()
        return box is not None and 0 <= box["y"] <= height - box["height"]

    assert not in_view()  # below the page: the click has somewhere to take us
    links.nth(1).click()
    wait_for(page, f"the link's click to scroll to its layer row ({kind})", in_view, 10)
    shot(build, artifacts, front_end, f"static-{kind}-build")
    stats = _cell(page, 9)
    assert "MEM USAGE / LIMIT" in stats.inner_text() and "(1 samples)" in stats.inner_text()
    # the chart is CSS bars, which the sanitizer of untrusted HTML keeps (it drops inline SVG)
    chart = stats.locator(".dm-stats-chart")
    assert chart.count() == 1 and chart.locator(".dm-stats-series").count() == 4
    heights = chart.locator(".dm-stats-bar").evaluate_all("bars => bars.map(b => b.offsetHeight)")
    assert heights and all(h >= 1 for h in heights), heights  # drawn, with their inline sizes kept
    shot(stats, artifacts, front_end, f"static-{kind}-stats")
