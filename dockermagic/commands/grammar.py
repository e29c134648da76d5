"""The docker CLI's way of reading a command line, without argparse's quirks.

The docker CLI (cobra/pflag) accepts things argparse does not: clustered short
flags whose last letter takes a value (``-dp 8080:80``, ``-dp8080:80``),
``--flag=value`` and ``--flag value``, booleans written ``--rm=false``, and for
``run``/``exec`` everything after the first positional is the container's own
command, flags included.  ``parse`` implements exactly that and nothing else;
the per-command modules declare their options (on their spec's fields: see
``registry``) and ``registry.fill`` turns the result into a spec.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import CommandError
from ..parsing import shellwords

FLAG, VALUE, LIST = "flag", "value", "list"
# a flag the docker CLI knows and %docker refuses by name, with its reason (the option's help)
REFUSED = "refused"


@dataclass(frozen=True)
class Option:
    names: tuple[str, ...]
    help: str
    kind: str = FLAG
    metavar: str = ""
    default: Any = None
    convert: Callable[[str], Any] | None = None
    # ``--wait[=30]``: the value may only come after '=', else ``const`` is used.
    optional_value: bool = False
    const: Any = True
    # the parsed value -> the spec field's value; None: a repeated option's list becomes a tuple
    freeze: Callable[[Any], Any] | None = None
    # a value the line must give: what the one-line error says after "COMMAND needs -o "
    required: str | None = None

    @property
    def key(self) -> str:
        long = [n for n in self.names if n.startswith("--")]
        return (long[0] if long else self.names[0]).lstrip("-").replace("-", "_")

    def initial(self) -> Any:
        if self.kind == LIST:
            return list(self.default or ())
        if self.kind == FLAG:
            return bool(self.default)
        return self.default


def flag(*names: str, help: str, **kw: Any) -> Option:
    return Option(tuple(names), help, FLAG, **kw)


def value(*names: str, help: str, metavar: str = "string", **kw: Any) -> Option:
    return Option(tuple(names), help, VALUE, metavar=metavar, **kw)


def repeated(*names: str, help: str, metavar: str = "list", **kw: Any) -> Option:
    return Option(tuple(names), help, LIST, metavar=metavar, **kw)


def refused(*names: str, reason: str) -> Option:
    """A flag of the CLI's that %docker refuses by name, saying why (``reason``: one clause)."""
    return Option(tuple(names), reason, REFUSED)


@dataclass(frozen=True)
class Positional:
    name: str
    required: bool = True
    many: bool = False  # one or more (``rm a b c``); with required=False, zero or more
    # the parsed value -> the spec field's value; None: a list (``many``) becomes a tuple
    freeze: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Rest:
    """A spec field that holds the words after the first positional (the container's command)."""

    freeze: Callable[[list[str]], Any] = tuple


@dataclass
class Parsed:
    """What ``parse`` found: option values by key, positionals by name."""

    options: dict[str, Any] = field(default_factory=dict)
    args: dict[str, Any] = field(default_factory=dict)
    rest: list[str] = field(default_factory=list)  # the container's own command

    def __getattr__(self, name: str) -> Any:
        try:
            return self.options[name]
        except KeyError:
            try:
                return self.args[name]
            except KeyError:
                raise AttributeError(name) from None


def split(line: str | list[str]) -> list[str]:
    """A magic line's words, read as ``sh`` reads them (``shellwords``: quotes, ``$VAR``,
    ``~``, comments; shell syntax refused); words already split, as by ``expand``, pass through."""
    if isinstance(line, list):
        return line
    return shellwords.split(line)


_TRUE = {"true", "1", "t", "yes"}
_FALSE = {"false", "0", "f", "no"}


def _bool(text: str, name: str, command: str) -> bool:
    low = text.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise CommandError(
        f'invalid argument "{text}" for "{name}" flag: use true or false. See \'%docker {command} --help\'.'
    )


class HelpRequested(Exception):
    """``-h``/``--help`` was given: the caller shows the command's help."""


def parse(
    command: str,
    tokens: list[str],
    options: tuple[Option, ...],
    positionals: tuple[Positional, ...],
    command_rest: bool = False,
) -> Parsed:
    """Read ``tokens`` the way the docker CLI does.

    ``command_rest``: after the first positional, every token (even ``-x``)
    belongs to the container's command, as in ``docker run IMAGE CMD -x``.
    """
    by_name = {n: o for o in options for n in o.names}
    parsed = Parsed(options={o.key: o.initial() for o in options if o.kind != REFUSED})
    loose: list[str] = []
    see = f"See '%docker {command} --help'."

    def store(opt: Option, name: str, raw: str | None) -> None:
        if opt.kind == REFUSED:
            raise CommandError(f"{name} is not supported by '%docker {command}': {opt.help}. {see}")
        if opt.kind == FLAG:
            parsed.options[opt.key] = True if raw is None else _bool(raw, name, command)
        else:
            if opt.convert is not None and raw is not None:
                try:
                    raw = opt.convert(raw)
                except (ValueError, TypeError) as exc:
                    raise CommandError(f'invalid argument "{raw}" for "{name}" flag: {exc}. {see}') from None
            if opt.kind == LIST:
                parsed.options[opt.key].append(raw)
            else:
                parsed.options[opt.key] = raw

    def value_after(shown: str) -> str:
        """The token after the flag (``--name x``), which must be there."""
        if i >= len(tokens):
            raise CommandError(f"flag needs an argument: {shown}. {see}")
        return tokens[i]

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if command_rest and loose:
            parsed.rest.append(tok)
            continue
        if tok.startswith("-") and getattr(tok, "from_value", False):
            raise CommandError(
                f"A value ({{...}} or $VAR) gave {tok!r} where a flag would be read: a value "
                f"never becomes a flag. Write the flag in the line itself. {see}"
            )
        if tok == "--":
            if command_rest and not loose and i < len(tokens):
                loose.append(tokens[i])
                parsed.rest.extend(tokens[i + 1 :])
            else:
                loose.extend(tokens[i:])
            break
        if tok == "--help" or (tok == "-h" and "-h" not in by_name):
            raise HelpRequested(command)
        if tok.startswith("--") and len(tok) > 2:
            name, eq, raw = tok.partition("=")
            opt = by_name.get(name)
            if opt is None:
                raise CommandError(f"unknown flag: {name}. {see}")
            if opt.kind in (FLAG, REFUSED):
                store(opt, name, raw if eq else None)
            elif eq:
                store(opt, name, raw)
            elif opt.optional_value:
                parsed.options[opt.key] = opt.const
            else:
                store(opt, name, value_after(name))
                i += 1
            continue
        if tok.startswith("-") and len(tok) > 1:
            cluster = tok[1:]
            j = 0
            while j < len(cluster):
                letter = "-" + cluster[j]
                opt = by_name.get(letter)
                if opt is None:
                    raise CommandError(f"unknown shorthand flag: '{cluster[j]}' in {tok}. {see}")
                j += 1
                if opt.kind in (FLAG, REFUSED):
                    if cluster[j : j + 1] == "=":
                        store(opt, letter, cluster[j + 1 :])
                        break
                    store(opt, letter, None)
                    continue
                attached = cluster[j:]
                if attached.startswith("="):
                    attached = attached[1:]
                if attached:
                    store(opt, letter, attached)
                else:
                    store(opt, letter, value_after(f"'{cluster[j - 1]}' in {tok}"))
                    i += 1
                break
            continue
        loose.append(tok)

    _assign(command, loose, positionals, parsed, see)
    for o in options:
        if o.required and o.kind == VALUE and not parsed.options[o.key]:
            raise CommandError(f"{command} needs {o.names[0]} {o.required}.")
    return parsed


def _assign(
    command: str, loose: list[str], positionals: tuple[Positional, ...], parsed: Parsed, see: str
) -> None:
    queue = list(loose)
    for index, pos in enumerate(positionals):
        if pos.many:
            # leave one token for each positional still to come
            after = sum(1 for p in positionals[index + 1 :] if p.required)
            take = max(0, len(queue) - after)
            if pos.required and take == 0:
                raise CommandError(f"'docker {command}' requires at least 1 {pos.name}. {see}")
            parsed.args[pos.name] = queue[:take]
            queue = queue[take:]
        elif queue:
            parsed.args[pos.name] = queue.pop(0)
        elif pos.required:
            needed = sum(1 for p in positionals if p.required)
            raise CommandError(
                f"'docker {command}' requires {needed} argument{'s' if needed != 1 else ''} "
                f"({', '.join(p.name for p in positionals if p.required)}). {see}"
            )
        else:
            parsed.args[pos.name] = None
    if queue:
        raise CommandError(f"'docker {command}' got an unexpected argument: {queue[0]!r}. {see}")


def cli_order(options: tuple[Option, ...]) -> list[Option]:
    """Options in the order the docker CLI lists them: by long name, as cobra sorts its flags.

    ``-a, --all`` sorts under ``all``, and ``-`` before a letter (``cpu-period`` before ``cpus``).
    """
    return sorted(
        options, key=lambda o: next((n for n in o.names if n.startswith("--")), o.names[0]).lstrip("-")
    )


def usage(
    command: str,
    summary: str,
    options: tuple[Option, ...],
    positionals: tuple[Positional, ...],
    command_rest: bool = False,
) -> str:
    """Help text shaped like the docker CLI's, its options in the CLI's order."""
    words = []
    for p in positionals:
        word = p.name.upper() + ("..." if p.many else "")
        words.append(word if p.required else f"[{word}]")
    if command_rest:
        words.append("[COMMAND] [ARG...]")
    lines = [f"Usage:  %docker {command} [OPTIONS] {' '.join(words)}".rstrip(), "", summary]
    options = tuple(cli_order(options))
    taken = [o for o in options if o.kind != REFUSED]
    if taken:
        lines += ["", "Options:"]
        rows = []
        for o in taken:
            short = next((n for n in o.names if not n.startswith("--")), "")
            long = next((n for n in o.names if n.startswith("--")), "")
            left = (short + ", " if short and long else short) + long
            if o.kind != FLAG:
                left += f"[={o.metavar}]" if o.optional_value else f" {o.metavar}"
            rows.append((left, o.help))
        width = max(len(r[0]) for r in rows) + 2
        lines += [f"  {left:<{width}}{text}" for left, text in rows]
    refused_rows = [(", ".join(o.names), o.help) for o in options if o.kind == REFUSED]
    if refused_rows:
        width = max(len(r[0]) for r in refused_rows) + 2
        lines += ["", "Refused (the docker CLI's flags that %docker does not take):"]
        lines += [f"  {left:<{width}}{text}" for left, text in refused_rows]
    return "\n".join(lines)
