"""The one list of subcommands: it drives parsing, dispatch, help, aliases and completion.

A command is its spec: a frozen dataclass whose fields say where their values
come from on the command line, with ``typing.Annotated``::

    @command("rm", "Remove one or more containers", family="container")
    @dataclass(frozen=True)
    class RmSpec:
        containers: Annotated[tuple[str, ...], Positional("container", many=True)]
        force: Annotated[bool, flag("-f", "--force", help="Force the removal")] = False

The field's default is the option's default; a repeated option's list, or a
``many`` positional's, becomes a tuple (an option's ``freeze=`` says otherwise).
``@command`` on the class parses a line straight into it; a check on the
spec's own values goes in its ``__post_init__``.  A command whose check needs
the line itself, or that computes a field from several options, is declared on
a function ``Parsed -> spec`` instead, which calls ``fill(Spec, p, field=...)``
for the rest.  Options no field holds (read by such a function, or
``refused(...)`` flags) are passed to ``@command``.

What else a command needs is derived from that declaration, so adding one
edits nothing here:

- ``family="container"`` adds the management spelling ``container NAME``
  (``%docker container start`` for ``start``); ``aliases=`` adds the others
  (``container ls`` for ``ps``, ``image rm`` for ``rmi``);
- completion offers what the positionals name (``Positional("container")``
  completes container names, ``"image"`` image names), or ``completes=``;
- ``Command.flags`` and ``Command.refused_flags`` list what it takes and what it refuses.

Nothing here imports docker or IPython.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from ..errors import CommandError
from .grammar import FLAG, REFUSED, HelpRequested, Option, Parsed, Positional, Rest, parse, split, usage

# Names that completion can offer, by what a positional holds.
NAME_KINDS = ("container", "image", "network", "volume")

Source = Option | Positional | Rest
S = TypeVar("S")
Declared = TypeVar("Declared", bound=Callable[..., Any])


_SOURCES: dict[type, tuple[tuple[str, Source], ...]] = {}


def sources(spec: type) -> tuple[tuple[str, Source], ...]:
    """(field, where its value comes from) for each field of ``spec`` that the line fills.

    An option takes its default from the field's.
    """
    if spec not in _SOURCES:
        _SOURCES[spec] = _read_sources(spec)
    return _SOURCES[spec]


def _read_sources(spec: type) -> tuple[tuple[str, Source], ...]:
    if not dataclasses.is_dataclass(spec):
        return ()
    hints = typing.get_type_hints(spec, include_extras=True)
    found: list[tuple[str, Source]] = []
    for f in dataclasses.fields(spec):
        hint = hints[f.name]
        if typing.get_origin(hint) is not Annotated:
            continue
        marks = [m for m in hint.__metadata__ if isinstance(m, (Option, Positional, Rest))]
        if not marks:
            continue
        source = marks[0]
        if isinstance(source, Option) and f.default is not dataclasses.MISSING:
            source = dataclasses.replace(source, default=f.default)
        found.append((f.name, source))
    return tuple(found)


def options_of(spec: type) -> tuple[Option, ...]:
    """The options a spec's fields declare, in field order (for a grammar beside ``%docker``'s)."""
    return tuple(s for _, s in sources(spec) if isinstance(s, Option))


def _frozen(source: Source, raw: Any) -> Any:
    if raw is None:
        return None
    if source.freeze is not None:
        return source.freeze(raw)
    return tuple(raw) if isinstance(raw, list) else raw


def fill(spec: type[S], p: Parsed, **given: Any) -> S:
    """The spec, each annotated field from what the line gave (``given`` wins)."""
    values: dict[str, Any] = {}
    for name, source in sources(spec):
        if name in given:
            continue
        if isinstance(source, Option):
            if source.key not in p.options:
                continue  # an option this spelling does not offer (``create`` has no ``-d``)
            raw = p.options[source.key]
        elif isinstance(source, Positional):
            raw = p.args.get(source.name)
        else:
            raw = p.rest
        values[name] = _frozen(source, raw)
    return spec(**values, **given)


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
    specs: tuple[type, ...] = ()  # the spec types it produces
    refused: tuple[Option, ...] = ()  # the CLI's flags it refuses by name, each with its reason

    def parse(self, tokens: list[str]) -> object:
        everything = self.options + self.refused
        return self.build(parse(self.name, tokens, everything, self.positionals, self.command_rest))

    def help(self) -> str:
        everything = self.options + self.refused
        return usage(self.name, self.summary, everything, self.positionals, self.command_rest)

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

    @property
    def flags(self) -> tuple[str, ...]:
        """Every flag it takes (``-a`` and ``--all`` both), in declaration order."""
        return tuple(n for o in self.options for n in o.names)

    @property
    def refused_flags(self) -> dict[str, str]:
        """The CLI's flags it refuses, each with the reason it gives."""
        return {n: o.help for o in self.refused for n in o.names}


_COMMANDS: dict[str, Command] = {}
_SPELLINGS: dict[str, Command] = {}


def _produced(build: Callable[..., Any]) -> tuple[type, ...]:
    """The spec types a builder returns (its return annotation; a union names several)."""
    produced = typing.get_type_hints(build)["return"]
    union = typing.get_origin(produced) in (typing.Union, types.UnionType)
    return typing.get_args(produced) if union else (produced,)


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
    omit: Iterable[str] = (),
    produces: type | None = None,
) -> Callable[[Declared], Declared]:
    """Register ``%docker NAME``: on a spec dataclass, or on a ``Parsed -> spec`` function.

    The spec's annotated fields (a group's it derives from too) give the options
    and the positionals, in field order (``--help`` sorts the options as the CLI
    does); ``options``/``positionals`` add those no field holds (``refused(...)``
    flags among them); ``omit``: keys of the spec's options this command does
    not offer; ``produces``: a function's spec type, where its annotation cannot say it (a
    builder made by a helper such as ``pruning.prune``).  ``family``: the management command
    it also belongs to (``container``, ``image``...); ``aliases``: other spellings;
    ``completes``: what its arguments name when its positionals do not say it.
    """

    def register(declared: Declared) -> Declared:
        if isinstance(declared, type):
            spec: type = declared
            specs: tuple[type, ...] = (spec,)

            def build(p: Parsed) -> object:
                return fill(spec, p)

        else:
            build, specs = declared, (produces,) if produces is not None else _produced(declared)
        derived = sources(specs[0]) if len(specs) == 1 else ()
        given = tuple(options)
        if isinstance(declared, type):
            _check_complete(name, declared, given)
        found = Command(
            name,
            summary,
            tuple(s for _, s in derived if isinstance(s, Option) and s.key not in omit)
            + tuple(o for o in given if o.kind != REFUSED),
            tuple(s for _, s in derived if isinstance(s, Positional)) + tuple(positionals),
            build,
            command_rest or any(isinstance(s, Rest) for _, s in derived),
            family,
            tuple(aliases),
            None if completes is None else tuple(completes),
            specs,
            tuple(o for o in given if o.kind == REFUSED),
        )
        _check_unique(found)
        for spelling in found.spellings:
            if spelling in _SPELLINGS:
                raise RuntimeError(f"{spelling!r} registered twice")
        _COMMANDS[name] = found
        _SPELLINGS.update(dict.fromkeys(found.spellings, found))
        return declared

    return register


def _check_unique(found: Command) -> None:
    """No flag is declared twice in one command, and no two options fill the same value."""
    seen: dict[str, Option] = {}
    for o in found.options + found.refused:
        for n in o.names:
            if n in seen:
                raise RuntimeError(f"{found.name!r}: {n} declared twice")
            seen[n] = o
    keys = [o.key for o in found.options]
    for key in keys:
        if keys.count(key) > 1:
            raise RuntimeError(f"{found.name!r}: two options fill {key!r}")


def _check_complete(name: str, spec: type, given: tuple[Option, ...]) -> None:
    """A command declared on its spec keeps every value the line gives, and gives every field."""
    taken = [o for o in given if o.kind != REFUSED]
    if taken:
        raise RuntimeError(f"{name!r}: {taken[0].names[0]} has no field in {spec.__name__}")
    filled = {n for n, _ in sources(spec)}
    for f in dataclasses.fields(spec):
        needed = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if needed and f.name not in filled:
            raise RuntimeError(f"{name!r}: {spec.__name__}.{f.name} has no default and no option")


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


def _group_options_first(head: str, tokens: list[str]) -> list[str]:
    """``compose -p NAME up`` -> ``compose up -p NAME``: options that every member of a group
    takes may come before its subcommand, as the CLI's own groups allow (compose's -f, -p).
    They move under their long name: a member may give the short one another meaning after the
    subcommand (``compose -f FILE logs -f``: the second is --follow)."""
    members = [_SPELLINGS[f"{head} {m}"] for m in group_members(head)]
    longs = {max(o.names, key=len) for o in members[0].options}
    longs = {n for n in longs if all(n in m.flags for m in members)}
    shared = {n: o for m in members for o in m.options if max(o.names, key=len) in longs for n in o.names}
    i, moved = 1, []
    while i < len(tokens) and (name := tokens[i].split("=", 1)[0]) in shared:
        taken = shared[name]
        spelled = max(taken.names, key=len) + tokens[i][len(name) :]
        step = 2 if taken.kind != FLAG and "=" not in tokens[i] else 1
        moved += [spelled, *tokens[i + 1 : i + step]]
        i += step
    if i == 1 or i >= len(tokens):
        return tokens
    return [head, tokens[i], *moved, *tokens[i + 1 :]]


def resolve(tokens: list[str]) -> tuple[Command, list[str]]:
    """Find the command the tokens name; return it with the remaining tokens."""
    if not tokens or tokens[0] in ("-h", "--help", "help"):
        raise HelpRequested("")
    head = tokens[0]
    if head in groups():
        tokens = _group_options_first(head, tokens)
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
