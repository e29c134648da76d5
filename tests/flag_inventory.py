"""The docker CLI's flags for every command ``%docker`` supports, and what the registry does with each.

The reference (issue 13) is the docker.io CLI the set-up installs (``/usr/bin/docker``, 20.10) plus
the flags of current CLIs (the 28.x one some machines have in ``/usr/local/bin``). Their ``--help``
lists are recorded in ``tests/data/cli_flags.json``: the engine test checks the recording against
the CLIs installed, the unit test counts from it and the registry, so the README's figure is checked
on a machine with no CLI at all.

A CLI hides, in ``--help``, the flags that the engine it reaches cannot serve (a newer API version,
experimental mode): the lists are read with ``DOCKER_HOST`` pointing at no engine, which shows every
flag the CLI knows.

Out of scope here: the CLI's global flags (``--config``, ``-c/--context``, ``-H/--host``, ``--tls*``,
``-D/--debug``, ``-l/--log-level``), which belong to issue 16; they are never in a command's own
``Options:`` list, and are excluded by name in case a CLI ever lists them there.

Run ``python -m tests.flag_inventory`` to print the figure, ``--record`` to record the installed
CLIs' lists again.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDING = ROOT / "tests" / "data" / "cli_flags.json"

# The docker.io CLI first: it is on every machine after the set-up.
CLIS = ("/usr/bin/docker", "/usr/local/bin/docker")

GLOBAL_FLAGS = frozenset(
    {"--config", "--context", "--host", "--tls", "--tlscacert", "--tlscert", "--tlskey", "--tlsverify"}
    | {"--debug", "--log-level"}
)

# `--help` is in every command's grammar; the CLI lists it only where `-h` means something else.
GRAMMAR_FLAGS = frozenset({"--help"})

# Commands of dockermagic's own, which no CLI has; and `compose`, a CLI plugin (issue 15's).
OWN_COMMANDS = frozenset({"layers", "session"})
PLUGINS = frozenset({"compose"})

_FLAG_LINE = re.compile(r"^  (?:-(\w), |    )(--[\w-]+)")
_NO_ENGINE = "unix:///nonexistent/dockermagic-flag-inventory.sock"


def cli_version(cli: str) -> str:
    out = subprocess.run([cli, "--version"], capture_output=True, text=True, timeout=60, check=True)
    match = re.search(r"version (\S+?),", out.stdout)
    if not match:
        raise RuntimeError(f"{cli} --version said {out.stdout!r}")
    return match.group(1)


def read_help(cli: str, argv: list[str]) -> dict[str, str] | None:
    """``{"--long": "-s" or ""}`` from ``CLI ARGV... --help``; None when the CLI has no such command.
    A build's list depends on the builder the CLI would use (the 20.10 CLI shows ``--output`` and
    ``--ssh`` only with ``DOCKER_BUILDKIT=1``, ``--memory`` only without), so it is read with each."""
    lists = [_read_help(cli, argv, buildkit) for buildkit in ("0", "1")]
    if all(found is None for found in lists):
        return None
    merged = {long: short for found in lists if found for long, short in found.items()}
    return dict(sorted(merged.items()))  # the CLI's order: cobra sorts flags by their long name


def _read_help(cli: str, argv: list[str], buildkit: str) -> dict[str, str] | None:
    env = {**os.environ, "DOCKER_HOST": _NO_ENGINE, "DOCKER_BUILDKIT": buildkit}
    env.pop("DOCKER_CONTEXT", None)
    done = subprocess.run([cli, *argv, "--help"], capture_output=True, text=True, env=env, timeout=60)
    usage = f"Usage:  docker {' '.join(argv)}"
    if done.returncode != 0 or not done.stdout.lstrip().startswith(usage):
        return None
    found: dict[str, str] = {}
    section = done.stdout.split("\nOptions:\n", 1)[1] if "\nOptions:\n" in done.stdout else ""
    for line in section.splitlines():
        if line and not line.startswith(" "):  # the next section
            break
        match = _FLAG_LINE.match(line)
        if match and match.group(2) not in GLOBAL_FLAGS:
            found[match.group(2)] = f"-{match.group(1)}" if match.group(1) else ""
    return found


def command_names() -> list[str]:
    """The registry's commands as the CLI names them (``network create``), without ``--version``
    (a global flag), dockermagic's own commands and plugins'."""
    from dockermagic.commands import registry

    return [
        c.name
        for c in registry.commands()
        if not c.name.startswith("-") and c.name not in OWN_COMMANDS and c.name.split()[0] not in PLUGINS
    ]


@functools.cache
def read_cli(cli: str) -> dict[str, object]:
    """One installed CLI's lists: ``{"commands": {name: flags}, "unknown": [names it lacks]}``."""
    commands: dict[str, dict[str, str]] = {}
    unknown: list[str] = []
    for name in command_names():
        flags = read_help(cli, name.split())
        if flags is None:
            unknown.append(name)
        else:
            commands[name] = flags
    return {"commands": commands, "unknown": unknown}


def installed() -> list[str]:
    return [cli for cli in CLIS if os.access(cli, os.X_OK)]


def load() -> dict[str, dict[str, object]]:
    """The recording: ``{cli version: read_cli(...)}``."""
    recorded: dict[str, dict[str, object]] = json.loads(RECORDING.read_text())
    return recorded


def record() -> None:
    recorded = {cli_version(cli): read_cli(cli) for cli in installed()}
    RECORDING.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")


def reference(recorded: dict[str, dict[str, object]]) -> dict[str, dict[str, str]]:
    """Every recorded CLI's flags, merged: ``{command: {"--long": "-s"...}}`` (a short letter from
    any CLI that has one; ``restart -t`` is ``--time`` in 20.10 and ``--timeout`` in 28.x)."""
    merged: dict[str, dict[str, str]] = {}
    for lists in recorded.values():
        commands = lists["commands"]
        assert isinstance(commands, dict)
        for name, flags in commands.items():
            into = merged.setdefault(name, {})
            for long, short in flags.items():
                into[long] = into.get(long) or short
    return merged


def declared(name: str) -> tuple[set[str], dict[str, str]]:
    """What the registry's command ``name`` does: the flag names it implements, and the flags it
    refuses by name with the reason."""
    from dockermagic.commands import registry

    found = registry.get(name)
    assert found is not None, name
    return set(found.flags), dict(found.refused_flags)


@dataclass
class Figure:
    implemented: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # command, flag, reason
    missing: list[tuple[str, str]] = field(default_factory=list)
    wrong_short: list[tuple[str, str, str]] = field(default_factory=list)  # command, flag, CLI's letter
    commands: int = 0

    @property
    def total(self) -> int:
        return len(self.implemented) + len(self.refused) + len(self.missing)

    def line(self) -> str:
        return (
            f"{self.total} flags of {self.commands} commands: {len(self.implemented)} implemented, "
            f"{len(self.refused)} refused by name with a reason, {len(self.missing)} missing"
        )


def count(flags_by_command: dict[str, dict[str, str]]) -> Figure:
    """Each CLI flag of each registered command: implemented, refused with a reason, or missing."""
    figure = Figure()
    for name in command_names():
        if name not in flags_by_command:
            continue
        figure.commands += 1
        implemented, refused = declared(name)
        for long, short in sorted(flags_by_command[name].items()):
            if long in refused:
                figure.refused.append((name, long, refused[long]))
            elif long in implemented or long in GRAMMAR_FLAGS:
                figure.implemented.append((name, long))
                if short and short not in implemented and short not in refused:
                    figure.wrong_short.append((name, long, short))
            else:
                figure.missing.append((name, long))
    return figure


if __name__ == "__main__":
    if "--record" in sys.argv:
        record()
    counted = count(reference(load()))
    print(counted.line())
    for name, long in counted.missing:
        print(f"missing: {name} {long}")
    for name, long, short in counted.wrong_short:
        print(f"short letter not declared: {name} {short} ({long})")
    if "-v" in sys.argv:
        for name, long, reason in counted.refused:
            print(f"refused: {name} {long}: {reason}")
