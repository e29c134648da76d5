"""Go's template syntax: text and actions, trim markers, comments, pipelines, control blocks."""

from __future__ import annotations

import re

from .functions import _LAZY, FUNCS
from .values import _fail

MAX_NESTING = 200  # parentheses and blocks inside each other (Go has no bound; a cell must not hang)


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
