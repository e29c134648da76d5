"""Our Dockerfile reader against the official one (the `dockerfile` package wraps BuildKit's Go
parser, which the engine's classic builder shares) on every Dockerfile of the tests and notebooks
and on edge cases: the same instructions, on the same lines, with the same arguments, and the same
verdict on heredocs. Ours is kept because it is faster (bench/bench_dockerfile.py) and needs no
compiled wheel; this comparison is what makes it safe to keep."""

import dockerfile as official
import pytest

from dockermagic.engine.dockerfile import has_heredoc, split_instructions
from tests.dockerfile_cases import EDGE_CASES, all_cases, harvested


def _words(text: str) -> str:
    return " ".join(text.split())


def _official(text: str):
    """(line, KEYWORD, arguments, heredoc?) per instruction, up to the first heredoc."""
    try:
        commands = official.parse_string(text)
    except official.GoParseError as exc:
        assert "heredoc" in str(exc), exc  # the one parse error of these cases: an unterminated one
        return "heredoc"
    out = []
    for c in commands:
        keyword, _, args = c.original.split("\n", 1)[0].strip().partition(" ")
        if c.heredocs or (c.cmd.upper() == "ONBUILD" and _onbuild_heredoc(text, c.start_line)):
            out.append((c.start_line, c.cmd.upper(), True))
            return out
        out.append((c.start_line, c.cmd.upper(), _words(c.original.strip()[len(keyword) :])))
    return out


def _onbuild_heredoc(text: str, line: int) -> bool:
    """The package reports no heredocs of ONBUILD's instruction (it reads their bodies all the
    same): ask it about that instruction without the ONBUILD."""
    lines = text.splitlines()
    lines[line - 1] = lines[line - 1].replace("ONBUILD", "", 1).lstrip()
    return any(c.heredocs for c in official.parse_string("\n".join(lines)) if c.start_line == line)


def _ours(text: str):
    out = []
    for ins in split_instructions(text)[0]:
        if has_heredoc(ins):
            out.append((ins.line, ins.keyword, True))
            return out
        out.append((ins.line, ins.keyword, _words(ins.args)))
    return out


def test_the_cases_cover_the_tests_the_notebooks_and_heredocs():
    found = harvested()
    assert len(found) > 60  # the notebooks' and the tests' Dockerfiles are read, not listed by hand
    assert any("<<<" in c for c in EDGE_CASES) and any("<<EOF" in c for c in EDGE_CASES)


@pytest.mark.parametrize("text", all_cases())
def test_same_instructions_as_the_official_parser(text):
    expected = _official(text)
    got = _ours(text)
    if expected == "heredoc":
        assert got and got[-1][2] is True
    else:
        assert got == expected
