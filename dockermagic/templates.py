"""A subset of Go's text/template, enough for the docker CLI's ``--format``.

Supported: ``{{.A.B}}``, ``{{.}}``, ``{{$}}``, variables (``$v``), pipelines
(``{{.X | json}}``), ``range`` (with ``$k, $v :=``), ``if``/``else if``/``else``,
``with``, ``end``, trim markers ``{{-`` / ``-}}``, and the CLI's functions
``json``, ``index``, ``printf``, ``print``, ``println``, ``join``, ``split``,
``upper``, ``lower``, ``title``, ``len``, ``truncate``, ``pad``, ``eq``,
``ne``, ``not``, ``and``, ``or``. Values print the way Go's ``fmt`` prints
decoded JSON (``map[k:v]``, ``[a b]``, ``<no value>``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .errors import CommandError
from .secrets import mask_doc, mask_text

_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.S)


class _Missing:
    def __str__(self):
        return "<no value>"


MISSING = _Missing()


def go_str(value) -> str:
    """Format like Go's fmt.Sprint on values decoded from JSON."""
    if value is MISSING:
        return "<no value>"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_str(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(go_str(v) for v in value) + "]"
    return str(value)


def _truthy(value) -> bool:
    return value not in (None, MISSING, False, 0, "", [], {}, ())


def _printf(fmt, *args):
    # Go verbs map onto Python's for the common cases (%s %d %v %q)
    fmt = fmt.replace("%v", "%s")
    # %q quotes as Go does (printable non-ASCII kept); a bool prints as Go's true/false, not as a number
    converted = tuple(
        json.dumps(a, ensure_ascii=False)
        if "%q" in fmt
        else a
        if isinstance(a, (int, float)) and not isinstance(a, bool)
        else go_str(a)
        for a in args
    )
    return fmt.replace("%q", "%s") % converted


def _go_json(value) -> str:
    # Engine documents already carry Go's key order (struct order, sorted maps);
    # Go writes UTF-8 and escapes <, > and & for HTML safety.
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _index(value, *keys):
    for key in keys:
        try:
            value = value[key] if not isinstance(value, list) else value[int(key)]
        except (KeyError, IndexError, TypeError, ValueError):
            return MISSING
    return value


FUNCS: dict[str, Callable[..., Any]] = {
    "json": lambda v: _go_json(None if v is MISSING else v),
    "index": _index,
    "printf": _printf,
    "print": lambda *a: "".join(go_str(x) for x in a),
    "println": lambda *a: " ".join(go_str(x) for x in a) + "\n",
    "join": lambda v, sep: sep.join(go_str(x) for x in (v or [])),
    "split": lambda s, sep: s.split(sep),
    "upper": lambda s: go_str(s).upper(),
    "lower": lambda s: go_str(s).lower(),
    "title": lambda s: go_str(s).title(),
    "len": lambda v: len(v or ()),
    "truncate": lambda s, n: go_str(s)[: int(n)],
    "pad": lambda s, left, right: " " * int(left) + go_str(s) + " " * int(right),
    "eq": lambda a, *b: any(a == x for x in b),
    "ne": lambda a, b: a != b,
    "not": lambda a: not _truthy(a),
    "and": lambda *a: next((x for x in a if not _truthy(x)), a[-1]),
    "or": lambda *a: next((x for x in a if _truthy(x)), a[-1]),
}


def _tokens(text: str) -> list[str]:
    """A pipeline's words and '|': quoted strings and (...) groups stay whole, as Go reads them."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if text[i] == "|":
            out.append("|")
            i += 1
            continue
        start, depth, quote = i, 0, ""
        while i < n:
            c = text[i]
            if quote:
                if c == "\\" and quote == '"':
                    i += 1  # an escaped character, e.g. \" inside "..."
                elif c == quote:
                    quote = ""
            elif c in '"`':
                quote = c
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif depth <= 0 and (c.isspace() or c == "|"):
                break
            i += 1
        out.append(text[start:i])
    return out


class _Template:
    def __init__(self, source: str):
        self.source = source
        self.pos = 0
        self.parts = self._lex(source)

    @staticmethod
    def _lex(source):
        parts, last = [], 0
        for m in _ACTION.finditer(source):
            text = source[last : m.start()]
            if m.group(1):
                text = text.rstrip()
            parts.append(("text", text))
            parts.append(("action", m.group(2).strip()))
            last = m.end()
            if m.group(3):
                rest = source[last:]
                last += len(rest) - len(rest.lstrip())
        if "{{" in source[last:]:
            # Go refuses an action left open rather than printing it.
            raise CommandError(f"template: unclosed action in {source!r}")
        parts.append(("text", source[last:]))
        return parts

    def parse(self):
        body, stop = self._block(())
        if stop is not None:
            raise CommandError(f"template: unexpected {{{{{stop}}}}} in {self.source!r}")
        return body

    def _block(self, stops):
        nodes = []
        while self.pos < len(self.parts):
            kind, value = self.parts[self.pos]
            self.pos += 1
            if kind == "text":
                if value:
                    nodes.append(("text", value))
                continue
            word = value.split(None, 1)[0] if value else ""
            if word in ("end", "else"):
                if word not in stops and not (word == "else" and "else" in stops):
                    raise CommandError(f"template: unexpected {{{{{value}}}}} in {self.source!r}")
                return nodes, value
            if word in ("range", "if", "with"):
                nodes.append(self._control(word, value[len(word) :].strip()))
            elif word.startswith("/*"):
                continue
            else:
                nodes.append(("expr", value))
        if stops:
            raise CommandError(f"template: missing {{{{end}}}} in {self.source!r}")
        return nodes, None

    def _control(self, word, expr):
        body, stop = self._block(("end", "else"))
        other = []
        if stop is not None and stop.startswith("else"):
            rest = stop[4:].strip()
            if rest.startswith("if "):
                other = [self._control("if", rest[3:].strip())]
            else:
                other, stop = self._block(("end",))
        return (word, expr, body, other)


class _Context:
    def __init__(self, root):
        self.root = root
        self.vars = [{"$": root}]

    def lookup(self, name):
        for scope in reversed(self.vars):
            if name in scope:
                return scope[name]
        raise CommandError(f"template: undefined variable {name}")


def _field(value, path: str):
    for part in [p for p in path.split(".") if p]:
        if isinstance(value, dict):
            value = value.get(part, MISSING)
        else:
            attr = getattr(value, part, MISSING)
            value = attr() if callable(attr) else attr
        if value is MISSING:
            return MISSING
    return value


def _operand(tok: str, dot, ctx: _Context):
    if tok.startswith('"') and tok.endswith('"') and len(tok) >= 2:
        return json.loads(tok)
    if tok.startswith("`") and tok.endswith("`"):
        return tok[1:-1]
    if tok.startswith("."):
        return dot if tok == "." else _field(dot, tok)
    if tok.startswith("$"):
        name, _, path = tok.partition(".")
        base = ctx.lookup(name)
        return _field(base, path) if path else base
    if re.fullmatch(r"-?\d+", tok):
        return int(tok)
    if tok in ("true", "false"):
        return tok == "true"
    if tok in FUNCS:
        return FUNCS[tok]()
    if tok.startswith("(") and tok.endswith(")"):
        return _pipeline(tok[1:-1], dot, ctx)
    raise CommandError(f'template: function "{tok}" not defined')


_NOTHING = object()


def _command(tokens, dot, ctx, piped=_NOTHING):
    head, args = tokens[0], tokens[1:]
    if head in FUNCS:
        values = [_operand(a, dot, ctx) for a in args]
        if piped is not _NOTHING:
            values.append(piped)
        try:
            return FUNCS[head](*values)
        except CommandError:
            raise
        except Exception as exc:
            raise CommandError(f"template: error calling {head}: {exc}") from None
    if args:
        raise CommandError(f"template: can't give argument to non-function {head}")
    return _operand(head, dot, ctx)


def _pipeline(expr: str, dot, ctx: _Context):
    tokens = _tokens(expr)
    declared = None
    if ":=" in tokens or "=" in tokens:
        sign = tokens.index(":=") if ":=" in tokens else tokens.index("=")
        declared = [t.rstrip(",") for t in tokens[:sign]]
        tokens = tokens[sign + 1 :]
    value, command, first = None, [], True
    for tok in tokens + ["|"]:
        if tok != "|":
            command.append(tok)
            continue
        if not command:
            raise CommandError(f"template: missing command in {expr!r}")
        # in a pipeline, each command after the first gets the previous value as its last argument
        value = _command(command, dot, ctx) if first else _command(command, dot, ctx, value)
        command, first = [], False
    if declared and len(declared) == 1:
        ctx.vars[-1][declared[0]] = value
        return ""
    return value


def _execute(nodes, dot, ctx, out):
    for node in nodes:
        kind = node[0]
        if kind == "text":
            out.append(node[1])
        elif kind == "expr":
            value = _pipeline(node[1], dot, ctx)
            out.append(value if isinstance(value, str) else go_str(value))
        else:
            _, expr, body, other = node
            names = None
            if kind == "range" and ":=" in expr:
                left, expr = expr.split(":=", 1)
                names = [n.strip() for n in left.split(",")]
            value = _pipeline(expr, dot, ctx)
            if kind == "if":
                _execute(body if _truthy(value) else other, dot, ctx, out)
            elif kind == "with":
                _execute(body if _truthy(value) else other, value if _truthy(value) else dot, ctx, out)
            else:
                items = (
                    sorted(value.items())
                    if isinstance(value, dict)
                    else list(enumerate(value))
                    if isinstance(value, (list, tuple))
                    else []
                )
                if not items:
                    _execute(other, dot, ctx, out)
                for key, item in items:
                    ctx.vars.append({})
                    if names:
                        if len(names) == 2:
                            ctx.vars[-1][names[0]], ctx.vars[-1][names[1]] = key, item
                        else:
                            ctx.vars[-1][names[0]] = item
                    _execute(body, item, ctx, out)
                    ctx.vars.pop()


def render(template: str, data) -> str:
    """Render ``template`` against ``data``; errors become one-line CommandErrors.

    Secrets are masked in the data (env lists) and in the result (``NAME=value``
    text such as a ``Cmd`` that sets one), as in every other output.
    """
    nodes = _Template(template).parse()
    data = mask_doc(data)
    out: list[str] = []
    _execute(nodes, data, _Context(data), out)
    return mask_text("".join(out))
