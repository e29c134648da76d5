"""The one place that decides how a view is displayed.

Every display carries ``text/plain`` (terminals, nbval) and static, escaped
``text/html`` (saved notebooks, GitHub, nbviewer). When the kernel has a
widget front end, the view's ipywidget is added to the same bundle: a live
front end renders the widget, everything else falls back to the HTML.

Widget state is saved into notebooks, so widgets only ever hold what the
static HTML holds already (masked values, escaped markup): secrets stay on
the Python side.

Whether a kernel and a widget front end are there is asked of ``frontend``.

A saved notebook reopened trusted makes JupyterLab render the widget mime type,
and with no kernel (or a new one) it has no model for it: "model not found",
never the HTML beside it. So the widget reference carries ``MARK``, and
``views/saving`` (a Jupyter server extension) drops marked references when a
notebook is saved: the live session keeps its widgets, the file keeps the
static face.
"""

from __future__ import annotations

import time

from . import frontend

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# in the widget reference (renderers read only model_id): "the text/html beside me is my static face"
MARK = "dockermagic_static_face"


def bundle(view, include=None, exclude=None) -> dict:
    """The MIME bundle for ``view``: text and HTML always, the widget when it can render."""
    data = {"text/plain": view.text(), "text/html": view.html()}
    if frontend.widget_frontend() and hasattr(view, "widget"):
        try:
            w = view.widget()
        except ImportError:
            w = None
        if w is not None:
            view._widget = w  # keep it alive with the view (and reachable for tests)
            widget_data = w._repr_mimebundle_() or {}
            if WIDGET_MIME in widget_data:
                data[WIDGET_MIME] = {**widget_data[WIDGET_MIME], MARK: "text/html"}
    return data


class Live:
    """Shows a view now and replaces it as it changes, at most ``rate`` times a second.

    In a kernel this is a display handle (works with or without widgets, and
    the last state is what the notebook saves); in a terminal it does nothing
    and the caller streams text instead.
    """

    def __init__(self, view, rate: float = 4.0, start_blank: bool = False):
        self.view = view
        self.interval = 1.0 / rate
        self.last = 0.0
        self.handle = None
        if frontend.in_kernel():
            from IPython.display import display

            # start_blank: a display that ends cleared saves as blank, whatever it showed meanwhile
            self.handle = display(_Static(_Blank() if start_blank else view), display_id=True)

    @property
    def active(self) -> bool:
        return self.handle is not None

    def update(self, force: bool = False) -> None:
        if self.handle is None:
            return
        now = time.monotonic()
        if force or now - self.last >= self.interval:
            self.last = now
            self.handle.update(_Static(self.view))

    def clear(self) -> None:
        """Drop the live display (the final view is returned and shown by the cell)."""
        if self.handle is not None:
            self.handle.update(_Static(_Blank()))


class _Static:
    """Text and HTML of a view, never a widget (cheap to send many times)."""

    def __init__(self, view):
        self.view = view

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.view.text(), "text/html": self.view.html()}


class _Blank:
    def text(self):
        return ""

    def html(self):
        return ""
