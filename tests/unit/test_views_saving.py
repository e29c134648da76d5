"""The server extension's pre-save hook: a saved notebook keeps the views' HTML faces, not their widget
references (a reopened trusted notebook in JupyterLab would show "model not found" for them)."""

from __future__ import annotations

import copy

from dockermagic.views import saving, widgets


def _model(outputs: list[dict]) -> dict:
    cell = {"cell_type": "code", "source": "", "metadata": {}, "outputs": outputs, "execution_count": 1}
    return {"type": "notebook", "content": {"cells": [cell, {"cell_type": "markdown", "source": "x"}]}}


def test_the_views_references_go_and_their_faces_stay():
    ours = {
        "output_type": "execute_result",
        "data": {
            "text/plain": "t",
            "text/html": "<b>h</b>",
            widgets.WIDGET_MIME: {"model_id": "abc", "version_major": 2, widgets.MARK: "text/html"},
        },
    }
    theirs = {
        "output_type": "display_data",
        "data": {"text/plain": "x", widgets.WIDGET_MIME: {"model_id": "d"}},
    }
    stream = {"output_type": "stream", "name": "stdout", "text": "hi"}
    model = _model([ours, theirs, stream])
    saving.drop_widget_references(model, path="a.ipynb", contents_manager=None)
    outputs = model["content"]["cells"][0]["outputs"]
    assert outputs[0]["data"] == {"text/plain": "t", "text/html": "<b>h</b>"}
    assert outputs[1] == theirs and outputs[2] == stream  # other packages' widgets are left alone


def test_a_reference_without_its_face_stays_and_other_files_are_untouched():
    lone = {
        "output_type": "display_data",
        "data": {widgets.WIDGET_MIME: {"model_id": "e", widgets.MARK: "text/html"}},
    }
    model = _model([lone])
    saving.drop_widget_references(model)
    assert widgets.WIDGET_MIME in model["content"]["cells"][0]["outputs"][0]["data"]
    other = {"type": "file", "content": "text"}
    before = copy.deepcopy(other)
    saving.drop_widget_references(other)
    assert other == before


def test_the_bundle_marks_its_widget_reference(monkeypatch):
    from dockermagic.views import frontend
    from dockermagic.views.table import Table

    monkeypatch.setattr(frontend, "widget_frontend", lambda: True)
    data = widgets.bundle(Table([("A", "A")], [{"A": "1"}]))
    assert data[widgets.WIDGET_MIME][widgets.MARK] == "text/html" and "text/html" in data


def test_the_extension_registers_the_hook():
    hooks = []

    class Contents:
        def register_pre_save_hook(self, hook):
            hooks.append(hook)

    class App:
        contents_manager = Contents()

    assert saving._jupyter_server_extension_points() == [{"module": "dockermagic.views.saving"}]
    saving._load_jupyter_server_extension(App())
    assert hooks == [saving.drop_widget_references]
