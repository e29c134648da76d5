"""Go's text/template, as the docker CLI runs it for ``--format``.

Actions: ``{{pipeline}}``, ``if``/``else if``/``else``, ``with``/``else with``, ``range`` (over
slices, maps in key order and integers; ``$i, $v :=``; ``break``, ``continue``), variables
(``$x := ...``, ``$x = ...``, ``$``), parenthesised pipelines with field chains
(``(index .Ports "80/tcp" 0).HostPort``), comments and the trim markers ``{{-``/``-}}``.
Functions: Go's builtins (``and or not len index slice print printf println eq ne lt le gt ge
html js urlquery``) and the CLI's (``json split join title lower upper pad truncate``).

Values print as Go's ``fmt`` prints them. Documents come as decoded JSON (``map[string]interface{}``
to Go: a missing key prints ``<no value>``), or typed by ``GoStruct`` and friends, as the CLI's
structs are: a nil slice prints ``[]``, a nil map ``map[]``, a nil pointer ``<nil>``, a field left
out of the JSON its zero value, and an unknown field is an error (``render`` then runs the
template on the raw document with missing keys as errors, as the CLI's inspect does).
"""

from __future__ import annotations

from .execution import Template, parse, render
from .functions import FUNCS, HEADER_FUNCS, truthy
from .gofmt import go_json, go_quote, go_sprintf, go_str
from .values import MISSING, GoMap, GoSlice, GoStruct, NilPointer

__all__ = [
    "FUNCS",
    "HEADER_FUNCS",
    "MISSING",
    "GoMap",
    "GoSlice",
    "GoStruct",
    "NilPointer",
    "Template",
    "go_json",
    "go_quote",
    "go_sprintf",
    "go_str",
    "parse",
    "render",
    "truthy",
]
