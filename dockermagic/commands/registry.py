"""The one list of subcommands: it drives parsing, dispatch, help and completion.

A subcommand module declares its grammar with ``@command(...)`` on a function
that turns the ``Parsed`` result into a frozen spec dataclass.  Nothing here
imports docker or IPython.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import CommandError
from .grammar import HelpRequested, Option, Parsed, Positional, parse, split, usage


@dataclass(frozen=True)
class Command:
    name: str  # "run", or "network ls" for grouped commands
    summary: str
    options: tuple[Option, ...]
    positionals: tuple[Positional, ...]
    build: Callable[[Parsed], object]
    command_rest: bool = False

    def parse(self, tokens: list[str]):
        return self.build(parse(self.name, tokens, self.options, self.positionals, self.command_rest))

    def help(self) -> str:
        return usage(self.name, self.summary, self.options, self.positionals, self.command_rest)


_COMMANDS: dict[str, Command] = {}
# The CLI's management-command spellings that mean a top-level command.
ALIASES = {
    "container run": "run", "container create": "create", "container start": "start",
    "container stop": "stop", "container restart": "restart", "container kill": "kill",
    "container rm": "rm", "container ls": "ps", "container ps": "ps", "container list": "ps",
    "container inspect": "inspect", "container logs": "logs", "container exec": "exec",
    "container attach": "attach", "container diff": "diff", "container commit": "commit",
    "container port": "port", "container top": "top", "container stats": "stats",
    "container cp": "cp", "image ls": "images", "image list": "images", "image pull": "pull",
    "image push": "push", "image rm": "rmi", "image inspect": "inspect",
    "image history": "history", "image save": "save", "image load": "load",
    "image tag": "tag", "image build": "build", "builder build": "build",
    "rmi": "rmi", "network list": "network ls", "volume list": "volume ls",
}


def command(name: str, summary: str, options=(), positionals=(), command_rest: bool = False):
    """Register the decorated ``Parsed -> spec`` function as ``%docker NAME``."""

    def register(build):
        if name in _COMMANDS:
            raise RuntimeError(f"command {name!r} registered twice")
        _COMMANDS[name] = Command(name, summary, tuple(options), tuple(positionals), build, command_rest)
        return build

    return register


def names() -> list[str]:
    return sorted(_COMMANDS)


def get(name: str) -> Command | None:
    return _COMMANDS.get(ALIASES.get(name, name))


def groups() -> set[str]:
    return {n.split()[0] for n in _COMMANDS if " " in n} | {a.split()[0] for a in ALIASES if " " in a}


@dataclass(frozen=True)
class Help:
    """What ``%docker [CMD] --help`` returns: plain text."""

    text: str

    def __str__(self) -> str:
        return self.text


def overview() -> str:
    rows = [(n, _COMMANDS[n].summary) for n in names()]
    width = max((len(n) for n, _ in rows), default=0) + 2
    body = "\n".join(f"  {n:<{width}}{s}" for n, s in rows)
    return ("Usage:  %docker COMMAND [OPTIONS] [ARG...]\n\nRun docker CLI commands through the "
            "Engine API.\n\nCommands:\n" + body + "\n\nRun '%docker COMMAND --help' for more "
            "information on a command.")


def resolve(tokens: list[str]) -> tuple[Command, list[str]]:
    """Find the command the tokens name; return it with the remaining tokens."""
    if not tokens or tokens[0] in ("-h", "--help", "help"):
        raise HelpRequested("")
    head = "--version" if tokens[0] == "-v" else tokens[0]  # the CLI's short spelling
    if head in groups():
        if len(tokens) < 2 or tokens[1] in ("-h", "--help"):
            subs = sorted({n.split()[1] for n in list(_COMMANDS) + list(ALIASES)
                           if n.split()[0] == head and " " in n})
            raise CommandError(f"'%docker {head}' needs a subcommand: {', '.join(subs)}.")
        found = get(f"{head} {tokens[1]}")
        if found is None:
            raise CommandError(f"unknown command: '%docker {head} {tokens[1]}'. "
                               f"See '%docker --help'.")
        return found, tokens[2:]
    found = get(head)
    if found is None:
        raise CommandError(f"unknown command: '%docker {head}'. See '%docker --help'.")
    return found, tokens[1:]


def parse_line(line: str):
    """``%docker``'s whole grammar: a spec dataclass, or ``Help`` for --help."""
    tokens = split(line)
    try:
        cmd, rest = resolve(tokens)
    except HelpRequested:
        return Help(overview())
    try:
        return cmd.parse(rest)
    except HelpRequested:
        return Help(cmd.help())
