"""``frontend.live_frontend``: a live JupyterLab or Notebook 7 is told apart from a kernel that
nbval, nbconvert or papermill runs (ipywidgets imports in both; only a live front end says so)."""

from __future__ import annotations

import pytest

from dockermagic.views import frontend


class Kernel:
    """A kernel whose running cell came with ``request`` (as ipykernel's get_parent gives it)."""

    def __init__(self, request):
        self.request = request

    def get_parent(self, channel=None):
        assert channel == "shell"
        return self.request


# The execute_request metadata JupyterLab 4 and Notebook 7 sent in a browser (tests/browser checks it live)
FROM_LAB = {"trusted": False, "deletedCells": [], "recordTiming": False, "cellId": "c0"}
# jupyter_client's execute(): what nbval, nbclient (nbconvert --execute) and papermill send
FROM_JUPYTER_CLIENT = {}


@pytest.fixture
def kernel(monkeypatch):
    def use(request):
        monkeypatch.setattr(frontend, "_kernel", lambda: Kernel(request))

    monkeypatch.setattr(frontend, "ENABLED", True)
    return use


def test_a_cell_run_from_a_notebook_ui_is_watched(kernel):
    kernel({"header": {"msg_type": "execute_request"}, "metadata": FROM_LAB, "content": {}})
    assert frontend.widget_frontend() and frontend.live_frontend()


@pytest.mark.parametrize("metadata", [FROM_JUPYTER_CLIENT, None, {"cellId": "c0"}, "junk"])
def test_a_cell_run_by_a_batch_tool_is_not(kernel, metadata):
    kernel({"header": {"msg_type": "execute_request"}, "metadata": metadata, "content": {}})
    assert frontend.widget_frontend() and not frontend.live_frontend()


def test_a_widget_manager_that_asked_for_the_widgets_counts(kernel, monkeypatch):
    import ipywidgets

    kernel({"metadata": FROM_JUPYTER_CLIENT})
    monkeypatch.setattr(ipywidgets.Widget, "_control_comm", object())  # what a connecting manager opens
    assert frontend.live_frontend()


def test_widgets_turned_off_or_no_kernel_is_never_live(kernel, monkeypatch):
    kernel({"metadata": FROM_LAB})
    monkeypatch.setattr(frontend, "ENABLED", False)
    assert not frontend.live_frontend()
    monkeypatch.setattr(frontend, "ENABLED", True)
    monkeypatch.setattr(frontend, "_kernel", lambda: None)
    assert not frontend.in_kernel() and not frontend.live_frontend()


def test_a_kernel_without_get_parent_is_not_live(kernel, monkeypatch):
    monkeypatch.setattr(frontend, "_kernel", lambda: object())
    assert frontend.in_kernel() and not frontend.live_frontend()
