"""Read a magic line with the user's Python values put in: the ``{expr}`` step.

The line is read by ``parsing.shellwords`` (quotes, ``$VAR``, ``~``, comments
and the refusal of shell syntax: README, "Pasting shell lines"); this module
gives it the evaluator for ``{expr}`` (``{name!r}``, ``{n:>3}`` too) in the
user's namespace.  A value lands inside the word it was written in and never
splits it: ``-e A={v}`` is one argument whatever ``v`` holds.  Left as they
are: single-quoted text, Go templates ``{{...}}``, ``\\{`` and an empty ``{}``;
``${VAR}`` is the environment's, never an expression.

Cell bodies (``%%dexec --expand``) are text, not words: ``expand_text`` puts
``{expr}`` values in and leaves ``$VAR`` to the shell inside the container.
"""

from __future__ import annotations

from .errors import CommandError
from .parsing.shellwords import Expanded, ShellLine, closing_brace, read

__all__ = ["Expanded", "ShellLine", "expand_text", "read_line", "split_expand"]


def read_line(line: str, namespace: dict) -> ShellLine:
    """``line``'s words with ``$VAR``, ``~`` and ``{expr}`` values in place (each stays one word)."""
    return read(line, evaluate=lambda expr: _value(expr, namespace))


def split_expand(line: str, namespace: dict) -> list[str]:
    """The words of ``read_line``."""
    return read_line(line, namespace).words


def expand_text(text: str, namespace: dict) -> str:
    """``{expr}`` in free text (a cell body); ``{{``, ``${VAR}``, ``\\{`` and ``{}`` stay."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if text.startswith("{{", i):
            end = text.find("}}", i + 2)
            end = n if end < 0 else end + 2
            out.append(text[i:end])
            i = end
        elif ch == "\\" and text.startswith("{", i + 1):
            out.append("\\{")
            i += 2
        elif ch == "$" and text.startswith("{", i + 1):
            end = text.find("}", i + 2)
            end = n if end < 0 else end + 1
            out.append(text[i:end])
            i = end
        elif ch == "{":
            end = closing_brace(text, i)
            expr = text[i + 1 : end]
            out.append(text[i : end + 1] if not expr.strip() else _value(expr, namespace))
            i = end + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _value(expr: str, namespace: dict) -> str:
    try:
        return _evaluate(expr, namespace)
    except Exception as exc:  # the user's expression: any error is theirs to fix
        message = " ".join(str(exc).split())[:200]
        raise CommandError(
            f"Could not expand {{{expr}}}: {type(exc).__name__}: {message}. "
            "Define it first, or quote the text with '...' to keep the braces."
        ) from None


def _evaluate(expr: str, namespace: dict) -> str:
    """``expr``, ``expr!r`` or ``expr:spec``, as in an f-string, in the user's namespace."""
    try:
        return str(eval(expr, namespace))  # noqa: S307 - the user's own namespace
    except SyntaxError:
        pass
    conversion, spec = "", ""
    body = expr
    colon = body.rfind(":")
    if colon > 0:
        body, spec = body[:colon], body[colon + 1 :]
    if len(body) > 2 and body[-2] == "!" and body[-1] in "rsa":
        body, conversion = body[:-2], body[-1]
    value = eval(body, namespace)  # noqa: S307
    if conversion:
        value = repr(value) if conversion == "r" else ascii(value) if conversion == "a" else str(value)
    return format(value, spec)
