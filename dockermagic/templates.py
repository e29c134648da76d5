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

import json
import math
import re
import urllib.parse
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NoReturn

from .errors import CommandError
from .secrets import mask_doc, mask_text


class _Missing:
    """Go's invalid reflect.Value: what a missing map key gives."""

    def __str__(self):
        return "<no value>"

    def __repr__(self):
        return "MISSING"


MISSING = _Missing()


class GoStruct:
    """A Go struct decoded from JSON: ``fields`` maps Go field names to values, in field order.

    ``raw`` is the JSON object it came from (what ``json`` prints again); ``pointer`` says it
    was reached through a pointer (printed as an address when nested, as fmt does). A field
    whose value is callable is a method: it takes the template's arguments.
    """

    def __init__(self, name: str, fields: dict[str, Any], raw: Any = None, pointer: bool = False):
        self.name = name
        self.fields = fields
        self.raw = raw
        self.pointer = pointer


class NilPointer:
    """A nil ``*T``: prints ``<nil>``, and a field of it is an error."""

    def __init__(self, name: str):
        self.name = name


class GoSlice(list):
    """A typed slice; ``nil`` when the JSON held null (``[]`` printed, ``null`` as JSON)."""

    def __init__(self, items=(), nil: bool = False):
        super().__init__(items)
        self.nil = nil


class GoMap(dict):
    """A typed map: ``index`` of a missing key gives ``zero`` (the element type's zero value)."""

    def __init__(self, items=(), zero: Any = None, nil: bool = False):
        super().__init__(items)
        self.zero = zero
        self.nil = nil


class _FieldError(CommandError):
    """A field the typed document does not have: the CLI retries on the raw document."""


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def _fail(message: str) -> NoReturn:
    raise CommandError(f"template: {message}")


# -- printing, as Go's fmt ---------------------------------------------------------------


def _go_float(value: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 64) with %v's exponent bound (21), as Go prints a float64."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "0"
    number = Decimal(repr(value)).normalize()
    exponent = number.adjusted()
    if -4 <= exponent < 21:
        return format(number, "f")
    digits = "".join(map(str, number.as_tuple().digits))
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{'-' if value < 0 else ''}{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"


def go_str(value, nested: bool = False) -> str:
    """Format like Go's fmt.Sprint (``%v``)."""
    if value is MISSING:
        return "<no value>" if not nested else "<nil>"
    if value is None or isinstance(value, NilPointer):
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, GoStruct):
        if nested and value.pointer:
            return "0xc000000000"  # fmt prints a pointer inside a struct as its address
        return "{" + " ".join(go_str(v, True) for v in value.fields.values() if not callable(v)) + "}"
    if isinstance(value, dict):
        return (
            "map[" + " ".join(f"{go_str(k, True)}:{go_str(v, True)}" for k, v in _sorted_items(value)) + "]"
        )
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(go_str(v, True) for v in value) + "]"
    return str(value)


def _sorted_items(mapping: dict) -> list:
    return sorted(mapping.items(), key=lambda kv: (not isinstance(kv[0], (int, float)), kv[0]))


def _to_json(value):
    """The JSON value a Go value marshals to (a value that knows its own JSON gives that)."""
    if hasattr(value, "json_value"):
        return value.json_value
    if value is MISSING or isinstance(value, NilPointer):
        return None
    if isinstance(value, GoStruct):
        if value.raw is not None:
            return value.raw
        return {k: _to_json(v) for k, v in value.fields.items() if not callable(v)}
    if isinstance(value, (GoSlice, GoMap)) and value.nil:
        return None
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    return value


def go_json(value, escape_html: bool = False) -> str:
    """The CLI's ``json`` function: compact, UTF-8, HTML left alone (a list row marshals itself)."""
    if hasattr(value, "__go_json__"):
        return value.__go_json__()
    text = json.dumps(_to_json(value), separators=(",", ":"), ensure_ascii=False)
    if escape_html:  # Go's json.Marshal (the CLI's list rows marshal themselves with it)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _kind(value) -> str:
    """Go's type name of a value, for fmt's error verbs and the template's errors."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, GoStruct):
        return value.name
    if isinstance(value, NilPointer):
        return value.name
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, (list, tuple)):
        return "[]interface {}"
    return "<nil>" if value is None else type(value).__name__


def go_quote(text: str) -> str:
    """strconv.Quote: printable characters kept, others escaped."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\a\b\f\n\r\t\v":
            out.append(
                {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}[
                    ch
                ]
            )
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x10000:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x80 else f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out) + '"'


_VERB = re.compile(r"%([-+# 0]*)(\d+|\*)?(?:\.(\d+|\*)?)?([a-zA-Z%])")


def go_sprintf(fmt: str, *args) -> str:
    """Go's fmt.Sprintf for the verbs templates use (v s d q t f e g x X o b c %)."""
    out, used, pos = [], 0, 0
    for m in _VERB.finditer(fmt):
        out.append(fmt[pos : m.start()])
        pos = m.end()
        flags, width, prec, verb = m.group(1), m.group(2), m.group(3), m.group(4)
        if verb == "%":
            out.append("%")
            continue
        if width == "*":
            width, used = (str(args[used]) if used < len(args) else "0"), used + 1
        if prec == "*":
            prec, used = (str(args[used]) if used < len(args) else "0"), used + 1
        if used >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        arg = args[used]
        used += 1
        if width and (not width.lstrip("-").isdigit() or abs(int(width)) > 1_000_000):
            out.append("%!(BADWIDTH)")  # fmt's answer to a width over a million
            continue
        if prec and (not prec.isdigit() or int(prec) > 1_000_000):
            out.append("%!(BADPREC)")
            continue
        out.append(_pad(_verb(verb, arg, flags, prec), flags, width, verb))
    out.append(fmt[pos:])
    if used < len(args):
        extra = ", ".join(f"{_kind(a)}={go_str(a)}" for a in args[used:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def _verb(verb: str, arg, flags: str, prec: str | None) -> str:
    is_int = isinstance(arg, int) and not isinstance(arg, bool)
    if verb == "v":
        if "+" in flags and isinstance(arg, GoStruct):
            return "{" + " ".join(f"{k}:{go_str(v, True)}" for k, v in arg.fields.items()) + "}"
        return go_str(arg)
    if verb == "s":
        if isinstance(arg, (int, float)) or isinstance(arg, bool):
            return f"%!s({_kind(arg)}={go_str(arg)})"
        text = go_str(arg)
        return text[: int(prec)] if prec is not None else text
    if verb == "q":
        if is_int:
            return "'" + chr(arg) + "'"
        if isinstance(arg, str):
            return go_quote(arg)
        if isinstance(arg, (list, tuple)):
            return "[" + " ".join(go_quote(x) if isinstance(x, str) else go_str(x, True) for x in arg) + "]"
        return f"%!q({_kind(arg)}={go_str(arg)})"
    if verb == "t":
        return go_str(arg) if isinstance(arg, bool) else f"%!t({_kind(arg)}={go_str(arg)})"
    if verb in "dboxXc" and is_int:
        if verb == "c":
            return chr(arg)
        spec = {"d": "d", "b": "b", "o": "o", "x": "x", "X": "X"}[verb]
        sign = "+" if "+" in flags and arg >= 0 else ""
        return sign + format(arg, spec)
    if verb in "xX" and isinstance(arg, str):
        text = arg.encode().hex()
        return text.upper() if verb == "X" else text
    if verb in "feEgG" and isinstance(arg, (int, float)) and not isinstance(arg, bool):
        value = float(arg)
        if verb in "gG" and prec is None:
            return _go_float(value)
        return format(value, f".{6 if prec is None else int(prec)}{verb}")
    return f"%!{verb}({_kind(arg)}={go_str(arg)})"


def _pad(text: str, flags: str, width: str | None, verb: str) -> str:
    if not width:
        return text
    n = int(width)
    if "-" in flags:
        return text.ljust(n)
    if "0" in flags and verb in "dfeEgGxXob":
        sign = text[0] if text[:1] in "+-" else ""
        return sign + text[len(sign) :].rjust(n - len(sign), "0")
    return text.rjust(n)


# -- functions ------------------------------------------------------------------------------


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


# -- lexing and parsing -------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<decl>:=)
  | (?P<pipe>\|)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
  | (?P<assign>=)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<raw>`[^`]*`)
  | (?P<char>'(?:[^'\\\n]|\\.)+')
  | (?P<number>[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?))
  | (?P<field>(?:\.[A-Za-z_]\w*)+)
  | (?P<dot>\.)
  | (?P<var>\$\w*)
  | (?P<ident>[A-Za-z_]\w*)
    """,
    re.X,
)

_KEYWORDS = {"if", "else", "end", "range", "with", "break", "continue", "define", "template", "block"}


def _lex_action(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            _fail(f"unexpected {text[pos]!r} in command")
        kind = m.lastgroup or ""
        value = m.group()
        if kind == "number" and m.end() < len(text) and (text[m.end()].isalnum() or text[m.end()] in "._"):
            # 3x or 1.2.3: Go reads a bad number
            tail = re.match(r"[\w.]*", text[m.end() :])
            _fail(f"bad number syntax: {value + (tail.group() if tail else '')!r}")
        if kind == "field" and tokens and tokens[-1][0] in ("rparen", "var", "field"):
            kind = "chain"
        if kind == "var" and m.end() < len(text) and text[m.end()] == ".":
            fm = re.compile(r"(?:\.[A-Za-z_]\w*)+").match(text, m.end())
            if fm:
                tokens.append(("var", value))
                tokens.append(("chain", fm.group()))
                pos = fm.end()
                continue
        if kind != "space":
            tokens.append((kind, value))
        elif tokens:
            tokens.append(("space", " "))
        pos = m.end()
    while tokens and tokens[-1][0] == "space":
        tokens.pop()
    return tokens


def _split_actions(source: str) -> list[tuple[str, str]]:
    """Text and actions, with trim markers applied and comments dropped."""
    parts: list[tuple[str, str]] = []
    pos = 0
    while True:
        start = source.find("{{", pos)
        if start < 0:
            parts.append(("text", source[pos:]))
            return parts
        text = source[pos:start]
        inner = start + 2
        trim_left = (
            source.startswith("-", inner) and inner + 1 < len(source) and source[inner + 1] in " \t\r\n"
        )
        if trim_left:
            text = text.rstrip(" \t\r\n")
            inner += 2
        parts.append(("text", text))
        end, i, quote = -1, inner, ""
        while i < len(source):
            c = source[i]
            if quote:
                if c == "\\" and quote != "`":
                    i += 1
                elif c == quote:
                    quote = ""
            elif c in "\"'`":
                quote = c
            elif source.startswith("/*", i) and not source[inner:i].strip():
                close = source.find("*/", i + 2)
                if close < 0:
                    _fail("unclosed comment")
                i = close + 1
            elif source.startswith("}}", i):
                end = i
                break
            i += 1
        if end < 0:
            _fail("unterminated quoted string" if quote else "unclosed action")
        body = source[inner:end]
        trim_right = body.endswith(" -") or body.endswith("\t-") or body.endswith("\n-") or body == "-"
        if trim_right:
            body = body[:-1]
        pos = end + 2
        if trim_right:
            while pos < len(source) and source[pos] in " \t\r\n":
                pos += 1
        stripped = body.strip()
        if stripped.startswith("/*"):
            if not stripped.endswith("*/"):
                _fail("comment ends before closing delimiter")
            continue
        if not stripped:
            _fail("missing value for command")
        parts.append(("action", stripped))


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.parts = _split_actions(source)
        self.pos = 0
        self.vars: list[str] = ["$"]
        self.ranges = 0  # how many range bodies the parser is inside (break and continue need one)
        self.depth = 0  # blocks and parentheses open

    def parse(self):
        nodes, stop = self._list()
        if stop is not None:
            _fail(f"unexpected {{{{{stop[0]}}}}}")
        return nodes

    def _list(self, inside=()):
        nodes = []
        while self.pos < len(self.parts):
            kind, value = self.parts[self.pos]
            self.pos += 1
            if kind == "text":
                if value:
                    nodes.append(("text", value))
                continue
            tokens = _lex_action(value)
            word = tokens[0][1] if tokens and tokens[0][0] == "ident" else ""
            if word in ("end", "else"):
                if not inside or (word == "else" and "else" not in inside):
                    _fail(f"unexpected {{{{{value}}}}}")
                return nodes, (word, tokens[1:])
            if word in ("if", "with", "range"):
                nodes.append(self._control(word, tokens[1:]))
            elif word in ("break", "continue"):
                if not self.ranges:
                    _fail(f"{{{{{word}}}}} outside {{{{range}}}}")
                if len(tokens) > 1:
                    _fail(f"unexpected {tokens[2][1] if len(tokens) > 2 else ''} in {{{{{word}}}}}")
                nodes.append((word,))
            elif word in ("define", "template", "block"):
                _fail(f"{{{{{word}}}}} is not supported in --format")
            else:
                nodes.append(("action", self._pipeline(tokens, allow_decl=True)))
        if inside:
            _fail("unexpected EOF: missing {{end}}")
        return nodes, None

    def _control(self, word: str, tokens):
        self._deeper()
        depth = len(self.vars)
        pipe = self._pipeline(tokens, allow_decl=True, in_range=word == "range")
        if not pipe[1]:
            _fail(f"missing value for {word}")
        self.ranges += word == "range"
        body, stop = self._list(("end", "else"))
        self.ranges -= word == "range"
        other: list = []
        if stop and stop[0] == "else":
            rest = [t for t in stop[1] if t[0] != "space"]
            if rest and rest[0] == ("ident", word) and word in ("if", "with"):
                other = [self._control(word, stop[1][2:])]  # else if / else with: ends at the same {{end}}
            elif rest:
                _fail(f"unexpected {rest[0][1]} in else")
            else:
                other, stop = self._list(("end",))
                if stop is None or stop[0] != "end":
                    _fail("expected end; found else")
        del self.vars[depth:]
        self.depth -= 1
        return (word, pipe, body, other)

    def _pipeline(self, tokens, allow_decl=False, in_range=False):
        tokens = [t for t in tokens]
        decl: list[str] = []
        assign = False
        plain = [t for t in tokens if t[0] != "space"]
        for i, tok in enumerate(plain):
            if tok[0] in ("decl", "assign"):
                names = plain[:i]
                ok = (
                    names
                    and names[0][0] == "var"
                    and (
                        len(names) == 1
                        or (in_range and len(names) == 3 and names[1][0] == "comma" and names[2][0] == "var")
                    )
                )
                if tok[0] == "assign" and len(names) == 1 and names[0][0] == "var":
                    ok = True
                if not ok:
                    if tok[0] == "assign":
                        break
                    _fail("too many declarations in command")
                decl = [n[1] for n in names if n[0] == "var"]
                assign = tok[0] == "assign"
                if assign:
                    for name in decl:
                        if name not in self.vars:
                            _fail(f'undefined variable "{name}"')
                else:
                    self.vars.extend(decl)
                # drop the names and the sign from the token list
                count = 0
                for j, t in enumerate(tokens):
                    if t[0] != "space":
                        count += 1
                    if count == i + 1:
                        tokens = tokens[j + 1 :]
                        break
                break
        commands, current = [], []
        stream = iter(tokens + [("end", "")])
        for tok in stream:
            if tok[0] in ("pipe", "end"):
                words = self._words(current)
                if not words:
                    _fail("missing command in pipeline")
                commands.append(words)
                current = []
            elif tok[0] == "lparen":
                current.append(("group", self._group(stream)))
            elif tok[0] == "rparen":
                _fail("unexpected right paren")
            else:
                current.append(tok)
        for i, cmd in enumerate(commands[1:], 1):
            head = cmd[0]
            if head[0] in ("dot", "number", "string", "raw", "char") or head in (
                ("ident", "true"),
                ("ident", "false"),
                ("ident", "nil"),
            ):
                _fail(f"non executable command in pipeline stage {i + 1}")
        return (decl, commands, assign)

    def _deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            _fail(f"more than {MAX_NESTING} blocks or parentheses inside each other")

    def _group(self, stream):
        self._deeper()
        depth, inner = 0, []
        for tok in stream:
            if tok[0] == "end":
                break
            if tok[0] == "lparen":
                depth += 1
            elif tok[0] == "rparen":
                if depth == 0:
                    group = self._pipeline(inner)
                    self.depth -= 1
                    return group
                depth -= 1
            inner.append(tok)
        _fail("unclosed left paren")

    def _words(self, tokens):
        """A command's operands: spaces separate them; a term and its field chain are one."""
        words: list = []
        glued = False
        for tok in tokens:
            if tok[0] == "space":
                glued = False
                continue
            if tok[0] == "chain":
                if not words or not glued:
                    _fail("unexpected . after term")
                words[-1] = ("chainterm", (words[-1], tok[1]))
            elif glued and words:
                _fail("missing space between operands")
            else:
                if tok[0] == "var" and tok[1] not in self.vars:
                    _fail(f'undefined variable "{tok[1]}"')
                if tok[0] == "ident" and tok[1] in _KEYWORDS:
                    _fail(f"unexpected {tok[1]} in command")
                if (
                    tok[0] == "ident"
                    and tok[1] not in FUNCS
                    and tok[1] not in _LAZY
                    and tok[1] not in ("true", "false", "nil")
                ):
                    _fail(f'function "{tok[1]}" not defined')
                if tok[0] in ("comma", "decl", "assign"):
                    _fail(f"unexpected {tok[1]!r} in operand")
                words.append(tok)
            glued = True
        return words


# -- execution ------------------------------------------------------------------------------


class _State:
    def __init__(self, root, funcs, missing_error: bool):
        self.vars: list[tuple[str, Any]] = [("$", root)]
        self.funcs = funcs
        self.missing_error = missing_error
        self.size = 0  # characters written

    def lookup(self, name: str):
        for key, value in reversed(self.vars):
            if key == name:
                return value
        _fail(f"undefined variable: {name}")

    def set(self, name: str, value) -> None:
        for i in range(len(self.vars) - 1, -1, -1):
            if self.vars[i][0] == name:
                self.vars[i] = (name, value)
                return
        _fail(f"undefined variable: {name}")


def _field(state: _State, receiver, name: str, args: list, final: bool):
    if isinstance(receiver, GoStruct):
        if name not in receiver.fields:
            raise _FieldError(f"template: can't evaluate field {name} in type {receiver.name}")
        value = receiver.fields[name]
        if callable(value):
            return value(*args)
        if args:
            _fail(f"{name} has arguments but cannot be invoked as function")
        return value
    if isinstance(receiver, NilPointer):
        _fail(f"nil pointer evaluating {receiver.name}.{name}")
    if isinstance(receiver, dict):
        if callable(receiver.get(name)):  # a method on a map type (the CLI's header row has some)
            return receiver[name](*args)
        if args:
            _fail(f"{name} is not a method but has arguments")
        if name in receiver:
            return receiver[name]
        if state.missing_error:
            _fail(f'map has no entry for key "{name}"')
        return MISSING
    if receiver is None or receiver is MISSING:
        _fail(f"nil pointer evaluating interface {{}}.{name}")
    raise _FieldError(f"template: can't evaluate field {name} in type {_kind(receiver)}")


def _fields(state, receiver, chain: str, args=(), final_args=True):
    names = [n for n in chain.split(".") if n]
    for i, name in enumerate(names):
        last = i == len(names) - 1
        receiver = _field(state, receiver, name, list(args) if last else [], last)
    return receiver


def _literal(tok):
    kind, value = tok
    if kind == "string":
        try:
            return json.loads(value) if "\\x" not in value and "\\'" not in value else _go_unquote(value)
        except ValueError:
            return _go_unquote(value)
    if kind == "raw":
        return value[1:-1].replace("\r", "")
    if kind == "char":
        text = _go_unquote('"' + value[1:-1].replace('"', '\\"') + '"')
        if len(text) != 1:
            _fail(f"malformed character constant: {value}")
        return ord(text)
    if kind == "number":
        clean = value.replace("_", "")
        try:
            if re.fullmatch(r"[+-]?0[xXbBoO].*", clean):
                return int(clean, 0)
            if re.fullmatch(r"[+-]?\d+", clean):
                return int(clean)
            return float(clean)
        except ValueError:
            _fail(f"bad number syntax: {value!r}")
    if kind == "ident" and value in ("true", "false"):
        return value == "true"
    return _NOT_LITERAL


_NOT_LITERAL = object()


def _go_unquote(text: str) -> str:
    body = text[1:-1]
    try:
        return body.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except (UnicodeDecodeError, ValueError):
        _fail(f"bad string literal {text}")


def _arg(state, tok, dot):
    """An operand's value."""
    kind, value = tok
    literal = _literal(tok)
    if literal is not _NOT_LITERAL:
        return literal
    if kind == "dot":
        return dot
    if kind == "field":
        return _fields(state, dot, value)
    if kind == "var":
        return state.lookup(value)
    if kind == "group":
        return _pipe(state, value, dot)
    if kind == "chainterm":
        base, chain = value
        return _fields(state, _arg(state, base, dot), chain)
    if kind == "ident" and value == "nil":
        return None
    if kind == "ident":
        return _call(state, value, [], dot, _NOTHING)
    _fail(f"can't handle {value}")


_NOTHING = object()


def _later(state, word, dot) -> Callable[[], Any]:
    return lambda: _arg(state, word, dot)


def _call(state, name: str, words, dot, piped):
    if name in _LAZY:
        values: list[Callable[[], Any]] = [_later(state, w, dot) for w in words]
        if piped is not _NOTHING:
            values.append(lambda: piped)
        if not values:
            _fail(f"wrong number of args for {name}: want at least 1 got 0")
        result = None
        for get in values:
            result = get()
            if truthy(result) != (name == "and"):
                return result
        return result
    fn = state.funcs.get(name) or FUNCS[name]
    args = [_arg(state, w, dot) for w in words]
    if piped is not _NOTHING:
        args.append(piped)
    try:
        return fn(*args)
    except CommandError:
        raise
    except TypeError:
        _fail(f"wrong number of args for {name}: got {len(args)}")
    except Exception as exc:  # a function's own failure: Go reports it as "error calling"
        _fail(f"error calling {name}: {exc}")


def _command(state, words, dot, piped=_NOTHING):
    head, args = words[0], words[1:]
    kind, value = head
    if kind == "ident" and value not in ("true", "false", "nil"):
        return _call(state, value, args, dot, piped)
    extra = [_arg(state, a, dot) for a in args] + ([piped] if piped is not _NOTHING else [])
    if kind == "field":
        return _fields(state, dot, value, extra)
    if kind == "chainterm":
        base, chain = value
        return _fields(state, _arg(state, base, dot), chain, extra)
    if extra:
        _fail(f"can't give argument to non-function {_show(head)}")
    if kind == "ident" and value == "nil":
        _fail("nil is not a command")
    return _arg(state, head, dot)


def _show(tok) -> str:
    kind, value = tok
    if kind == "group":
        return "(...)"
    if kind == "chainterm":
        return _show(value[0]) + value[1]
    return value


def _pipe(state, pipe, dot):
    decl, commands, assign = pipe
    value = _NOTHING
    for words in commands:
        value = _command(state, words, dot, value)
    if decl:
        if assign:
            state.set(decl[0], value)
        else:
            state.vars.append((decl[0], value))
    return value


# Bounds Go does not have: a notebook cell must not hang or fill the kernel's memory on a typo.
MAX_OUTPUT = 64_000_000  # characters a template may write
MAX_RANGE = 1_000_000  # iterations of a range over an integer
MAX_NESTING = 200  # parentheses and blocks inside each other


def _write(state, out, text: str) -> None:
    state.size += len(text)
    if state.size > MAX_OUTPUT:
        _fail(f"output over {MAX_OUTPUT:,} characters: stopped")
    out.append(text)


def _execute(state, nodes, dot, out):
    for node in nodes:
        kind = node[0]
        if kind == "text":
            _write(state, out, node[1])
        elif kind == "action":
            value = _pipe(state, node[1], dot)
            if not node[1][0]:  # a declaration prints nothing
                _write(state, out, value if isinstance(value, str) else go_str(value))
        elif kind == "break":
            raise _Break
        elif kind == "continue":
            raise _Continue
        else:
            depth = len(state.vars)
            _, pipe, body, other = node
            if kind == "range":
                _range(state, pipe, body, other, dot, out)
            else:
                value = _pipe(state, pipe, dot)
                chosen = body if truthy(value) else other
                _execute(state, chosen, value if kind == "with" and truthy(value) else dot, out)
            del state.vars[depth:]


def _range(state, pipe, body, other, dot, out):
    decl, commands, _ = pipe
    value = _pipe(state, ([], commands, False), dot)
    if isinstance(value, dict):
        items = _sorted_items(value)
    elif isinstance(value, (list, tuple)):
        items = list(enumerate(value))
    elif isinstance(value, int) and not isinstance(value, bool):
        if value > MAX_RANGE:
            _fail(f"range over {value}: at most {MAX_RANGE:,} iterations here")
        items = [(i, i) for i in range(value)]
    elif value is None or value is MISSING or isinstance(value, NilPointer):
        items = []
    else:
        _fail(f"range can't iterate over {go_str(value)}")
    if not items:
        _execute(state, other, dot, out)
        return
    depth = len(state.vars)
    for key, item in items:
        if len(decl) == 1:
            state.vars.append((decl[0], item))
        elif len(decl) == 2:
            state.vars.append((decl[0], key))
            state.vars.append((decl[1], item))
        try:
            _execute(state, body, item, out)
        except _Continue:
            pass
        except _Break:
            break
        finally:
            del state.vars[depth:]


class Template:
    """A parsed template, executed any number of times (``execute(data)``)."""

    def __init__(self, source: str):
        self.source = source
        self.nodes = _Parser(source).parse()

    def execute(self, data, raw=None, funcs=None, missing_error: bool = False, partial: bool = False) -> str:
        """The output; ``partial``: on an error, what was written before it (as Go leaves it)."""
        out: list[str] = []
        try:
            _execute(_State(data, funcs or {}, missing_error), self.nodes, data, out)
        except _FieldError:
            if raw is not None:  # as the CLI's inspect: once more on the raw document
                return self.execute(raw, missing_error=True, funcs=funcs)
            if not partial:
                raise
            return "".join(out)
        except CommandError:
            if not partial:
                raise
            return "".join(out)
        except RecursionError:
            _fail("exceeded maximum template depth")
        return "".join(out)


def parse(template: str) -> Template:
    """Parse once; errors are one-line CommandErrors that start with ``template:``."""
    return Template(template)


def render(template: str | Template, data, raw=None) -> str:
    """Execute ``template`` on ``data``; errors become one-line CommandErrors.

    ``raw``: the JSON document ``data`` was typed from: a template that names a field the
    typed document lacks runs again on it, missing keys then errors, as the CLI's inspect does.
    Secrets are masked in the data (env lists) and in the result (``NAME=value`` text such as
    a ``Cmd`` that sets one), as in every other output.
    """
    parsed = template if isinstance(template, Template) else Template(template)
    masked_raw = mask_doc(raw) if raw is not None else None
    return mask_text(parsed.execute(_masked(data), masked_raw))


def _masked(data):
    if isinstance(data, GoStruct):
        return data  # typed documents are built from masked JSON (documents.typed)
    return mask_doc(data)
