"""Values printed as Go's fmt prints them (``%v``, ``Sprintf``, ``Sprint``), and the CLI's ``json``."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal

from .values import MISSING, GoMap, GoSlice, GoStruct, NilPointer


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
