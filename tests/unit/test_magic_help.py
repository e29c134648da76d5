"""Every magic answers ``--help`` with its own usage text, through the magic itself (no engine)."""

import pytest

from dockermagic.views.base import Text

CASES = [
    ("docker", None, "Usage:  %docker COMMAND"),
    ("dockerfile", "FROM debian:bookworm", "Usage:  %%dockerfile [OPTIONS]"),
    ("compose", "services: {}", "Usage:  %docker compose COMMAND"),
    ("dexec", None, "Usage:  %dexec [OPTIONS] CONTAINER [COMMAND]"),
    ("dexec", "print(1)", "Usage:  %%dexec [OPTIONS] CONTAINER"),
]


@pytest.mark.parametrize("magic, cell, usage", CASES)
def test_help_is_the_magics_usage(shell, magic, cell, usage):
    if cell is None:
        answer = shell.run_line_magic(magic, "--help")
    else:
        answer = shell.run_cell_magic(magic, "--help", cell)
    assert isinstance(answer, Text) and answer.text().startswith(usage), answer
