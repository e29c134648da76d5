"""Running a parsed template on a document, with Go's rules for fields, variables and blocks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ..errors import CommandError
from ..secrets import mask_doc, mask_text
from .functions import _LAZY, FUNCS, truthy
from .gofmt import _kind, _sorted_items, go_str
from .parser import _Parser
from .values import MISSING, GoStruct, NilPointer, _Break, _Continue, _fail, _FieldError


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
