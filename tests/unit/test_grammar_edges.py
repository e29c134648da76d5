"""The CLI grammar's edges: help text as the CLI shapes it, option keys and initial values,
'=' forms, conversions, positionals, command groups and aliases, and the exact one-line errors."""

import pytest

from dockermagic.commands.grammar import LIST, Option, Positional, flag, parse, repeated, split, usage, value
from dockermagic.commands.registry import Help, get, groups, overview, parse_line
from dockermagic.errors import CommandError

OPTIONS = (
    flag("-d", "--detach", help="detach"),
    repeated("-e", "--env", help="env"),
    value("-m", "--memory", help="memory", convert=int),
    value("-h", "--hostname", help="hostname"),
    flag("--rm", help="remove"),
)
COPY = (Positional("src", many=True), Positional("dst"))


def cp(*tokens, positionals=COPY, rest=False):
    return parse("cmd", list(tokens), OPTIONS, positionals, rest)


def error(*tokens, positionals=COPY, rest=False) -> str:
    with pytest.raises(CommandError) as info:
        cp(*tokens, positionals=positionals, rest=rest)
    return str(info.value)


SEE = "See '%docker cmd --help'."


def test_help_text_is_shaped_like_the_clis():
    """Options in the CLI's order (by long name; a short-only one by its letter)."""
    options = (
        flag("-d", "--detach", help="Run in background"),
        value("--name", help="Assign a name"),
        repeated("-e", "--env", help="Set env"),
        value("--wait", help="Wait", optional_value=True, const="default", metavar="seconds"),
        value("-w", help="Workdir"),
    )
    text = usage(
        "run",
        "Create and run",
        options,
        (Positional("image"), Positional("extra", required=False, many=True)),
        command_rest=True,
    )
    assert text == (
        "Usage:  %docker run [OPTIONS] IMAGE [EXTRA...] [COMMAND] [ARG...]\n"
        "\n"
        "Create and run\n"
        "\n"
        "Options:\n"
        "  -d, --detach      Run in background\n"
        "  -e, --env list    Set env\n"
        "  --name string     Assign a name\n"
        "  -w string         Workdir\n"
        "  --wait[=seconds]  Wait"
    )
    assert usage("x", "S", (), (Positional("a", required=False),)) == "Usage:  %docker x [OPTIONS] [A]\n\nS"


def test_option_keys_and_initial_values():
    assert Option(("--env-file",), "h").key == "env_file"
    assert Option(("-w",), "h").key == "w"
    assert Option(("-w", "--work-dir"), "h").key == "work_dir"
    listed = Option(("-e",), "h", LIST, default=("A=1",))
    first, second = listed.initial(), listed.initial()
    assert first == ["A=1"] and first is not second  # a fresh list per parse
    assert flag("--x", help="", default=1).initial() is True and flag("--x", help="").initial() is False
    assert value("--x", help="", default="v").initial() == "v"
    assert value("--x", help="").metavar == "string" and repeated("--x", help="").metavar == "list"


def test_equals_forms_for_short_flags_and_values():
    p = cp("-e=A=1", "-d=false", "a", "b")
    assert p.env == ["A=1"] and p.detach is False
    assert cp("-hbox", "a", "b").hostname == "box"
    assert cp("--rm=T", "--detach=no", "a", "b").options == {
        "detach": False,
        "env": [],
        "memory": None,
        "hostname": None,
        "rm": True,
    }
    assert cp("--memory=5", "a", "b").memory == 5


def test_an_option_named_h_is_not_help():
    assert cp("-h", "box", "a", "b").hostname == "box"


def test_exact_errors():
    assert error("-de") == f"flag needs an argument: 'e' in -de. {SEE}"
    assert error("-m", "x", "a", "b") == (
        f'invalid argument "x" for "-m" flag: invalid literal for int() with base 10: \'x\'. {SEE}'
    )
    assert error("-d=maybe", "a", "b") == f'invalid argument "maybe" for "-d" flag: use true or false. {SEE}'
    assert error("a") == f"'docker cmd' requires at least 1 src. {SEE}"
    assert (
        error("a", "b", positionals=(Positional("one"),))
        == f"'docker cmd' got an unexpected argument: 'b'. {SEE}"
    )
    assert error(positionals=(Positional("one"), Positional("two"))) == (
        f"'docker cmd' requires 2 arguments (one, two). {SEE}"
    )
    assert error(positionals=(Positional("one"),)) == f"'docker cmd' requires 1 argument (one). {SEE}"
    with pytest.raises(CommandError) as info:
        split("a 'b")
    assert str(info.value) == "Cannot split the line: no closing single quote. Close the quote or escape it."


def test_positionals_share_the_loose_tokens():
    p = cp("--", "-d", "x", "y")
    assert p.args == {"src": ["-d", "x"], "dst": "y"} and not p.detach
    assert cp(positionals=(Positional("one", required=False),)).args == {"one": None}
    many = (Positional("names", required=False, many=True),)
    assert cp(positionals=many).args == {"names": []}
    p = cp("--", "img", "-d", positionals=(Positional("image"),), rest=True)
    assert p.image == "img" and p.rest == ["-d"]
    with pytest.raises(AttributeError):
        p.nothing  # noqa: B018 - the attribute read is what raises


def test_groups_aliases_and_their_errors():
    assert {"container", "image", "network", "volume", "system", "builder"} <= groups()
    assert (
        type(parse_line("container ls -a")) is type(parse_line("ps -a"))
        and parse_line("image ls").__class__ is parse_line("images").__class__
    )
    assert get("container ls") is get("ps") and get("bogus") is None
    with pytest.raises(CommandError) as info:
        parse_line("network")
    assert str(info.value) == (
        "'%docker network' needs a subcommand: connect, create, disconnect, inspect, list, ls, prune, remove, rm."
    )
    with pytest.raises(CommandError) as info:
        parse_line("network bogus")
    assert str(info.value) == "unknown command: '%docker network bogus'. See '%docker network --help'."
    with pytest.raises(CommandError) as info:
        parse_line("bogus")
    assert str(info.value) == "unknown command: '%docker bogus'. See '%docker --help'."


def test_help_for_the_tool_and_for_a_command():
    for line in ("", "help", "-h", "--help"):
        assert parse_line(line).text == overview()
    text = overview()
    assert text.startswith(
        "Usage:  %docker COMMAND [OPTIONS] [ARG...]\n\nRun docker CLI commands through the "
        "Engine API.\n\nCommands:\n  attach "
    )
    assert text.endswith("\n\nRun '%docker COMMAND --help' for more information on a command.")
    assert "\n  ps  " in text and "\n  network ls  " in text
    ps_help = parse_line("ps --help")
    assert isinstance(ps_help, Help) and str(ps_help) == get("ps").help()
    assert str(ps_help).startswith("Usage:  %docker ps [OPTIONS]\n\n")
