"""Read a magic line as a POSIX shell reads one, without ever running a shell.

The rule (README, "Pasting shell lines"):

- quoting as in ``sh``: ``'...'`` is literal; ``"..."`` and bare text take
  backslash escapes; a ``#`` at the start of a word starts a comment;
- ``$VAR``, ``${VAR}``, ``${VAR:-default}`` and a leading ``~`` are expanded
  from the kernel's environment, outside single quotes.  A value is one
  argument, as ``"$VAR"`` is in ``sh``: never split, never globbed; an unset
  variable is an error that names it;
- ``{expr}`` (when the caller evaluates them) in bare or double-quoted text;
  ``{{...}}``, ``\\{`` and an empty ``{}`` stay as written;
- shell syntax (``|``, ``&&``, ``||``, ``;``, ``&``, ``<``, ``>``, ``2>``,
  ``$(...)``, backticks) is refused in one line, before anything runs.  The
  one exception is ``> /dev/null`` (also ``>>``, ``1>``, ``&>``, with or
  without ``2>&1``): the line is read without it and marked ``discard_output``.

A word whose first characters came from a value (``{expr}`` or ``$VAR``) is
an ``Expanded``: the grammar refuses one that would be read as a flag.
"""

from __future__ import annotations

import os
import pwd
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..errors import CommandError


class Expanded(str):
    """A word whose first characters came from a value (``{expr}`` or ``$VAR``)."""

    from_value = True  # what the grammar looks at


@dataclass(frozen=True)
class ShellLine:
    """The words of a line, and whether it had a ``> /dev/null`` (shown: nothing)."""

    words: list[str]
    discard_output: bool = False


@dataclass(frozen=True)
class _Operator:
    text: str  # '|', '&&', '>', '>>', '>&', '<' ...
    fd: str = ""  # the digits written before a redirection ('2' in 2>)


_NO_SHELL = "the magic runs no shell, so nothing was run"
_NULL_ONLY = "Only '> /dev/null' (no output shown) and '> /dev/null 2>&1' are accepted"
_SUBSTITUTION = (
    f"is a shell command substitution: {_NO_SHELL}. Compute the value in Python and put it in "
    "with {...}: e.g. ids = %docker ps -q, then %docker stop {str(ids).split()[0]}"
)
_COMMAND_LIST = {
    "&&": "Put each command on its own line: an error stops the cell, as && would",
    "||": "Put each command on its own line; to go on after an error, wrap the line in try/except UsageError",
    ";": "Put each command on its own line",
    ";;": "Put each command on its own line",
}
_PIPE = (
    "Keep the result in Python and work on it there (out = %docker ps, then str(out).splitlines(), "
    "out.ids), or use the command's own --filter/--format"
)
_BACKGROUND = "Use the command's -d to leave a container running (run -d, exec -d)"
_INPUT = (
    "Give the file to the command's own option (load -i FILE, --env-file FILE, build -f FILE), "
    "or send a script with %%dexec CONTAINER"
)
_OUTPUT = (
    "Write the result from Python (out = %docker ..., then open('FILE', 'w').write(str(out))), "
    "or use save -o FILE / cp. " + _NULL_ONLY
)
_ERRORS = (
    "Errors always show as one line; to go on after one, wrap the line in try/except UsageError. "
    + _NULL_ONLY
)
_MERGE = "Output and errors both show in the cell already: leave it out. " + _NULL_ONLY
_OPERATORS = ("&>>", "&&", "&>", "||", ";;", "<<", ">>", ">&", ">|", "<&", "<>", "|", "&", ";", "<", ">")
_METACHARACTERS = "|&;<>"
_BLANKS = " \t\n\r"
_DQ_ESCAPES = '\\"$`{'  # inside "...", a backslash escapes only these (and a newline)
_SPECIAL_PARAMETERS = "0123456789?$!#*@-"
_DEFAULT_FORMS = (":-", "-", ":+", "+")
_NULL = "/dev/null"
_PLAIN = re.compile(r"""[^\s'"\\|&;<>`$~{}#]+""")
_VARIABLE = re.compile(r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})")  # in a default word


def refusal(written: str) -> CommandError:
    """The one line for shell syntax: what it is, that nothing ran, what to write instead."""
    if written == "|":
        kind, advice = "a pipe", _PIPE
    elif written in _COMMAND_LIST:
        kind, advice = "a command list", _COMMAND_LIST[written]
    elif written == "&":
        kind, advice = "a background job", _BACKGROUND
    elif "<" in written:
        kind, advice = "a redirection", _INPUT
    elif written == "2>&1":
        kind, advice = "a redirection", _MERGE
    elif written[0].isdigit() and written[0] != "1":  # 2> and the other descriptors
        kind, advice = "a redirection", _ERRORS
    else:
        kind, advice = "a redirection", _OUTPUT
    return CommandError(f"'{written}' is shell syntax ({kind}) and {_NO_SHELL}. {advice}.")


def read(
    line: str, environ: Mapping[str, str] | None = None, evaluate: Callable[[str], str] | None = None
) -> ShellLine:
    """Split ``line`` as ``sh`` would, expand ``$VAR``/``~`` from ``environ`` (default
    ``os.environ``) and, with ``evaluate``, ``{expr}``; refuse shell syntax."""
    items = _Scanner(line, os.environ if environ is None else environ, evaluate).items()
    return _redirections(items)


def split(
    line: str, environ: Mapping[str, str] | None = None, evaluate: Callable[[str], str] | None = None
) -> list[str]:
    """The words of ``line`` (see ``read``)."""
    return read(line, environ, evaluate).words


def _redirections(items: list[str | _Operator]) -> ShellLine:
    """Drop ``> /dev/null`` (and a ``2>&1`` beside it); refuse every other operator."""
    words: list[str] = []
    to_null = merged = False
    i = 0
    while i < len(items):
        item = items[i]
        i += 1
        if not isinstance(item, _Operator):
            words.append(item)
            continue
        written = item.fd + item.text
        if item.text == ">&" and item.fd == "2" and i < len(items) and items[i] == "1":
            merged, i = True, i + 1
            continue
        to_stdout = item.text in (">", ">>", ">|") and item.fd in ("", "1")
        if (to_stdout or item.text in ("&>", "&>>") and not item.fd) and items[i : i + 1] == [_NULL]:
            to_null, i = True, i + 1
            continue
        raise refusal(written)
    if merged and not to_null:
        raise refusal("2>&1")
    return ShellLine(words, to_null)


class _Scanner:
    """One pass over the line: words (with values in place) and operators."""

    def __init__(self, line: str, environ: Mapping[str, str], evaluate: Callable[[str], str] | None):
        self.line, self.environ, self.evaluate = line, environ, evaluate
        self.out: list[str | _Operator] = []
        self.parts: list[str] = []
        self.started = False  # a word was started (possibly empty: '' or "")
        self.from_value = False  # its first characters came from a value
        self.quoted = False  # part of it was quoted or escaped (an io number never is)
        self.template = False  # inside {{ ... }}: Go's, text up to the closing }}

    def items(self) -> list[str | _Operator]:
        line, n = self.line, len(self.line)
        i = 0
        quote = ""  # "", "'" or '"'
        while i < n:
            ch = line[i]
            if quote == "'":
                close = line.find("'", i)
                if close < 0:
                    break  # no closing quote: said below
                self.parts.append(line[i:close])
                quote, i = "", close + 1
            elif not self.template and (plain := _PLAIN.match(line, i)):
                self._text(plain.group())  # a run of characters with no meaning to sh
                i = plain.end()
            elif ch == "\\":
                i = self._escape(i, quote)
            elif quote == '"' and ch == '"':
                quote = ""
                i += 1
            elif not quote and ch in _BLANKS:
                self._end_word()
                i += 1
            elif not quote and ch in "'\"":
                quote, self.started, self.quoted = ch, True, True
                i += 1
            elif self.template:
                self.template = not line.startswith("}}", i)
                self._text(line[i : i + 2] if not self.template else ch)
                i += 1 if self.template else 2
            elif not quote and ch == "#" and not self.started:
                break  # a comment, as in sh: the rest of the line is not read
            elif not quote and ch in _METACHARACTERS:
                i = self._operator(i)
            elif ch == "`":
                raise CommandError(f"'`...`' {_SUBSTITUTION}.")
            elif ch == "$":
                i = self._dollar(i)
            elif not quote and ch == "~" and not self.started:
                i = self._tilde(i)
            elif line.startswith("{{", i):
                i = self._template(i)
            elif ch == "{" and self.evaluate is not None:
                i = self._expression(i)
            else:
                self._text(ch)
                i += 1
        if quote:
            kind = "single" if quote == "'" else "double"
            raise CommandError(
                f"Cannot split the line: no closing {kind} quote. Close the quote or escape it."
            )
        self._end_word()
        return self.out

    # -- words -------------------------------------------------------------------------------
    def _text(self, text: str) -> None:
        self.parts.append(text)
        self.started = True

    def _value(self, value: str) -> None:
        if not self.started and not self.parts:
            self.from_value = True
        self.parts.append(value)
        self.started = True

    def _end_word(self) -> None:
        if self.started:
            text = "".join(self.parts)
            self.out.append(Expanded(text) if self.from_value else text)
        self.parts, self.started, self.from_value, self.quoted = [], False, False, False

    # -- pieces ------------------------------------------------------------------------------
    def _escape(self, i: int, quote: str) -> int:
        nxt = self.line[i + 1 : i + 2]
        if nxt == "\n":  # a continued line
            return i + 2
        if nxt == "$" and self.line.startswith("{", i + 2):  # \${VAR}: passed as written, braces too
            end = self.line.find("}", i + 3)
            end = len(self.line) if end < 0 else end + 1
            self._text(self.line[i + 1 : end])
            self.quoted = True
            return end
        if quote == '"' and nxt not in _DQ_ESCAPES:
            self.parts.append("\\")  # inside "...", a backslash before anything else stays
        self._text(nxt or "\\")  # \{ is a literal brace; a final backslash stays itself
        self.quoted = True
        return i + 2

    def _operator(self, i: int) -> int:
        op = next(o for o in _OPERATORS if self.line.startswith(o, i))
        fd = ""
        if op[0] in "<>" and self.parts and not self.quoted and not self.from_value:
            word = "".join(self.parts)
            if word.isdigit():  # 2> : the digits are the redirection's, not a word
                fd, self.parts, self.started = word, [], False
        self._end_word()
        self.out.append(_Operator(op, fd))
        return i + len(op)

    def _dollar(self, i: int) -> int:
        line = self.line
        nxt = line[i + 1 : i + 2]
        if nxt == "(":
            raise CommandError(f"'$(...)' {_SUBSTITUTION}.")
        if nxt == "{":
            return self._braced_variable(i)
        j = i + 1
        while j < len(line) and (line[j] == "_" or line[j].isascii() and line[j].isalnum()):
            if j == i + 1 and line[j].isdigit():
                break
            j += 1
        if j > i + 1:
            self._value(self._lookup(line[i + 1 : j], f"${line[i + 1 : j]}"))
            return j
        if nxt and nxt in _SPECIAL_PARAMETERS:
            raise CommandError(
                f"'${nxt}' is a shell parameter and {_NO_SHELL}. Write the value itself, "
                "or put it in with {...} from Python; in single quotes it is passed as "
                "written."
            )
        self._text("$")  # a lone $ is text, as in sh
        return i + 1

    def _braced_variable(self, i: int) -> int:
        line = self.line
        end = _closing_variable_brace(line, i + 2)
        body = line[i + 2 : end]
        for form in _DEFAULT_FORMS:
            name, sep, word = body.partition(form)
            if sep and _is_name(name) and not any(c in _VARIABLE.sub("", word) for c in "$`{}\"'\\"):
                value = self.environ.get(name)
                missing = value is None or (form.startswith(":") and value == "")
                use_word = missing if form.endswith("-") else not missing
                if use_word:  # only the word that is used is expanded, as in sh
                    self._value(_VARIABLE.sub(lambda m: self._lookup(m[1] or m[2], m[0]), word))
                else:
                    self._value("" if form.endswith("+") else str(value))
                return end + 1
        if not _is_name(body):
            raise CommandError(
                f"'${{{body}}}' is not expanded: only ${{NAME}}, ${{NAME:-default}} and "
                "${NAME:+word} are, as the magic runs no shell. Compute the value in "
                "Python and put it in with {...}."
            )
        self._value(self._lookup(body, f"${{{body}}}"))
        return end + 1

    def _lookup(self, name: str, written: str) -> str:
        value = self.environ.get(name)
        if value is None:
            raise CommandError(
                f"{written} is not set in the kernel's environment: set it "
                f"(%env {name}=VALUE), give a default (${{{name}:-VALUE}}), or write "
                f"'{written}' in single quotes to pass it as written."
            )
        return value

    def _tilde(self, i: int) -> int:
        line = self.line
        j = i + 1
        while j < len(line) and (line[j].isalnum() or line[j] in "._-"):
            j += 1
        if j < len(line) and line[j] not in "/" + _BLANKS + _METACHARACTERS:
            self._text("~")  # ~ followed by a quote or '$': not a tilde-prefix
            return i + 1
        user = line[i + 1 : j]
        home = _home(user, self.environ)
        if home is None:
            self._text(line[i:j])  # ~nobody-known stays as written, as in sh
        else:
            self._value(home)
        return j

    def _template(self, i: int) -> int:
        self.template = True
        self._text("{{")
        return i + 2

    def _expression(self, i: int) -> int:
        assert self.evaluate is not None
        end = closing_brace(self.line, i)
        expr = self.line[i + 1 : end]
        if not expr.strip():
            self._text(self.line[i : end + 1])  # {} as find -exec writes it
        else:
            self._value(self.evaluate(expr))
        return end + 1


def variable_brace_end(text: str, start: int) -> int:
    """Index of the ``}`` that closes a ``${`` whose body starts at ``start`` (``${A:-${B}}`` nests); -1 if none."""
    depth, j = 1, start
    while j < len(text):
        if text.startswith("${", j):
            depth, j = depth + 1, j + 2
            continue
        if text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


def _closing_variable_brace(line: str, start: int) -> int:
    end = variable_brace_end(line, start)
    if end >= 0:
        return end
    raise CommandError(
        f"Unclosed '${{' in: {line[start - 2 : start + 58]}. Close it with '}}', or write "
        "'\\$' for a literal dollar sign."
    )


def _is_name(text: str) -> bool:
    return (
        bool(text)
        and text.isascii()
        and (text[0].isalpha() or text[0] == "_")
        and text.replace("_", "a").isalnum()
    )


def _home(user: str, environ: Mapping[str, str]) -> str | None:
    if not user:
        home = environ.get("HOME")
        if home is not None:
            return home
        user_id = os.getuid()
        try:
            return pwd.getpwuid(user_id).pw_dir
        except KeyError:
            return None
    try:
        return pwd.getpwnam(user).pw_dir
    except KeyError:
        return None


def closing_brace(line: str, start: int) -> int:
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
    raise CommandError(
        f"Unclosed '{{' in: {line[start : start + 60]}. Close it, write \\{{ for a "
        "literal brace, or quote it with '...'."
    )
