"""``--help`` lists a command's options in the docker CLI's order, whatever order its spec declares
them in: cobra sorts a command's flags by their long name (``-a, --all`` under ``all``). The taken
options come first, then the refused ones, each list in that order."""

from __future__ import annotations

import os
import re

from dockermagic.commands import registry
from dockermagic.commands.grammar import flag, refused, usage, value
from tests import flag_inventory as inventory

_ROW = re.compile(r"^  (?:-\w, )?(--[\w-]+)")


def listed(help_text: str) -> tuple[list[str], list[str]]:
    """The long names ``--help`` lists: (under Options, under Refused)."""
    taken: list[str] = []
    refusals: list[str] = []
    rows = None
    for line in help_text.splitlines():
        if line == "Options:":
            rows = taken
        elif line.startswith("Refused"):
            rows = refusals
        elif rows is not None and (match := _ROW.match(line)):
            rows.append(match.group(1))
    return taken, refusals


def test_help_sorts_by_long_name_not_by_declaration():
    options = (
        value("--zeta", help="last"),
        flag("-a", "--all", help="under all, not a"),
        value("--cpus", help="after cpu-period"),
        value("--cpu-period", help="'-' sorts before a letter"),
        refused("--squash", reason="refused"),
        refused("-c", "--compress", reason="refused"),
    )
    taken, refusals = listed(usage("demo", "A demo", options, ()))
    assert taken == ["--all", "--cpu-period", "--cpus", "--zeta"]
    assert refusals == ["--compress", "--squash"]


def test_every_command_lists_its_flags_in_the_cli_order():
    """Against the docker.io CLI the set-up installs (its ``--help`` needs no engine)."""
    cli = inventory.CLIS[0]
    assert os.access(cli, os.X_OK), "the set-up installs docker.io, whose CLI is the reference"
    compared = 0
    for name in inventory.command_names():
        theirs = inventory.read_help(cli, name.split())
        if theirs is None:
            continue  # a command this CLI predates (`context show`)
        found = registry.get(name)
        assert found is not None
        for ours in listed(found.help()):
            in_both = [n for n in ours if n in theirs]
            assert in_both == [n for n in theirs if n in ours], f"{name}: --help is not in the CLI's order"
        compared += 1
    assert compared > 80
