"""Parsing of the build, logs, network/volume and lifecycle families into their specs, with the
exact one-line errors for bad values."""
import pytest

from dockermagic.commands import parse_line
from dockermagic.commands.build import BuildSpec, parse_cell_line
from dockermagic.errors import CommandError


def error(line: str) -> str:
    with pytest.raises(CommandError) as info:
        parse_line(line)
    return str(info.value)


def test_build_takes_every_option():
    spec = parse_line("build -t a:1 -t b --build-arg A=1 --build-arg B --label x=y --target t --no-cache "
                      "--pull --platform linux/amd64 -q -f D ctx")
    assert spec == BuildSpec(context="ctx", dockerfile="D", cell=None, tags=("a:1", "b"),
                             build_args=(("A", "1"), ("B", None)), target="t", no_cache=True, pull=True,
                             labels=(("x", "y"),), platform="linux/amd64", quiet=True)


def test_build_pairs_need_a_key():
    assert error("build --build-arg =x .") == "--build-arg '=x': use KEY=VALUE."
    assert error("build --label =x .") == "--label '=x': use KEY=VALUE."


def test_dockerfile_cell_line():
    assert parse_cell_line("-t x --context d", "FROM a\n") == BuildSpec(
        context="d", dockerfile=None, cell="FROM a\n", tags=("x",), build_args=(), target=None,
        no_cache=False, pull=False, labels=(), platform=None, quiet=False)
    with pytest.raises(CommandError) as info:
        parse_cell_line("-t x", "  \n")
    assert str(info.value) == "The %%dockerfile cell is empty: write the Dockerfile below the magic line."
    text = parse_cell_line("--help", "")
    assert text.startswith("Usage:  %%dockerfile [OPTIONS]\n\nBuild the cell as a Dockerfile, streaming the "
                           "build.\n\nOptions:\n") and "--context string" in text


def test_logs_options_and_their_checks():
    spec = parse_line("logs --keep 5 -f -t --since 1m --until 2m -n 7 c")
    assert (spec.container, spec.follow, spec.tail, spec.timestamps, spec.since, spec.until, spec.keep) == (
        "c", True, "7", True, "1m", "2m", 5)
    default = parse_line("logs c")
    assert (default.tail, default.keep, default.follow) == ("all", 1000, False)
    assert parse_line("logs -n all c").tail == "all"
    assert error("logs -n x c") == ('invalid argument "x" for "-n" flag: use a number of lines or \'all\'. '
                                    "See '%docker logs --help'.")
    assert error("logs --keep 0 c") == ('invalid argument "0" for "--keep" flag: use a positive number of '
                                        "lines. See '%docker logs --help'.")
    assert "positive" in error("logs --keep x c")


@pytest.mark.parametrize("kind", ["network", "volume"])
def test_object_lists_and_inspects(kind):
    spec = parse_line(f"{kind} ls -q -f driver=local -f name=x -f name=y --format '{{{{.Name}}}}'")
    assert (spec.kind, spec.quiet, spec.filters, spec.format) == (
        kind, True, (("driver", ["local"]), ("name", ["x", "y"])), "{{.Name}}")
    plain = parse_line(f"{kind} ls")
    assert (plain.kind, plain.quiet, plain.filters, plain.format) == (kind, False, (), None)
    spec = parse_line(f"{kind} inspect -f x a b")
    assert (spec.kind, spec.names, spec.format) == (kind, ("a", "b"), "x")


def test_filters_are_key_value_pairs():
    assert parse_line("ps -f status=exited -f ' name =db' -f status=created").filters == (
        ("name", ["db"]), ("status", ["exited", "created"]))
    assert error("ps -f bad") == "bad filter 'bad': use key=value, e.g. -f status=running"
    assert error("ps -f =x") == "bad filter '=x': use key=value, e.g. -f status=running"


@pytest.mark.parametrize("line, fields", [
    ("stop -t 5 a b", ("stop", ("a", "b"), 5, None, False, False)),
    ("restart a", ("restart", ("a",), None, None, False, False)),
    ("kill -s HUP a", ("kill", ("a",), None, "HUP", False, False)),
    ("rm -f -v a", ("rm", ("a",), None, None, True, True)),
    ("start a", ("start", ("a",), None, None, False, False)),
    ("pause a b", ("pause", ("a", "b"), None, None, False, False)),
    ("unpause a", ("unpause", ("a",), None, None, False, False)),
])
def test_lifecycle_commands(line, fields):
    s = parse_line(line)
    assert (s.action, s.containers, s.timeout, s.signal, s.force, s.volumes) == fields
