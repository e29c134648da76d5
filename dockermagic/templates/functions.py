"""The functions a template can call: Go's builtins and the ones the docker CLI adds."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from .gofmt import _kind, go_json, go_sprintf, go_str
from .values import MISSING, GoMap, GoSlice, GoStruct, NilPointer, _fail


def truthy(value) -> bool:
    """Go's truth: false, 0, nil, and empty strings, slices and maps are false."""
    if value is MISSING or value is None or isinstance(value, NilPointer):
        return False
    if isinstance(value, GoStruct):
        return True
    return bool(value)


def _index(value, *keys):
    for key in keys:
        if value is MISSING or value is None or isinstance(value, NilPointer):
            _fail("error calling index: index of untyped nil")
        if isinstance(value, (list, tuple, str)):
            if not isinstance(key, int) or isinstance(key, bool):
                _fail(f"error calling index: cannot index slice/array with type {_kind(key)}")
            if not 0 <= key < len(value):
                _fail(f"error calling index: index out of range: {key}")
            value = value[key] if not isinstance(value, str) else ord(value[key])
        elif isinstance(value, dict):
            if key in value:
                value = value[key]
            else:
                value = value.zero if isinstance(value, GoMap) else MISSING
        else:
            _fail(f"error calling index: can't index item of type {_kind(value)}")
    return value


def _slice(value, *bounds):
    if not isinstance(value, (list, tuple, str)):
        _fail(f"error calling slice: can't slice item of type {_kind(value)}")
    if len(bounds) > 2:
        _fail("error calling slice: too many slice indexes")
    start = bounds[0] if bounds else 0
    end = bounds[1] if len(bounds) > 1 else len(value)
    if not 0 <= start <= end <= len(value):
        _fail(f"error calling slice: index out of range: {end}")
    return value[start:end]


def _len(value):
    if isinstance(value, (str, list, tuple, dict)):
        return len(value.encode() if isinstance(value, str) else value)
    _fail(f"error calling len: len of type {_kind(value)}")


def _comparable(a, b):
    numbers = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return True
    return type(a) is type(b) or (isinstance(a, str) and isinstance(b, str))


def _eq(first, *others):
    if not others:
        _fail("error calling eq: missing argument for comparison")
    for other in others:
        if first is None or other is None or first is MISSING or other is MISSING:
            if first is other or (first in (None, MISSING) and other in (None, MISSING)):
                return True
            continue
        if not _comparable(first, other):
            _fail("error calling eq: incompatible types for comparison")
        if first == other:
            return True
    return False


def _ordered(name: str, test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a, b):
        if (
            isinstance(a, bool)
            or isinstance(b, bool)
            or not (
                isinstance(a, (int, float))
                and isinstance(b, (int, float))
                or isinstance(a, str)
                and isinstance(b, str)
            )
        ):
            _fail(f"error calling {name}: incompatible types for comparison")
        return test(a, b)

    return compare


def _go_print(*args) -> str:
    """fmt.Sprint: a space between operands when neither is a string."""
    out = []
    for i, arg in enumerate(args):
        if i and not isinstance(arg, str) and not isinstance(args[i - 1], str):
            out.append(" ")
        out.append(go_str(arg))
    return "".join(out)


def _string(value, function: str) -> str:
    if not isinstance(value, str):
        _fail(f"wrong type for value; expected string; got {_kind(value)}")
    return value


def _title(text) -> str:
    """strings.Title: the first letter of each word upper-cased, the rest left as they are."""
    text = _string(text, "title")
    return re.sub(r"(^|[^\w'])(\w)", lambda m: m.group(1) + m.group(2).upper(), text)


def _pad_fn(text, prefix: int, suffix: int) -> str:
    text = _string(text, "pad")
    return text if text == "" else " " * prefix + text + " " * suffix


def _truncate(text, length: int) -> str:
    text = _string(text, "truncate")
    return text if len(text) < length else text[:length]


def _go_html(text: str) -> str:
    """template.HTMLEscapeString."""
    table = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&#39;", '"': "&#34;", "\0": "\ufffd"}
    return "".join(table.get(c, c) for c in text)


def _js(*args) -> str:
    text = _go_print(*args)
    table = {
        "\\": "\\\\",
        "'": "\\'",
        '"': '\\"',
        "<": "\\u003C",
        ">": "\\u003E",
        "&": "\\u0026",
        "=": "\\u003D",
    }
    return "".join(table.get(c, c if c.isprintable() else f"\\u{ord(c):04X}") for c in text)


FUNCS: dict[str, Callable[..., Any]] = {
    # the CLI's (templates.basicFunctions)
    "json": lambda v: go_json(v),
    "split": lambda s, sep: GoSlice(_string(s, "split").split(_string(sep, "split")) if sep else list(s)),
    "join": lambda v, sep: _string(sep, "join").join(_string(x, "join") for x in (v or [])),
    "title": _title,
    "lower": lambda s: _string(s, "lower").lower(),
    "upper": lambda s: _string(s, "upper").upper(),
    "pad": _pad_fn,
    "truncate": _truncate,
    # Go's builtins
    "index": _index,
    "slice": _slice,
    "len": _len,
    "print": _go_print,
    "printf": lambda fmt, *a: go_sprintf(_string(fmt, "printf"), *a),
    "println": lambda *a: " ".join(go_str(x) for x in a) + "\n",
    "eq": _eq,
    "ne": lambda a, b: not _eq(a, b),
    "lt": _ordered("lt", lambda a, b: a < b),
    "le": _ordered("le", lambda a, b: a <= b),
    "gt": _ordered("gt", lambda a, b: a > b),
    "ge": _ordered("ge", lambda a, b: a >= b),
    "not": lambda a: not truthy(a),
    "html": lambda *a: _go_html(_go_print(*a)),
    "js": _js,
    "urlquery": lambda *a: urllib.parse.quote_plus(_go_print(*a)),
}
# and/or evaluate their arguments lazily (below); listed here so that they are known names
_LAZY = ("and", "or")

# The header row of a ``table`` format: the CLI runs the template on the column titles with
# these in place of its own functions, so each leaves its first argument as it is.
HEADER_FUNCS: dict[str, Callable[..., Any]] = {
    name: (lambda v, *rest: v)
    for name in ("json", "split", "join", "title", "lower", "upper", "pad", "truncate")
}
