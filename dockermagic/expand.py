"""``{expr}`` expansion for magic lines that leaves Go templates and ``$VAR`` alone.

IPython's own expansion turns ``{{`` into ``{`` and expands ``$VAR``, which
would break ``--format '{{.Name}}'`` and ``sh -c 'echo $HOME'``.  Here only a
single-brace ``{expr}`` is evaluated in the user's namespace; ``{{...}}`` and
``$`` pass through untouched.
"""
from __future__ import annotations

from .errors import CommandError


def expand(line: str, namespace: dict) -> str:
    out = []
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if line.startswith("{{", i):
            end = line.find("}}", i + 2)
            end = n if end < 0 else end + 2
            out.append(line[i:end])
            i = end
            continue
        if ch == "{":
            depth, j = 1, i + 1
            while j < n and depth:
                depth += {"{": 1, "}": -1}.get(line[j], 0)
                j += 1
            if depth:
                raise CommandError(f"Unclosed '{{' in: {line[i:]}. Close it, or write {{{{ for a literal brace.")
            expr = line[i + 1:j - 1]
            try:
                out.append(_evaluate(expr, namespace))
            except Exception as exc:
                raise CommandError(
                    f"Could not expand {{{expr}}}: {type(exc).__name__}: {exc}. "
                    "Define it first, or write {{ and }} for literal braces."
                ) from None
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _evaluate(expr: str, namespace: dict) -> str:
    """``expr``, ``expr!r`` or ``expr:spec``, as in an f-string, in the user's namespace."""
    try:
        return str(eval(expr, namespace))  # noqa: S307 - the user's own namespace
    except SyntaxError:
        pass
    conversion, spec = None, ""
    body = expr
    colon = body.rfind(":")
    if colon > 0:
        body, spec = body[:colon], body[colon + 1:]
    if len(body) > 2 and body[-2] == "!" and body[-1] in "rsa":
        body, conversion = body[:-2], body[-1]
    value = eval(body, namespace)  # noqa: S307
    value = {"r": repr, "s": str, "a": ascii}.get(conversion, lambda v: v)(value)
    return format(value, spec)
