"""Dockerfile reading before the engine: parser directives, continuations, whether a context is
needed, and the exact one-line errors (each says what to do)."""

import pytest

from dockermagic.engine.dockerfile import INSTRUCTIONS, BuildKitOnly, needs_context, parse
from dockermagic.errors import CommandError


def error_of(text: str) -> str:
    with pytest.raises(CommandError) as info:
        parse(text)
    return str(info.value)


def test_escape_directive_switches_the_continuation_character():
    ins = parse("# escape=`\nFROM x\nRUN dir c:\\\nRUN a `\n  b\n")
    assert [(i.keyword, i.args) for i in ins] == [("FROM", "x"), ("RUN", "dir c:\\"), ("RUN", "a   b")]


def test_an_empty_escape_directive_keeps_the_backslash():
    assert parse("# escape=\nFROM x\nRUN a \\\n  b\n")[1].args == "a   b"


def test_directives_end_at_the_first_comment_blank_line_or_instruction():
    # as the engine reads them: afterwards '# name=value' is an ordinary comment
    for head in ("# a comment\n", "\n", "FROM x\n"):
        ins = parse(head + "# syntax=docker/dockerfile:1\n# escape=`\nFROM y\nRUN a \\\n  b\n")
        assert ins[-1].args == "a   b"


def test_continuations_join_every_line_up_to_the_last():
    ins = parse("FROM x\nRUN a \\\n  b \\\n  c\n")
    # as BuildKit's parser joins them (tests/unit/test_dockerfile_oracle.py): the escape goes, the
    # spaces before it and the next line's indentation stay
    assert ins[1].args == "a   b   c" and len(ins) == 2


def test_a_continuation_on_the_last_line_ends_the_instruction():
    assert parse("FROM x\nRUN a \\\n  b")[1].args == "a   b"
    assert parse("FROM x\nRUN a \\")[1].args == "a"


def test_arg_may_come_before_from():
    assert [i.keyword for i in parse("ARG V=1\nFROM x:$V\n")] == ["ARG", "FROM"]


def test_exact_errors_say_what_to_do():
    assert error_of("# nothing\n") == "The Dockerfile is empty: write at least a FROM line."
    assert error_of("RUN x\n") == (
        "Dockerfile line 1: the first instruction must be FROM (or ARG before FROM), not RUN."
    )
    assert error_of("FROM x\nZZZ y\n") == (
        "Dockerfile line 2: unknown instruction: ZZZ; write one of " + ", ".join(sorted(INSTRUCTIONS)) + "."
    )
    assert error_of("FROM x\nEXPOSS 80\n") == (
        "Dockerfile line 2: unknown instruction: EXPOSS; did you "
        "mean EXPOSE? Correct the spelling on that line."
    )


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "# syntax=docker/dockerfile:1\nFROM x\n",
            "line 1: the '# syntax=' directive needs BuildKit, which the Engine API's builder is not; "
            "remove the line.",
        ),
        (
            "FROM x\nRUN --mount=type=cache,target=/c true\n",
            "line 2 (RUN): RUN --mount needs BuildKit, which the Engine API's builder is not; "
            "drop the flag (e.g. use a plain RUN, or COPY the files in).",
        ),
        (
            "FROM x\nRUN --security=insecure true\n",
            "line 2 (RUN): RUN --security needs BuildKit, which the Engine API's builder is not; "
            "drop the flag (e.g. use a plain RUN, or COPY the files in).",
        ),
        (
            "FROM x\nRUN <<eot\nls\neot\n",
            "line 2 (RUN): heredocs (<<EOF) need BuildKit, which the Engine API's builder is not; "
            "write the commands on RUN lines joined with && instead.",
        ),
        (
            "FROM x\nADD <<EOF /etc/motd\nhi\nEOF\n",
            "line 2 (ADD): heredocs (<<EOF) need BuildKit, which the Engine API's builder is not; "
            "write the commands on RUN lines joined with && instead.",
        ),
        (
            "FROM x\nADD --keep-git-dir=true https://example.test/r.git /r\n",
            "line 2 (ADD): ADD --keep-git-dir needs BuildKit; remove it.",
        ),
    ],
)
def test_buildkit_only_forms_are_refused_in_one_exact_line(text, message):
    with pytest.raises(BuildKitOnly) as info:
        parse(text)
    assert str(info.value) == message


def test_heredoc_markers_outside_run_copy_add_are_plain_text():
    assert parse("FROM x\nLABEL note=<<EOF\n")[1].args == "note=<<EOF"


@pytest.mark.parametrize(
    "text, needed",
    [
        ("FROM x\nADD a.tar /\n", True),
        ("FROM x\nADD --chown=1:1 a /a\n", True),
        ("FROM x\nADD --chown=1:1 https://example.test/f /f\n", False),
        ("FROM x\nADD https://example.test/a local /dst/\n", True),
        ("FROM x\nADD https://example.test/a http://example.test/b /dst/\n", False),
        ("FROM x\nCOPY --chown=1:1 a /a\n", True),
        ("FROM x\nRUN cp a b\n", False),
    ],
)
def test_context_is_needed_only_when_add_or_copy_reads_from_it(text, needed):
    assert needs_context(parse(text)) is needed
