"""The terminal widget of ``start -ai`` on a container without a TTY, in JupyterLab: a line
typed in the page reaches the container's stdin, its stdout and stderr come back into the
widget (as text, never as markup), and the Ctrl-D button ends the input, so the container
exits and the widget says closed."""

from __future__ import annotations

import json
import os

from tests.browser.test_browser import open_notebook, shot, wait_for
from tests.conftest import BASE_IMAGE

TYPED = "<img src=x onerror=window.__xss=3>typed-in-the-page"


def _notebook(label: str, name: str) -> dict:
    key, value = label.split("=", 1)
    cells = [
        f"%load_ext dockermagic\n%config DockerMagics.labels = {{'{key}': '{value}'}}",
        f"_ = %docker create -i --name {name} {BASE_IMAGE} sh -c 'cat; echo input-ended >&2'",
        f"t = %docker start -ai {name}\nt",
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


def test_type_into_the_page_and_end_the_input(lab, browser, ip, client, test_label, unique, artifacts):
    base, token, notebooks = lab
    with open(os.path.join(notebooks, "terminal.ipynb"), "w") as f:
        json.dump(_notebook(test_label, unique), f)
    page = browser.new_page()
    try:
        open_notebook(page, base, token, "lab", "terminal.ipynb")
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        page.get_by_text("ALL-DONE", exact=True).wait_for(timeout=120_000)
        widget = page.locator(".jp-Notebook .jp-Cell").nth(2).locator(".jp-OutputArea-output").last
        line = widget.locator("input[type=text]")
        line.wait_for(timeout=30_000)
        line.fill(TYPED)
        line.press("Enter")
        screen = widget.locator("pre").first
        wait_for(page, "the typed line back from cat", lambda: "typed-in-the-page" in screen.inner_text(), 20)
        assert TYPED in screen.inner_text() and page.evaluate("window.__xss") is None
        assert client.api.inspect_container(unique)["State"]["Running"]
        widget.get_by_role("button", name="Ctrl-D (end input)").click()
        wait_for(page, "the container's last line", lambda: "input-ended" in screen.inner_text(), 20)
        wait_for(page, "the widget to say closed", lambda: "(closed)" in widget.inner_text(), 20)
        assert line.is_disabled()
        assert client.api.inspect_container(unique)["State"]["Status"] == "exited"
        shot(widget, artifacts, "lab", "terminal-start-ai")
    finally:
        page.close()
