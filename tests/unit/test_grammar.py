"""The CLI grammar on its own: clustered flags, =values, repeated options, rest."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockermagic.commands.grammar import HelpRequested, Positional, flag, parse, repeated, split, value
from dockermagic.commands.registry import Help, parse_line
from dockermagic.errors import CommandError

OPTIONS = (
    flag("-d", "--detach", help="detach"),
    flag("-i", "--interactive", help="stdin"),
    flag("-t", "--tty", help="tty"),
    flag("--rm", help="remove"),
    value("--name", help="name"),
    repeated("-e", "--env", help="env"),
    repeated("-p", "--publish", help="ports"),
    value("--wait", help="wait", optional_value=True, const="default"),
)
RUN = (Positional("image"),)


def run(line):
    return parse("run", split(line), OPTIONS, RUN, command_rest=True)


def test_clustered_short_flags_and_attached_values():
    p = run("-dit -p8080:80 -dp 9090:90 img")
    assert p.detach and p.interactive and p.tty
    assert p.publish == ["8080:80", "9090:90"]


def test_long_forms_and_repeats():
    p = run("--name=web --name db -e A=1 --env B=2 -eC=3 img")
    assert p.name == "db" and p.env == ["A=1", "B=2", "C=3"]


def test_boolean_written_out():
    assert run("--rm=false img").rm is False
    assert run("--rm=true img").rm is True
    with pytest.raises(CommandError, match="true or false"):
        run("--rm=maybe img")


def test_everything_after_the_image_is_the_command():
    p = run("-d img sh -c 'echo $HOME' --rm -x")
    assert p.image == "img" and p.rest == ["sh", "-c", "echo $HOME", "--rm", "-x"]
    assert p.rm is False


def test_double_dash_ends_options():
    p = run("-- img -d")
    assert p.image == "img" and p.rest == ["-d"] and not p.detach


def test_optional_value_only_after_equals():
    assert run("--wait img").wait == "default"
    assert run("--wait=30 img").wait == "30"
    assert run("img").wait is None


@pytest.mark.parametrize(
    "line, message",
    [
        ("--bogus img", "unknown flag: --bogus"),
        ("-dz img", "unknown shorthand flag: 'z' in -dz"),
        ("--name", "flag needs an argument: --name"),
        ("-d", "requires 1 argument"),
        ("'img", "Cannot split"),
    ],
)
def test_bad_input_is_one_clear_line(line, message):
    with pytest.raises(CommandError, match=message) as info:
        run(line)
    assert "\n" not in str(info.value)


def test_help_anywhere_before_the_command():
    assert isinstance(parse_line("version --help"), Help)
    assert isinstance(parse_line("--help"), Help)
    assert "version" in parse_line("").text


TOKENS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "-d",
                "-it",
                "-p",
                "--name",
                "--name=x",
                "--rm=false",
                "--wait",
                "--wait=3",
                "-e",
                "--",
                "-",
                "img",
                "--bogus",
                "-z",
                "-dp",
                "-e=A",
                "--rm=",
                "'",
                '"',
            ]
        ),
        st.text(max_size=8),
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(TOKENS)
def test_any_tokens_give_a_result_or_a_command_error(tokens):
    try:
        parse("run", tokens, OPTIONS, RUN, command_rest=True)
    except (CommandError, HelpRequested):  # a token '--help' or '-h' asks for the help text
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_line_gives_a_spec_help_or_command_error(line):
    try:
        parse_line(line)
    except CommandError as exc:
        assert "\n" not in str(exc) or "\n" in line  # only the user's own newline may show
