"""The one list of subcommands: it drives parsing, dispatch, help, aliases and completion.

A family module declares each command with ``@command(...)`` on a function
that turns the ``Parsed`` result into a frozen spec dataclass (its return
annotation names the spec type).  What else a command needs is derived from
that declaration, so adding one edits nothing here:

- ``family="container"`` adds the management spelling ``container NAME``
  (``%docker container start`` for ``start``); ``aliases=`` adds the others
  (``container ls`` for ``ps``, ``image rm`` for ``rmi``);
- completion offers what the positionals name (``Positional("container")``
  completes container names, ``"image"`` image names), or ``completes=``.

Nothing here imports docker or IPython.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..errors import CommandError
from .grammar import HelpRequested, Option, Parsed, Positional, parse, split, usage

# Names that completion can offer, by what a positional holds.
NAME_KINDS = ("container", "image", "network", "volume")


@dataclass(frozen=True)
class Command:
    name: str  # "run", or "network ls" for grouped commands
    summary: str
    options: tuple[Option, ...]
    positionals: tuple[Positional, ...]
    build: Callable[[Parsed], object]
    command_rest: bool = False
    family: str | None = None
    aliases: tuple[str, ...] = ()
    completes: tuple[str, ...] | None = None

    def parse(self, tokens: list[str]) -> object:
        return self.build(parse(self.name, tokens, self.options, self.positionals, self.command_rest))

    def help(self) -> str:
        return usage(self.name, self.summary, self.options, self.positionals, self.command_rest)

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every way to write it: its name, ``FAMILY NAME``, and its aliases."""
        managed = (f"{self.family} {self.name}",) if self.family and " " not in self.name else ()
        return (self.name, *managed, *self.aliases)

    @property
    def name_kinds(self) -> tuple[str, ...]:
        """What its arguments name (``container``, ``image``...), for completion."""
        if self.completes is not None:
            return self.completes
        return tuple(dict.fromkeys(p.name for p in self.positionals if p.name in NAME_KINDS))

    @cached_property
    def specs(self) -> tuple[type, ...]:
        """The spec types it produces (the builder's return annotation; a union names several)."""
        produced = typing.get_type_hints(self.build)["return"]
        union = typing.get_origin(produced) in (typing.Union, types.UnionType)
        return typing.get_args(produced) if union else (produced,)


_COMMANDS: dict[str, Command] = {}
_SPELLINGS: dict[str, Command] = {}


def command(
    name: str,
    summary: str,
    options: Iterable[Option] = (),
    positionals: Iterable[Positional] = (),
    command_rest: bool = False,
    *,
    family: str | None = None,
    aliases: Iterable[str] = (),
    completes: Iterable[str] | None = None,
) -> Callable[[Callable[[Parsed], Any]], Callable[[Parsed], Any]]:
    """Register the decorated ``Parsed -> spec`` function as ``%docker NAME``.

    ``family``: the management command it also belongs to (``container``,
    ``image``...); ``aliases``: other spellings; ``completes``: what its
    arguments name when its positionals do not say it.
    """

    def register(build: Callable[[Parsed], Any]) -> Callable[[Parsed], Any]:
        found = Command(
            name,
            summary,
            tuple(options),
            tuple(positionals),
            build,
            command_rest,
            family,
            tuple(aliases),
            None if completes is None else tuple(completes),
        )
        for spelling in found.spellings:
            if spelling in _SPELLINGS:
                raise RuntimeError(f"{spelling!r} registered twice")
        _COMMANDS[name] = found
        _SPELLINGS.update(dict.fromkeys(found.spellings, found))
        return build

    return register


def names() -> list[str]:
    return sorted(_COMMANDS)


def commands() -> list[Command]:
    return [_COMMANDS[n] for n in names()]


def spellings() -> list[str]:
    """Every name and alias a command line may start with."""
    return sorted(_SPELLINGS)


def get(name: str) -> Command | None:
    return _SPELLINGS.get(name)


def groups() -> set[str]:
    return {s.split()[0] for s in _SPELLINGS if " " in s}


def group_members(group: str) -> list[str]:
    """The subcommands of a group (``ls``, ``create``... of ``network``)."""
    return sorted({s.split()[1] for s in _SPELLINGS if s.split()[0] == group and " " in s})


@dataclass(frozen=True)
class Help:
    """What ``%docker [CMD] --help`` returns: plain text."""

    text: str

    def __str__(self) -> str:
        return self.text


def _table(rows: list[tuple[str, str]]) -> str:
    width = max((len(n) for n, _ in rows), default=0) + 2
    return "\n".join(f"  {n:<{width}}{s}" for n, s in rows)


def overview() -> str:
    body = _table([(c.name, c.summary) for c in commands() if not c.name.startswith("-")])
    flags = _table([(c.name, c.summary) for c in commands() if c.name.startswith("-")])
    return (
        "Usage:  %docker COMMAND [OPTIONS] [ARG...]\n\nRun docker CLI commands through the "
        "Engine API.\n\nCommands:\n"
        + body
        + (f"\n\nOptions:\n{flags}" if flags else "")
        + "\n\nRun '%docker COMMAND --help' for more information on a command."
    )


def group_help(group: str) -> str:
    rows = []
    for sub in group_members(group):
        found = _SPELLINGS[f"{group} {sub}"]
        rows.append(
            (
                sub,
                found.summary
                if found.name in (sub, f"{group} {sub}")
                else f"{found.summary} (= {found.name})",
            )
        )
    return (
        f"Usage:  %docker {group} COMMAND\n\nCommands:\n{_table(rows)}\n\n"
        f"Run '%docker {group} COMMAND --help' for more information on a command."
    )


def resolve(tokens: list[str]) -> tuple[Command, list[str]]:
    """Find the command the tokens name; return it with the remaining tokens."""
    if not tokens or tokens[0] in ("-h", "--help", "help"):
        raise HelpRequested("")
    head = tokens[0]
    if head in groups():
        if len(tokens) < 2:
            raise CommandError(f"'%docker {head}' needs a subcommand: {', '.join(group_members(head))}.")
        if tokens[1] in ("-h", "--help", "help"):
            raise HelpRequested(head)
        found = get(f"{head} {tokens[1]}")
        if found is None:
            raise CommandError(f"unknown command: '%docker {head} {tokens[1]}'. See '%docker {head} --help'.")
        return found, tokens[2:]
    found = get(head)
    if found is None:
        raise CommandError(f"unknown command: '%docker {head}'. See '%docker --help'.")
    return found, tokens[1:]


def parse_line(line: str) -> object:
    """``%docker``'s whole grammar: a spec dataclass, or ``Help`` for --help."""
    tokens = split(line)
    try:
        cmd, rest = resolve(tokens)
    except HelpRequested as asked:
        group = str(asked)
        return Help(group_help(group) if group else overview())
    try:
        return cmd.parse(rest)
    except HelpRequested:
        return Help(cmd.help())
