"""The docker CLI's grammar: command line -> frozen spec dataclass.

Imports neither docker nor IPython. Importing this package registers every
module in this package (each registers its subcommands).
"""

import pkgutil
from importlib import import_module

from .grammar import HelpRequested, split
from .registry import Help, get, names, parse_line

# Every module of this package registers what it handles on import.
for _module in pkgutil.iter_modules(__path__):
    import_module(f"{__name__}.{_module.name}")

__all__ = ["Help", "HelpRequested", "get", "names", "parse_line", "split"]
