"""%docker exec, and the lines of %dexec and %%dexec."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Annotated

from ..errors import CommandError
from ..parsing.keyvalue import read_env_file
from .common_options import ENV, ENV_FILE, INTERACTIVE, TTY, USER, WORKDIR
from .grammar import (
    HelpRequested,
    Option,
    Parsed,
    Positional,
    Rest,
    flag,
    parse,
    refused,
    split,
    usage,
    value,
)
from .registry import command, fill, options_of


def _interpreter(text: str, where: str) -> tuple[str, ...]:
    """The interpreter's words; an unbalanced quote names where it was written."""
    try:
        return tuple(shlex.split(text))
    except ValueError as exc:
        raise CommandError(
            f"{where} {text!r}: {exc}; close the quote, or write it as --shell 'mysql -uroot -pX'."
        ) from None


ONE = Positional("container")


@dataclass(frozen=True)
class ExecSpec:
    container: Annotated[str, ONE]
    command: Annotated[tuple[str, ...], Rest()] = ()
    user: Annotated[str | None, USER] = None
    workdir: Annotated[str | None, WORKDIR] = None
    env: Annotated[tuple[str, ...], ENV] = ()
    privileged: Annotated[bool, flag("--privileged", help="Give extended privileges to the command")] = False
    detach: Annotated[bool, flag("-d", "--detach", help="Detached mode: run command in the background")] = (
        False
    )
    interactive: Annotated[bool, INTERACTIVE] = False
    tty: Annotated[bool, TTY] = False
    raise_on_error: bool = True
    script: str | None = None  # %%dexec: the cell, fed to the interpreter on stdin


# what %dexec and %%dexec take of exec's options
_COMMON = tuple(o for o in options_of(ExecSpec) if o.key in ("user", "workdir", "env", "privileged"))
_NO_RAISE = flag("--no-raise", help="Return the result of a failing command instead of raising")


@command(
    "exec",
    "Execute a command in a running container",
    [
        ENV_FILE,
        refused(
            "--detach-keys",
            reason="exec -it's terminal widget detaches with ctrl-p,ctrl-q (its own keys, which "
            "never reach the process), and no other sequence",
        ),
    ],
    family="container",
)
def exec_(p: Parsed) -> ExecSpec:
    if not p.rest:
        raise CommandError("'docker exec' requires a command to run after the container name.")
    env_files = [e for f in p.env_file for e in read_env_file(f)]
    return fill(ExecSpec, p, env=(*env_files, *p.env))


def _help(name: str, summary: str, options: tuple[Option, ...], rest: bool) -> str:
    return usage(name, summary, options, (ONE,), rest).replace(f"%docker {name}", name)


def parse_dexec_line(line: str) -> ExecSpec | str:
    """``%dexec [opts] CONTAINER CMD...``; returns help text for --help."""
    options = _COMMON + (_NO_RAISE,)
    try:
        p = parse("%dexec", split(line), options, (ONE,), command_rest=True)
    except HelpRequested:
        return _help(
            "%dexec", "Run a command inside a running container, streaming its output.", options, True
        )
    if not p.rest:
        raise CommandError(
            "%dexec needs a command after the container name, e.g. %dexec web ls /; "
            "for a script, use %%dexec web as a cell magic."
        )
    return fill(ExecSpec, p, raise_on_error=not p.no_raise)


def parse_dexec_cell(line: str, cell: str) -> ExecSpec | str:
    """``%%dexec CONTAINER [--shell CMD] [--expand] ...``: the cell runs as a script."""
    options = _COMMON + (
        _NO_RAISE,
        value(
            "--shell",
            help="Interpreter that reads the cell on stdin: sh (default), "
            'bash, python3, or a command such as "mysql -uroot -pX"',
        ),
        flag("--expand", help="Expand {expr} in the cell body too"),
    )
    try:
        p = parse("%%dexec", split(line), options, (ONE,))
    except HelpRequested:
        return _help("%%dexec", "Run the cell as a script inside a running container.", options, False)
    first = cell.lstrip("\n").split("\n", 1)[0]
    if p.shell is not None:
        interpreter = _interpreter(p.shell, "--shell")
    elif first.startswith("#!"):
        interpreter = _interpreter(first[2:], "the #! line")  # the script's own #! line decides
    else:
        interpreter = ("sh",)
    if not interpreter:
        raise CommandError("--shell needs a command, e.g. --shell bash")
    return fill(ExecSpec, p, command=interpreter, raise_on_error=not p.no_raise, script=cell)
