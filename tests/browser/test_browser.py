"""Every view in a real browser: JupyterLab + headless Chromium against the real engine.

A notebook shows the layers of a tiny image, its history, the inspect tree
of a container with a secret env var, a ps table and the logs of a chatty
container. Names, labels, file names, commands, env values and log lines
carry script-injection payloads; the page must show them as text and never
run them. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import io
import json
import os
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


def _notebook(objs: dict) -> dict:
    key, value = objs["label"].split("=", 1)
    cells = [
        f"%load_ext dockermagic\n%config DockerMagics.labels = {{'{key}': '{value}'}}",
        f"%docker layers {objs['image']}",
        f"%docker history --no-trunc {objs['image']}",
        f"%docker inspect {objs['target']}",
        f"%docker ps -a --filter label={objs['label']}",
        f"%docker logs -f --keep 50 {objs['logger']}",
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
    return page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-OutputArea-output")


def test_views_render_safely_in_jupyterlab(lab, browser, engine_objects, artifacts):
    base, token, notebooks = lab
    with open(os.path.join(notebooks, "views.ipynb"), "w") as f:
        json.dump(_notebook(engine_objects), f)

    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/lab/tree/views.ipynb?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(
        "() => window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=60_000
    )
    # JupyterLab may ask which kernel to start: accept the notebook's own (python3)
    try:
        page.locator(".jp-Dialog button.jp-mod-accept").click(timeout=5_000)
    except Exception:
        pass  # no dialog: the kernel started by itself
    # wait for the kernel, then run every cell
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    try:
        page.get_by_text("ALL-DONE", exact=True).wait_for(timeout=90_000)
    finally:
        page.screenshot(path=os.path.join(artifacts, "views-all.png"), full_page=True)
    time.sleep(1.0)  # let widget views finish rendering

    # layers: one row per layer with a size bar (rendered by the widget)
    layers = _cell(page, 1)
    base_layers = engine_objects["base_layers"]
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
    layers.screenshot(path=os.path.join(artifacts, "layers.png"))

    # history: folded long commands expand
    history = _cell(page, 2)
    assert history.locator("table.dockermagic-history tbody tr").count() >= 5
    folded = history.locator("details > summary")
    assert folded.count() >= 3 and XSS_SCRIPT not in history.inner_text()  # long commands start folded
    for i in range(folded.count()):
        folded.nth(i).click()
    assert XSS_SCRIPT in history.inner_text()  # expanded: the full command, as text
    history.screenshot(path=os.path.join(artifacts, "history.png"))

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
    inspect.screenshot(path=os.path.join(artifacts, "inspect.png"))
    search.fill("")

    # ps: the table sorts by a click on its header, which shows the direction
    ps = _cell(page, 4)
    assert ps.locator("table.dockermagic-table tbody tr").count() == 2
    names = ps.locator("button", has_text="NAMES")
    names.click()
    page.wait_for_timeout(500)
    first = ps.locator("table.dockermagic-table tbody tr").first.inner_text()
    assert "-logger" in first and names.inner_text().strip() == "NAMES ▲"

    # logs: bounded to the last 50 lines, payloads as text
    logs = _cell(page, 5).last  # the first output is the (emptied) live display
    text = logs.inner_text()
    assert "line 399" in text and "line 300" not in text and "earlier lines not shown" in text
    assert XSS_SCRIPT in text and XSS_ALERT in text and XSS_IMG in text
    logs.screenshot(path=os.path.join(artifacts, "logs.png"))

    # nothing ran, nothing leaked
    html = page.content()
    assert SECRET not in html
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    for payload in (XSS_IMG, XSS_SCRIPT, XSS_ALERT):
        assert page.get_by_text(payload, exact=False).count() >= 1
    page.screenshot(path=os.path.join(artifacts, "views-after.png"), full_page=True)
    page.close()
