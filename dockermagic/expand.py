"""Split a magic line as a POSIX shell would, then put ``{expr}`` values in.

The rule (README, "``{expr}``"):

- the line is split first, with the shell's quoting: ``'...'`` is literal,
  ``"..."`` and unquoted text take backslash escapes;
- ``{expr}`` (``{name!r}``, ``{n:>3}`` too) in unquoted or double-quoted text
  is replaced by the value of a Python expression in the user's namespace.
  The value lands inside the word it was written in and never splits it:
  ``-e A={v}`` is one argument whatever ``v`` holds, quotes and spaces
  included.  A word that *starts* with a value is marked ``Expanded``; the
  grammar refuses one that would be read as a flag;
- left as they are: single-quoted text (``awk '{ print $2 }'``), Go templates
  ``{{...}}``, ``$VAR`` and ``${VAR}`` (never an expression), ``\\{``, and
  an empty ``{}`` (``find -exec ... {}``).

Cell bodies (``%%dexec --expand``) are text, not words: ``expand_text``
applies the same rule without the splitting.
"""
from __future__ import annotations

from .errors import CommandError


class Expanded(str):
    """A word whose first characters came from an ``{expr}`` value."""

    from_value = True  # what the grammar looks at (it does not import this module)


_DQ_ESCAPES = '\\"$`'


def split_expand(line: str, namespace: dict) -> list[str]:
    """The words of ``line``, with ``{expr}`` values in place (each word stays one word)."""
    words: list[str] = []
    word: list[str] = []
    in_word = False  # a word was started (possibly empty: '' or "")
    starts_with_value = False
    quote = None  # None, "'" or '"'
    template = False  # inside {{ ... }}: braces are text
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if quote == "'":
            if ch == "'":
                quote = None
            else:
                word.append(ch)
            i += 1
            continue
        if ch == "\\":
            nxt = line[i + 1:i + 2]
            if nxt == "\n":  # a continued line
                i += 2
                continue
            if quote == '"' and nxt not in _DQ_ESCAPES + "{":
                word.append(ch)  # inside "...", a backslash before anything else stays
            word.append(nxt or ch)  # \{ is a literal brace; a final backslash stays itself
            in_word = True
            i += 2
            continue
        if quote is None and ch in " \t\n\r":
            if in_word:
                words.append(_word(word, starts_with_value))
            word, in_word, starts_with_value = [], False, False
            i += 1
            continue
        if quote is None and ch in "'\"":
            quote, in_word = ch, True
            i += 1
            continue
        if quote == '"' and ch == '"':
            quote = None
            i += 1
            continue
        if template:
            if line.startswith("}}", i):
                template = False
                word.append("}}")
                i += 2
            else:
                word.append(ch)
                i += 1
            in_word = True
            continue
        if line.startswith("{{", i):
            template = True
            word.append("{{")
            in_word = True
            i += 2
            continue
        if ch == "$" and line.startswith("{", i + 1):  # ${VAR}: the shell's, never an expression
            end = line.find("}", i + 2)
            end = n if end < 0 else end + 1
            word.append(line[i:end])
            in_word = True
            i = end
            continue
        if ch == "{":
            end = _closing_brace(line, i)
            expr = line[i + 1:end]
            if not expr.strip():
                word.append(line[i:end + 1])  # {} as find -exec writes it
            else:
                value = _value(expr, namespace)
                if not in_word and not word:
                    starts_with_value = True
                word.append(value)
            in_word = True
            i = end + 1
            continue
        word.append(ch)
        in_word = True
        i += 1
    if quote is not None:
        kind = "single" if quote == "'" else "double"
        raise CommandError(f"Cannot split the line: no closing {kind} quote. Close the quote or escape it.")
    if in_word:
        words.append(_word(word, starts_with_value))
    return words


def _word(parts: list[str], starts_with_value: bool) -> str:
    text = "".join(parts)
    return Expanded(text) if starts_with_value else text


def _closing_brace(line: str, start: int) -> int:
    """Index of the ``}`` that closes the ``{`` at ``start`` (Python strings inside skipped)."""
    depth, j, n = 0, start, len(line)
    while j < n:
        ch = line[j]
        if ch in "'\"" and depth:
            close = line.find(ch, j + 1)
            if close < 0:
                break
            j = close + 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    raise CommandError(f"Unclosed '{{' in: {line[start:start + 60]}. Close it, write \\{{ for a "
                       "literal brace, or quote it with '...'.")


def _value(expr: str, namespace: dict) -> str:
    try:
        return _evaluate(expr, namespace)
    except Exception as exc:  # the user's expression: any error is theirs to fix
        message = " ".join(str(exc).split())[:200]
        raise CommandError(f"Could not expand {{{expr}}}: {type(exc).__name__}: {message}. "
                           "Define it first, or quote the text with '...' to keep the braces.") from None


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
            end = _closing_brace(text, i)
            expr = text[i + 1:end]
            out.append(text[i:end + 1] if not expr.strip() else _value(expr, namespace))
            i = end + 1
        else:
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
