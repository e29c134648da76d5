"""The one answer to "where is this output going?".

``in_kernel()``: a Jupyter kernel that can display and update outputs.
``widget_frontend()``: that, plus ipywidgets, and widgets not turned off.

``DOCKERMAGIC_WIDGETS=0`` in the environment (or ``frontend.ENABLED = False``)
turns widgets off, e.g. for runs that compare outputs.
"""

from __future__ import annotations

import os
import sys

ENABLED = os.environ.get("DOCKERMAGIC_WIDGETS", "1") not in ("0", "false", "no")


def in_kernel() -> bool:
    """True inside a Jupyter kernel (display handles work; widgets may not)."""
    if "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython is always there in a kernel
        return False
    return shell is not None and getattr(shell, "kernel", None) is not None


def widget_frontend() -> bool:
    """True inside a kernel where ipywidgets can talk to a front end."""
    if not ENABLED or not in_kernel():
        return False
    try:
        import ipywidgets  # noqa: F401  (imported only when a front end may use it)
    except ImportError:
        return False
    return True
