"""A Jupyter server extension: saved notebooks keep each view's static face, not its widget reference.

JupyterLab renders a trusted output's widget mime type whenever the bundle has
one, and a reopened notebook has no widget model for it (no kernel, or a new
kernel): "model not found" or "Loading widget...", never the HTML beside it
(upstream jupyterlab#15361). Notebook 7 falls back to the HTML. So when a
front end saves a notebook through the server, the widget references that
``views/widgets`` marked are dropped from the file; the open page keeps its
live widgets, and the reopened notebook shows the text/html face in both front
ends, trusted or not. Other packages' widget outputs are left as they are.

Enabled by ``jupyter-config/jupyter_server_config.d/dockermagic.json``, which
``pip install`` puts in the environment's ``etc/jupyter``; ``jupyter server
extension list`` shows it.
"""

from __future__ import annotations

from typing import Any

from .widgets import MARK, WIDGET_MIME


def drop_widget_references(model: dict[str, Any], **_: Any) -> None:
    """A pre-save hook: remove the marked widget references of a notebook model, in place."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    for cell in model["content"].get("cells") or []:
        for output in cell.get("outputs") or []:
            data = output.get("data") if isinstance(output, dict) else None
            if not isinstance(data, dict):
                continue
            reference = data.get(WIDGET_MIME)
            if isinstance(reference, dict) and reference.get(MARK) in data:
                del data[WIDGET_MIME]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    serverapp.contents_manager.register_pre_save_hook(drop_widget_references)
