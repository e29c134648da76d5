"""Dockerfile reading and .dockerignore rules, without an engine."""

import pytest

from dockermagic.engine.context import IgnoreRules
from dockermagic.engine.dockerfile import BuildKitOnly, needs_context, parse
from dockermagic.errors import CommandError


@pytest.mark.parametrize(
    "rules, path, excluded",
    [
        ("*.log", "a.log", True),
        ("*.log", "dir/a.log", False),
        ("**/*.log", "dir/sub/a.log", True),
        ("logs", "logs/a/b.txt", True),
        ("/build", "build/x", True),
        ("*.md\n!README.md", "README.md", False),
        ("*.md\n!README.md", "NOTES.md", True),
        ("data/*\n!data/keep", "data/keep", False),
        ("data/*\n!data/keep", "data/drop", True),
        ("# comment\n", "x", False),
        ("a?c", "abc", True),
        ("[ab].txt", "b.txt", True),
        # "**" inside an element stands for whole directories, as in the CLI's matcher
        ("c/**.txt", "c/top.txt", False),
        ("c/**.txt", "c/d/.txt", True),
        ("a/**", "a/b/c", True),
    ],
)
def test_dockerignore(rules, path, excluded):
    assert IgnoreRules.parse(rules).excluded(path) is excluded


def test_continuations_comments_and_line_numbers():
    ins = parse("# a comment\nFROM x\n\nRUN a \\\n  # inside\n  && b\nENV A=1\n")
    assert [(i.line, i.keyword) for i in ins] == [(2, "FROM"), (4, "RUN"), (7, "ENV")]
    assert ins[1].args == "a   && b"  # as BuildKit joins it: the next line keeps its indentation


def test_context_detection():
    assert not needs_context(parse("FROM x\nRUN true\n"))
    assert needs_context(parse("FROM x\nCOPY a /a\n"))
    assert not needs_context(parse("FROM x AS b\nFROM y\nCOPY --from=b /a /a\n"))
    assert not needs_context(parse("FROM x\nADD https://example.com/f /f\n"))


@pytest.mark.parametrize(
    "text, match",
    [
        ("FROM x\nRUN --mount=type=cache,target=/c true\n", "RUN --mount"),
        ("FROM x\nCOPY --link a /a\n", "--link"),
        ("# syntax=docker/dockerfile:1\nFROM x\n", "syntax"),
        ("FROM x\nRUN <<EOF\nls\nEOF\n", "heredocs"),
    ],
)
def test_buildkit_only_syntax_is_named(text, match):
    with pytest.raises(BuildKitOnly, match=match):
        parse(text)


def test_bad_dockerfiles():
    with pytest.raises(CommandError, match="line 2: unknown instruction: FORM"):
        parse("FROM x\nFORM y\n")
    with pytest.raises(CommandError, match="empty"):
        parse("# nothing\n")
    with pytest.raises(CommandError, match="first instruction must be FROM"):
        parse("RUN x\n")
