"""Every view in a real browser, in JupyterLab and in Notebook 7, against the real engine.

A notebook shows the layers of a tiny image, its history, the inspect tree
of a container with a secret env var, a ps table, the logs of a chatty
container, a pull's progress, a build's timeline linked to the built image's
layers view, and live stats. Names, labels, file names, commands, env values
and log lines carry script-injection payloads; the page must show them as
text and never run them. Screenshots go to
test-artifacts/screenshots/<front end>/.
"""

from __future__ import annotations

import io
import json
import os
import re
import tarfile
import time

import pytest

from tests.conftest import BASE_IMAGE

# Payloads that would leave a trace if they ever ran.
XSS_IMG = "<img src=x onerror=window.__xss=1>"
XSS_SCRIPT = "</script><script>window.__xss=2</script>"
XSS_ALERT = "<img src=x onerror=alert(1)>"
SECRET = "hunter2-browser-secret"

# On the base image every test uses (its one layer is shared, so the build takes seconds).
DOCKERFILE = f"""FROM {BASE_IMAGE}
RUN mkdir -p /app && echo one > /app/a.txt && echo big > /app/big
RUN echo two >> /app/a.txt && rm /app/big && echo x > '/app/{XSS_IMG}'
RUN echo '{XSS_SCRIPT}' > /app/b.txt
"""


def _context() -> io.BytesIO:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        data = DOCKERFILE.encode()
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    return buf


@pytest.fixture
def engine_objects(client, test_label, unique):
    """A tiny image, a container with secrets and payloads, a chatty logger; all labelled for removal."""
    key, value = test_label.split("=", 1)
    labels = {key: value, "xss.img": XSS_IMG, "xss.script": XSS_SCRIPT, "xss.alert": XSS_ALERT}
    image = f"{unique}-img:latest"
    for event in client.api.build(
        fileobj=_context(),
        custom_context=True,
        tag=image,
        labels=labels,
        rm=True,
        forcerm=True,
        decode=True,
        nocache=True,
    ):
        assert "error" not in event, event
    target = client.api.create_container(
        image,
        ["sh", "-c", "sleep 300"],
        name=f"{unique}-target",
        labels=labels,
        environment=[f"DB_PASSWORD={SECRET}", f"PLAIN={XSS_IMG}"],
    )
    client.api.start(target)
    script = (
        f"i=0; while [ $i -lt 400 ]; do echo line $i; i=$((i+1)); done; "
        f"sleep 1; echo '{XSS_SCRIPT}'; echo '{XSS_ALERT}' >&2; sleep 1; echo '{XSS_IMG}'"
    )
    logger = client.api.create_container(image, ["sh", "-c", script], name=f"{unique}-logger", labels=labels)
    client.api.start(logger)
    client.api.wait(logger, timeout=30)
    base_layers = len(client.api.inspect_image(BASE_IMAGE)["RootFS"]["Layers"])
    yield {
        "image": image,
        "target": f"{unique}-target",
        "logger": f"{unique}-logger",
        "label": test_label,
        "base_layers": base_layers,
    }
    # the ip fixture removes everything labelled with test_label


# The progress view, fed a pull's events as the engine sends them (every layer of the base image is
# here already, so a real pull transfers nothing and shows no bars): bars live, one line per layer after.
PROGRESS_CELL = """from dockermagic.views.progress import LayerProgress
import time
progress = LayerProgress(print)
for i in range(21):
    progress.feed({"id": "0123456789ab", "status": "Downloading",
                   "progressDetail": {"current": i * 500_000, "total": 10_000_000}})
    time.sleep(0.4)
progress.feed({"id": "0123456789ab", "status": "Pull complete", "progressDetail": {}})
progress.close()"""
BUILT_BODY = "FROM {image}\nRUN echo one > /one\nENV A=1\nRUN echo two > /two\n"
# where each front end opens a notebook
FRONT_ENDS = {"lab": "lab/tree/{}", "notebook": "notebooks/{}"}


def _notebook(objs: dict) -> dict:
    key, value = objs["label"].split("=", 1)
    cells = [
        f"%load_ext dockermagic\n%config DockerMagics.labels = {{'{key}': '{value}'}}",
        f"%docker layers {objs['image']}",
        f"%docker history --no-trunc {objs['image']}",
        f"%docker inspect {objs['target']}",
        f"%docker ps -a --no-trunc --filter label={objs['label']}",
        f"%docker logs -f --keep 50 {objs['logger']}",
        PROGRESS_CELL,
        # the classic builder's timeline, whose steps link to their layers (BuildKit's graph has no links)
        f"%%dockerfile --builder classic -t {objs['built']}\n" + BUILT_BODY.format(image=objs["image"]),
        "built = _\nbuilt.build_steps",
        "%docker layers {built.id}",
        f"%docker stats {objs['target']}",
        "print('ALL' + '-DONE')",
    ]
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "cells": [
            {
                "cell_type": "code",
                "id": f"c{i}",
                "metadata": {},
                "source": src,
                "outputs": [],
                "execution_count": None,
            }
            for i, src in enumerate(cells)
        ],
    }


def _cell(page, index: int):
    # the notebook shown (JupyterLab may also restore, hidden, a notebook an earlier test opened)
    return page.locator(".jp-Notebook:visible .jp-Cell").nth(index).locator(".jp-OutputArea-output")


KERNEL = "window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel"


def wait_for(page, what: str, check, timeout: float) -> None:
    """Wait for ``check()`` (bounded); on time out fail with what was awaited."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout:.0f} s for {what}")
        page.wait_for_timeout(250)


def open_notebook(page, base: str, token: str, front_end: str, name: str) -> None:
    """Open ``name`` in a front end and wait, bounded, for its app and its kernel to be idle."""
    page.goto(f"{base}/{FRONT_ENDS[front_end].format(name)}?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    wait_for(
        page,
        f"the {front_end} kernel to be idle",
        lambda: page.evaluate(f"() => {KERNEL}?.status") == "idle",
        90,
    )


def copied(page, cell, clicks: int = 1) -> str:
    """What the clipboard holds after ``clicks`` clicks on a table cell's value and Ctrl+C.

    The browser fixture grants clipboard access; the clipboard is emptied first, so an old value
    cannot pass for this one.
    """
    page.evaluate("() => navigator.clipboard.writeText('')")  # resolves at once: access is granted
    cell.locator("span").first.click(click_count=clicks)
    page.keyboard.press("Control+c")
    page.wait_for_timeout(200)
    return page.evaluate("() => navigator.clipboard.readText()")


def shot(target, artifacts: str, front_end: str, name: str) -> None:
    """A screenshot of a locator, or of the whole page, kept in test-artifacts/screenshots/<front end>/."""
    folder = os.path.join(artifacts, "screenshots", front_end)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}.png")
    if hasattr(target, "goto"):
        target.screenshot(path=path, full_page=True, timeout=30_000)
    else:
        target.screenshot(path=path, timeout=30_000)


@pytest.mark.parametrize("front_end", list(FRONT_ENDS))
def test_views_render_safely(lab, browser, engine_objects, artifacts, front_end):
    base, token, notebooks = lab
    objs = {**engine_objects, "built": f"{engine_objects['image'].split(':')[0]}-built:{front_end}"}
    name = f"views-{front_end}.ipynb"
    with open(os.path.join(notebooks, name), "w") as f:
        json.dump(_notebook(objs), f)

    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        _check_views(page, base, token, front_end, name, objs, artifacts)
        # nothing ran, nothing leaked
        html = page.content()
        assert SECRET not in html
        assert page.evaluate("window.__xss") is None
        assert dialogs == []
        for payload in (XSS_IMG, XSS_SCRIPT, XSS_ALERT):
            assert page.get_by_text(payload, exact=False).count() >= 1
    finally:
        shot(page, artifacts, front_end, "all")
        page.close()


def _check_views(page, base, token, front_end, name, objs, artifacts) -> None:
    open_notebook(page, base, token, front_end, name)
    # not awaited: the command's promise ends with the last cell, and the stats cell runs until interrupted
    # (page.evaluate has no time limit of its own: every evaluate here returns at once)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")

    # progress: bars while the transfer runs, updated in place
    bar = _cell(page, 6).locator("progress")
    wait_for(page, "the progress bar", lambda: bar.count() == 1, 180)
    first = float(bar.get_attribute("value"))
    wait_for(
        page,
        "the progress bar to move",
        lambda: bar.count() == 0 or float(bar.get_attribute("value")) > first,
        10,
    )
    shot(_cell(page, 6).first, artifacts, front_end, "progress-live")

    # stats streams (a live front end is watching): the chart's sample count grows while the cell runs
    stats = _cell(page, 10)

    def samples() -> int:
        found = re.search(r"\((\d+) samples\)", stats.first.inner_text()) if stats.count() else None
        return int(found.group(1)) if found else 0

    wait_for(page, "the stats chart to show a first sample", lambda: samples() >= 1, 180)
    first, seen_at = samples(), time.monotonic()
    wait_for(page, "the stats chart to update in place", lambda: samples() >= first + 2, 20)
    assert time.monotonic() - seen_at >= 1.0  # a sample a second, shown as they come, not all at the end
    assert page.evaluate(f"() => {KERNEL}.status") == "busy"  # still running: this was live
    shot(stats.first, artifacts, front_end, "stats-live")
    page.evaluate(f"() => {{ {KERNEL}.interrupt(); }}")  # Ctrl-C: the last snapshot stays
    try:
        page.get_by_text("ALL-DONE", exact=True).wait_for(timeout=60_000)
    except Exception:
        pytest.fail("the notebook did not finish within 60 s of the stats interrupt")
    time.sleep(1.0)  # let widget views finish rendering

    stats = _cell(page, 10).last
    assert stats.locator(".dm-stats-series").count() == 4  # CPU %, MEM %, network and block I/O
    assert "stopped (interrupted): the last snapshot" in stats.inner_text()
    shot(stats, artifacts, front_end, "stats")

    # layers: one row per layer with a size bar (rendered by the widget)
    layers = _cell(page, 1)
    base_layers = objs["base_layers"]
    assert layers.locator("tr.dm-layer").count() == base_layers + 3  # the base image's layers and three RUNs
    assert layers.locator(".dm-bar").count() == base_layers + 3
    assert layers.locator("select").count() == 1  # the layer picker
    # option 0 folds every layer; option base_layers + 2 opens the second RUN, which writes the payload file
    layers.locator("select").select_option(index=base_layers + 2)
    page.wait_for_timeout(500)
    payload_layer = layers.locator("tr.dm-layer").nth(base_layers + 1)
    unfolded = payload_layer.locator("details[open]")
    assert unfolded.count() == 3  # its added, changed and deleted files
    assert layers.locator("details[open]").count() == 3  # and no other layer's
    added = unfolded.first.get_by_text(XSS_IMG, exact=False)
    assert not added.is_visible()  # inside the folded app/ directory
    unfolded.first.locator("summary", has_text="app/").click()
    assert added.is_visible()  # the payload file name, as text
    shot(layers, artifacts, front_end, "layers")

    # history: folded long commands expand
    history = _cell(page, 2)
    assert history.locator("table.dockermagic-history tbody tr").count() >= 5
    folded = history.locator("details > summary")
    assert folded.count() >= 3 and XSS_SCRIPT not in history.inner_text()  # long commands start folded
    for i in range(folded.count()):
        folded.nth(i).click()
    assert XSS_SCRIPT in history.inner_text()  # expanded: the full command, as text
    shot(history, artifacts, front_end, "history")

    # inspect: the tree expands, search filters, secrets stay masked
    inspect = _cell(page, 3)
    net = inspect.locator("details.dm-node > summary", has_text="NetworkSettings").first
    ip_path = inspect.get_by_text("{{.NetworkSettings.IPAddress}}", exact=True)
    assert not ip_path.is_visible()
    net.click()
    assert ip_path.is_visible()
    search = inspect.locator(".dm-inspect-search input")
    search.fill("IPAddress")
    page.wait_for_timeout(800)
    tree_text = inspect.locator(".dm-inspect-tree").inner_text()
    assert "{{.NetworkSettings.IPAddress}}" in tree_text and "{{.Config.Image}}" not in tree_text
    search.fill("PASSWORD")
    page.wait_for_timeout(800)
    tree_text = inspect.locator(".dm-inspect-tree").inner_text()
    assert "DB_PASSWORD=••••••" in tree_text and SECRET not in tree_text
    shot(inspect, artifacts, front_end, "inspect")
    search.fill("")

    # ps: long values are shortened with the whole value on hover; a header click sorts, with its arrow
    ps = _cell(page, 4)
    rows = ps.locator("table.dockermagic-table tbody tr")
    assert rows.count() == 2
    full_id = ps.locator("td[title]").first
    value = full_id.get_attribute("title")
    assert re.fullmatch(r"[0-9a-f]{64}", value), value  # --no-trunc: the whole id, on hover
    full_id.hover()
    clipped = full_id.evaluate("td => td.scrollWidth > td.clientWidth")
    assert clipped and full_id.inner_text().strip() == value  # shortened on screen, whole when copied
    assert copied(page, full_id) == value  # one click selects the whole value, and Ctrl+C copies it
    # each header button stands over its column, the table scrolled or not
    headers = ps.locator("button")
    cells = rows.first.locator("td")
    assert headers.count() == cells.count() == 7
    for i in range(7):
        assert abs(headers.nth(i).bounding_box()["x"] - cells.nth(i).bounding_box()["x"]) < 4, i
    names = ps.locator("button", has_text="NAMES")
    names.click()
    page.wait_for_timeout(500)
    assert "-logger" in rows.first.inner_text() and names.inner_text().strip() == "NAMES ▲"
    names.click()
    page.wait_for_timeout(500)
    assert "-target" in rows.first.inner_text() and names.inner_text().strip() == "NAMES ▼"
    shot(ps, artifacts, front_end, "table")

    # logs: bounded to the last 50 lines, payloads as text
    logs = _cell(page, 5).last  # the first output is the (emptied) live display
    text = logs.inner_text()
    assert "line 399" in text and "line 300" not in text and "earlier lines not shown" in text
    assert XSS_SCRIPT in text and XSS_ALERT in text and XSS_IMG in text
    shot(logs, artifacts, front_end, "logs")

    # progress: the live bars are cleared at the end; each layer's final state stays as a line
    progress = _cell(page, 6)
    assert progress.locator("progress").count() == 0
    assert "0123456789ab: Pull complete" in "".join(progress.all_inner_texts())

    # build timeline: a step per instruction, the cached ones marked; the RUNs link to their layers
    build = _cell(page, 8)
    # four instructions, and the LABEL step that puts the session's labels on a built image
    assert build.locator("details.dm-step").count() == 5
    assert "5 steps" in build.inner_text()
    links = build.locator("a.dm-layer-link")
    assert links.count() == 2
    built_layers = _cell(page, 9)
    for i, written in enumerate(("one", "two")):
        target = links.nth(i).get_attribute("href")
        row = built_layers.locator(f"tr[id='{target[1:]}']")
        assert row.count() == 1 and f"echo {written}" in row.inner_text()
    links.nth(0).click()
    page.wait_for_timeout(800)
    row = built_layers.locator(f"tr[id='{links.nth(0).get_attribute('href')[1:]}']")
    assert row.is_visible() and row.bounding_box()["y"] >= 0  # scrolled to it
    # the widget's button opens the layers view under the timeline, at that step's layer
    build.locator("button", has_text="its layer").first.click()
    opened = build.locator(".dm-build-layers details[open]")
    wait_for(page, "the build's layers view to open", lambda: opened.count() >= 1, 30)
    unfolded_row = build.locator(".dm-build-layers tr.dm-layer").filter(has=page.locator("details[open]"))
    assert unfolded_row.count() == 1 and "echo one" in unfolded_row.inner_text()
    shot(build, artifacts, front_end, "build")
