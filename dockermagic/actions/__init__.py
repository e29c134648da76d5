"""Glue between a spec and the engine: ``perform(spec, session)`` runs it.

Each module here registers handlers for the spec types of one family of
commands; what they return is a view or a handle object that displays itself.
Imported on the first ``%docker`` call, never at ``%load_ext`` time.
"""

from __future__ import annotations

import pkgutil
from functools import singledispatch
from importlib import import_module

from ..errors import NotYetAvailable


@singledispatch
def perform(spec, session):
    name = type(spec).__name__.removesuffix("Spec").lower()
    raise NotYetAvailable(f"'%docker {name}' is not available in this version of dockermagic yet.")


# Every module of this package registers what it handles on import.
for _module in pkgutil.iter_modules(__path__):
    import_module(f"{__name__}.{_module.name}")
