"""The {expr} rule: split first, then values in; a value is one argument, never a flag."""

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockermagic.commands import parse_line
from dockermagic.errors import CommandError
from dockermagic.expand import Expanded, expand_text, split_expand

NS = {
    "v": "1 --privileged",
    "q": "it's",
    "name": "web",
    "n": 7,
    "flag": "--privileged",
    "d": {"a": "b}"},
    "empty": "",
}


def words(line):
    return split_expand(line, dict(NS))


def test_a_value_stays_one_argument_whatever_it_holds():
    assert words("create -e A={v} debian:bookworm true") == [
        "create",
        "-e",
        "A=1 --privileged",
        "debian:bookworm",
        "true",
    ]
    assert words("run -e Q={q} img") == ["run", "-e", "Q=it's", "img"]
    assert words('run -e "X={v} y" img') == ["run", "-e", "X=1 --privileged y", "img"]
    assert words("rm {empty} x") == ["rm", "", "x"]


def test_a_value_never_becomes_a_flag():
    with pytest.raises(CommandError, match="never becomes a flag"):
        parse_line(words("create {flag} debian:bookworm true"))
    with pytest.raises(CommandError, match="never becomes a flag"):
        parse_line(words("rm {flag}"))
    # as an option's value, or in the container's command, a leading dash is data
    spec = parse_line(words("create --name {flag} debian:bookworm echo {flag}"))
    assert spec.name == "--privileged" and spec.command[-1] == "--privileged"
    assert not getattr(spec, "privileged", False)


def test_single_quotes_and_templates_are_left_alone_and_shell_variables_are_the_environments(monkeypatch):
    monkeypatch.setenv("HOME", "/home/u")
    monkeypatch.setenv("USER", "u")
    assert words("run img awk '{ print $2 }'") == ["run", "img", "awk", "{ print $2 }"]
    assert words("inspect -f '{{.Name}}' x") == ["inspect", "-f", "{{.Name}}", "x"]
    assert words('inspect -f "{{json .Config}}" x') == ["inspect", "-f", "{{json .Config}}", "x"]
    assert words("inspect -f {{.Id}} x") == ["inspect", "-f", "{{.Id}}", "x"]
    assert (
        words('inspect -f "{{range $k, $v := .Labels}}{{$k}}{{end}}" x')[2]
        == "{{range $k, $v := .Labels}}{{$k}}{{end}}"
    )  # a template's own variables are Go's
    # ${VAR} is the environment's, never the {expr} of a Python name (HOME is not defined in NS)
    assert words("run -v ${HOME}:/h -e A=$USER img") == ["run", "-v", "/home/u:/h", "-e", "A=u", "img"]
    assert words("run -v '${HOME}:/h' -e 'A=$USER' img") == [
        "run",
        "-v",
        "${HOME}:/h",
        "-e",
        "A=$USER",
        "img",
    ]
    assert words(r"run img find / -exec echo {} \;") == [
        "run",
        "img",
        "find",
        "/",
        "-exec",
        "echo",
        "{}",
        ";",
    ]
    assert words(r"run img echo \{name}") == ["run", "img", "echo", "{name}"]


def test_formats_conversions_and_python_strings_inside():
    assert words("x {name!r} {n:>3} {d['a']} {'}'}") == ["x", "'web'", "  7", "b}", "}"]
    assert isinstance(words("{name}")[0], Expanded) and not isinstance(words("a{name}")[0], Expanded)


def test_errors_are_one_line_command_errors():
    for line, text in [
        ("x {undefined}", "NameError"),
        ("x {name", "Unclosed"),
        ("x 'open", "single quote"),
        ('x "open', "double quote"),
        ("x {1/0}", "ZeroDivisionError"),
    ]:
        with pytest.raises(CommandError, match=text) as caught:
            words(line)
        assert "\n" not in str(caught.value)


def test_cell_body_text_keeps_templates_and_shell_variables():
    body = "echo {name} ${HOME} $USER {{.X}} {} \\{n}\n"
    assert expand_text(body, NS) == "echo web ${HOME} $USER {{.X}} {} \\{n}\n"


# shell syntax, $ and ~ have rules of their own (tests/unit/test_pasted_lines.py)
_plain = st.text(
    alphabet=st.characters(blacklist_characters="{}\\\x00|&;<>$`~#", blacklist_categories=("Cs",)),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_plain)
def test_lines_without_braces_split_as_shlex_does(line):
    try:
        expected = shlex.split(line, posix=True)
    except ValueError:
        with pytest.raises(CommandError):
            words(line)
        return
    assert words(line) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=30))
def test_any_value_lands_whole_in_its_word(before, value, after):
    def plain(text):
        return "".join(ch for ch in "".join(text.split()) if ch not in "{}'\"\\|&;<>$`~#")

    before, after = plain(before), plain(after)
    assert split_expand(f"cmd {before}{{x}}{after} end", {"x": value}) == [
        "cmd",
        before + value + after,
        "end",
    ]
