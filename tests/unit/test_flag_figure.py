"""The README's figure of the CLI's flags (implemented, refused with a reason, missing), re-counted
from the registry and the recorded ``--help`` lists of the CLIs; and every refused flag refused by
name, in one line, with its reason.

``tests/engine/test_cli_flags.py`` checks the recording against the CLIs installed.
"""

from __future__ import annotations

import re

import pytest

from dockermagic.commands import parse_line, registry
from dockermagic.errors import CommandError
from tests import flag_inventory as inventory

README = (inventory.ROOT / "README.md").read_text()
FIGURE = re.compile(
    r"\*\*(\d+) flags of (\d+) commands: (\d+) implemented, (\d+) refused by name with a reason, "
    r"(\d+) missing\*\*"
)


def test_the_readme_figure_is_the_registrys():
    found = FIGURE.search(README)
    assert found, "the README states the figure of the CLI's flags"
    counted = inventory.count(inventory.reference(inventory.load()))
    assert tuple(int(n) for n in found.groups()) == (
        counted.total,
        counted.commands,
        len(counted.implemented),
        len(counted.refused),
        len(counted.missing),
    ), f"update the README: {counted.line()}"
    assert counted.missing == [], [f"{name} {long}" for name, long in counted.missing]


def test_every_command_is_in_the_recording():
    """A command registered after the recording is not counted: record the CLIs' lists again."""
    for version, lists in inventory.load().items():
        seen = set(lists["commands"]) | set(lists["unknown"])
        unseen = [name for name in inventory.command_names() if name not in seen]
        assert not unseen, f"{unseen}: run python -m tests.flag_inventory --record ({version})"


def test_the_recording_names_both_clis():
    versions = list(inventory.load())
    assert any(v.startswith("20.10.") for v in versions), versions
    assert len(versions) >= 2, "the docker.io CLI and a current one"


REFUSED = [
    (c.name, flag_name, reason)
    for c in registry.commands()
    for flag_name, reason in sorted(inventory.declared(c.name)[1].items())
]


@pytest.mark.parametrize("name, flag_name, reason", REFUSED, ids=[f"{n} {f}" for n, f, _ in REFUSED])
def test_a_refused_flag_says_which_and_why_in_one_line(name, flag_name, reason):
    for written in (flag_name, f"{flag_name}=x"):
        with pytest.raises(CommandError) as info:
            parse_line(f"{name} {written} some-name other-name")
        message = str(info.value)
        assert flag_name in message and reason in message and "\n" not in message
        assert "unknown" not in message
    assert reason.strip() and len(reason) > 15, "a reason says why"


def test_help_lists_the_refused_flags_with_their_reasons():
    for name, flag_name, reason in REFUSED:
        text = str(parse_line(f"{name} --help"))
        refused_part = text.split("Refused (", 1)[1]
        assert flag_name in refused_part and " ".join(reason.split()[:4]) in refused_part, (name, flag_name)
