"""The one answer to "where is this output going?".

``in_kernel()``: a Jupyter kernel that can display and update outputs.
``widget_frontend()``: that, plus ipywidgets, and widgets not turned off.
``live_frontend()``: that, and someone watching: a live JupyterLab or
Notebook 7, not a kernel run by nbval, nbconvert or papermill.

``DOCKERMAGIC_WIDGETS=0`` in the environment (or ``frontend.ENABLED = False``)
turns widgets off, e.g. for runs that compare outputs.
"""

from __future__ import annotations

import os
import sys
from typing import Any

ENABLED = os.environ.get("DOCKERMAGIC_WIDGETS", "1") not in ("0", "false", "no")

# JupyterLab's and Notebook 7's notebooks put these in the metadata of every execute_request
# they send (the notebook's run commands); jupyter_client's execute(), which nbval, nbclient
# (nbconvert --execute) and papermill call, sends no metadata at all.
NOTEBOOK_UI_KEYS = ("deletedCells", "recordTiming")


def in_kernel() -> bool:
    """True inside a Jupyter kernel (display handles work; widgets may not)."""
    return _kernel() is not None


def widget_frontend() -> bool:
    """True inside a kernel where ipywidgets can talk to a front end."""
    if not ENABLED or not in_kernel():
        return False
    try:
        import ipywidgets  # noqa: F401  (imported only when a front end may use it)
    except ImportError:
        return False
    return True


def live_frontend() -> bool:
    """True where a widget front end shows the running cell as it changes (worth streaming to).

    A kernel run by nbval or nbclient is a kernel with ipywidgets too, so the
    evidence is what only a live front end sends: the running cell came from
    a notebook's run command (``NOTEBOOK_UI_KEYS`` in its request), or a
    widget manager asked this kernel's ipywidgets for its widgets (the
    ``jupyter.widget.control`` comm, opened when a front end connects).
    """
    return widget_frontend() and (_sent_by_notebook_ui() or _widget_manager_connected())


def _kernel() -> Any:
    if "ipykernel" not in sys.modules:
        return None
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython is always there in a kernel
        return None
    return getattr(shell, "kernel", None) if shell is not None else None


def _sent_by_notebook_ui() -> bool:
    kernel = _kernel()
    try:
        request = kernel.get_parent("shell") or {}
    except (AttributeError, TypeError):  # not an ipykernel >= 6 kernel: no request to read
        return False
    metadata = request.get("metadata") if isinstance(request, dict) else None
    return isinstance(metadata, dict) and any(key in metadata for key in NOTEBOOK_UI_KEYS)


def _widget_manager_connected() -> bool:
    widget = sys.modules.get("ipywidgets.widgets.widget")
    return widget is not None and getattr(widget.Widget, "_control_comm", None) is not None
