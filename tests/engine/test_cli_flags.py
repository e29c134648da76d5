"""Every flag the installed docker CLIs list in ``--help`` for a command ``%docker`` supports is
implemented or refused by name with a reason; none is missing.

The lists come from the CLIs themselves (``tests/flag_inventory.py`` says how they are read and
which flags are out of scope: the global ones, issue 16's). The docker.io CLI is on every machine
after the set-up; the 28.x one in ``/usr/local/bin`` is read when it is there.
"""

from __future__ import annotations

import pytest

from tests import flag_inventory as inventory

INSTALLED = inventory.installed()


def test_the_docker_io_cli_is_there():
    assert inventory.CLIS[0] in INSTALLED, "the set-up installs docker.io, whose CLI is the reference"


@pytest.mark.parametrize("cli", INSTALLED)
def test_the_recorded_lists_are_the_installed_clis(cli):
    """The README's figure is counted from the recording: it must be what the CLI says today."""
    version = inventory.cli_version(cli)
    recorded = inventory.load()
    live = inventory.read_cli(cli)
    if version not in recorded:
        pytest.fail(f"{cli} {version} is not recorded: run python -m tests.flag_inventory --record")
    assert live == recorded[version], "run python -m tests.flag_inventory --record, then update the README"


def test_no_cli_flag_is_missing(capsys):
    live = {inventory.cli_version(cli): inventory.read_cli(cli) for cli in INSTALLED}
    figure = inventory.count(inventory.reference(live))
    with capsys.disabled():
        print(f"\nCLI flags ({', '.join(live)}): {figure.line()}")
    missing = [f"{name} {long}" for name, long in figure.missing]
    assert not missing, f"neither implemented nor refused with a reason: {', '.join(missing)}"
    shorts = [f"{name} {short} ({long})" for name, long, short in figure.wrong_short]
    assert not shorts, f"the CLI's one-letter spelling is not declared: {', '.join(shorts)}"


def test_every_command_is_one_a_cli_knows():
    """Every command counted (all but dockermagic's own and plugins') is in a CLI's lists: one an
    installed CLI does not know is one a newer recorded CLI has (20.10 predates `context show`)."""
    recorded = inventory.load()
    for cli in INSTALLED:
        for name in inventory.read_cli(cli)["unknown"]:
            knowing = [version for version, lists in recorded.items() if name in lists["commands"]]
            assert knowing, f"{name}: no docker CLI has this command ({cli} does not)"
