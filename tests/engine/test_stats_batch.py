"""``%docker stats`` in a kernel that nbval or nbclient (nbconvert --execute, papermill) runs: no
one watches, so it takes one snapshot and says so, as ``--no-stream`` does, instead of streaming
until the container stops. (That a live front end still streams: tests/browser.)"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import BASE_IMAGE

pytestmark = pytest.mark.engine

NOTE = "one snapshot: no front end here to show a stream (as --no-stream)"


@pytest.fixture
def running(client, test_label, unique) -> str:
    """A container that runs 40 s (a stream would hold the cell that long), removed by ``ip``."""
    key, value = test_label.split("=", 1)
    client.api.start(
        client.api.create_container(BASE_IMAGE, ["sleep", "40"], name=unique, labels={key: value})
    )
    return unique


def _notebook(name: str) -> nbformat.NotebookNode:
    cells = [
        "%load_ext dockermagic",
        f"import time\nstart = time.monotonic()\nview = %docker stats {name}\n"
        "took = time.monotonic() - start\nview",
        f"assert took < 10 and len(view.history[{name!r}]) == 1, (took, view.history)\n"
        f"assert view.note == {NOTE!r}, view.note",
    ]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def test_under_nbclient_stats_is_one_snapshot(ip, running, tmp_path):
    nb = _notebook(running)
    start = time.monotonic()
    NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    assert time.monotonic() - start < 35  # the container's 40 s were not waited for
    shown = nb.cells[1].outputs[-1]["data"]["text/plain"]
    assert shown.endswith(f"[{NOTE}]"), shown


def test_under_nbval_stats_is_one_snapshot(ip, running, tmp_path):
    path = tmp_path / "stats.ipynb"
    path.write_text(json.dumps(_notebook(running)))
    start = time.monotonic()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "--nbval-cell-timeout=60",
            "-p",
            "no:cacheprovider",
            "-q",
            "-o",
            "addopts=",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    # every cell passed: none timed out (nbval then counts the cells after it as expected failures)
    assert run.returncode == 0 and "3 passed in" in run.stdout, run.stdout[-3000:] + run.stderr[-2000:]
    assert time.monotonic() - start < 35, run.stdout[-3000:]
