"""Variables in a compose file's values, as docker compose puts them in.

``$VAR``, ``${VAR}``, ``${VAR:-default}`` (unset or empty), ``${VAR-default}`` (unset),
``${VAR:?message}`` / ``${VAR?message}`` (an error that says the message), ``${VAR:+word}`` /
``${VAR+word}``, and ``$$`` for a literal dollar. Values come from the kernel's environment, then
from a ``.env`` file beside the project. An unset variable with no default becomes the empty
string with a warning, as compose does (a compose file's own habit, unlike a ``%docker`` line).
Keys are never interpolated; ``{expr}`` belongs to the magic's line only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import CommandError
from ..parsing.shellwords import variable_brace_end

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")


def read_dotenv(path: str) -> dict[str, str]:
    """A ``.env`` file: ``KEY=VALUE`` lines (``export`` allowed, quotes removed, ``#`` comments)."""
    out: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return out
    except (OSError, ValueError) as exc:
        raise CommandError(
            f"{path}: {getattr(exc, 'strerror', None) or exc} (the project's .env file)."
        ) from None
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").lstrip()
        key, eq, value = line.partition("=")
        key = key.strip()
        if not eq or not _NAME.fullmatch(key):
            raise CommandError(f"{path} line {number}: write NAME=value, one a line.")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        out[key] = value
    return out


class Interpolator:
    """Puts variables into strings; remembers which unset ones were taken as empty."""

    def __init__(self, environ: Mapping[str, str]):
        self.environ = environ
        self.unset: list[str] = []

    def text(self, value: str, where: Callable[[], str]) -> str:
        out: list[str] = []
        i = 0
        while i < len(value):
            char = value[i]
            if char != "$":
                out.append(char)
                i += 1
                continue
            nxt = value[i + 1 : i + 2]
            if nxt == "$":
                out.append("$")
                i += 2
            elif nxt == "{":
                end = variable_brace_end(value, i + 2)
                if end < 0:
                    raise CommandError(
                        f"{where()}: unclosed '${{' in {value!r}: write ${{NAME}}, or $$ for a dollar."
                    )
                out.append(self._braced(value[i + 2 : end], value, where))
                i = end + 1
            else:
                match = _NAME.match(value, i + 1)
                if match is None:  # a lone '$' stays, as compose leaves it
                    out.append("$")
                    i += 1
                    continue
                out.append(self._lookup(match.group(), where))
                i = match.end()
        return "".join(out)

    def _lookup(self, name: str, where: Callable[[], str]) -> str:
        if name in self.environ:
            return self.environ[name]
        if name not in self.unset:
            self.unset.append(name)
        return ""

    def _braced(self, inner: str, whole: str, where: Callable[[], str]) -> str:
        match = _NAME.match(inner)
        if match is None:
            raise CommandError(
                f"{where()}: invalid interpolation {'${' + inner + '}'!r}: write ${{NAME}} or ${{NAME:-default}}."
            )
        name, rest = match.group(), inner[match.end() :]
        if not rest:
            return self._lookup(name, where)
        operator = next((op for op in _OPERATORS if rest.startswith(op)), None)
        if operator is None:
            raise CommandError(
                f"{where()}: invalid interpolation {'${' + inner + '}'!r}: write ${{NAME}} or ${{NAME:-default}}."
            )
        word = self.text(rest[len(operator) :], where)
        value = self.environ.get(name)
        is_set = value is not None
        usable = is_set and (value != "" or not operator.startswith(":"))
        if operator in (":-", "-"):
            return value if usable and value is not None else word
        if operator in (":?", "?"):
            if not usable or value is None:
                reason = word or f"{name} is not set"
                raise CommandError(f"{where()}: required variable {name} is missing a value: {reason}")
            return value
        return word if usable else ""  # :+ and +


def interpolate(
    data: Any, environ: Mapping[str, str], describe: Callable[[tuple[str, ...]], str]
) -> tuple[Any, list[str]]:
    """Every string value of ``data`` with variables put in; and the unset names taken as empty."""
    interpolator = Interpolator(environ)

    def walk(node: Any, path: tuple[str, ...]) -> Any:
        if isinstance(node, dict):
            return {key: walk(value, path + (str(key),)) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value, path + (str(i),)) for i, value in enumerate(node)]
        if isinstance(node, str):
            return interpolator.text(node, lambda: describe(path))
        return node

    return walk(data, ()), interpolator.unset


def environment(working_dir: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The variables a compose file sees: the ``.env`` file's, overridden by the kernel's."""
    merged = read_dotenv(os.path.join(working_dir, ".env"))
    merged.update(os.environ if environ is None else environ)
    return merged
