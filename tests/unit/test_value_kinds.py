"""commands.value_kinds and common_options.key_values: an option declared by its value's kind shows
that kind's word in --help and checks each value, through the grammar as a line gives it."""

import pytest

from dockermagic.commands.common_options import key_values
from dockermagic.commands.grammar import parse, usage
from dockermagic.commands.registry import parse_line
from dockermagic.commands.value_kinds import (
    choice,
    cpus,
    device_bps,
    device_iops,
    duration,
    fraction,
    int64,
    integer,
    size,
    swap,
    uint,
    uint32,
)
from dockermagic.errors import CommandError


@pytest.mark.parametrize(
    "kind, word, given, read",
    [
        (duration, "duration", "1m30s", 90_000_000_000),
        (size, "bytes", "2k", 2048),
        (cpus, "decimal", "1.5", 1_500_000_000),
        (int64, "int", "-3", -3),
        (integer, "int", "7", 7),
        (uint, "uint", "0x10", 16),
        (uint32, "uint32", "4789", 4789),
        (swap, "bytes", "1g", 1 << 30),
        (swap, "bytes", "-1", -1),
        (fraction, "float", "0.25", 0.25),
    ],
)
def test_a_kind_shows_its_word_and_converts_the_value(kind, word, given, read):
    option = kind("--x", help="An x")
    assert f"--x {word}" in usage("t", "", (option,), ())
    assert parse("t", ["--x", given], (option,), ()).x == read


@pytest.mark.parametrize(
    "kind, bad",
    [
        (duration, "soon"),
        (size, "lots"),
        (uint, "-1"),
        (uint32, "-1"),
        (fraction, "1.5"),
        (int64, str(2**63)),
    ],
)
def test_a_kind_refuses_what_is_not_of_it_in_one_line(kind, bad):
    with pytest.raises(CommandError) as caught:
        parse("t", ["--x", bad], (kind("--x", help="An x"),), ())
    assert str(caught.value).startswith(f'invalid argument "{bad}" for "--x" flag: ')
    assert "\n" not in str(caught.value)


def test_choice_takes_one_of_its_words_and_names_them_otherwise():
    option = choice("--order", allowed=("stop-first", "start-first"), help="Order")
    assert parse("t", ["--order=start-first"], (option,), ()).order == "start-first"
    with pytest.raises(CommandError, match="use stop-first, start-first"):
        parse("t", ["--order", "sideways"], (option,), ())


def test_key_values_freezes_the_pairs_and_names_its_flag_in_an_error():
    option = key_values("-l", "--label", help="Labels")
    raw = parse("t", ["-l", "a=1", "--label", "b", "-l", "a=2"], (option,), ()).label
    assert option.freeze(raw) == (("a", "2"), ("b", ""))
    with pytest.raises(CommandError, match="--label '=x'"):
        option.freeze(["=x"])


def test_the_kinds_reach_the_specs():
    spec = parse_line("service create --update-delay 10s --update-max-failure-ratio 0.5 --limit-memory 1g x")
    assert (spec.update_delay, spec.update_max_failure_ratio, spec.limit_memory) == (10**10, 0.5, 2**30)
    assert parse_line("node update --label-add zone=a n1").label_add == (("zone", "a"),)


def test_a_per_device_kind_is_repeated_and_reads_each_device():
    options = (
        device_bps("--bps", help="A rate a second"),
        device_iops("--iops", help="Operations a second"),
    )
    assert "--bps list" in usage("t", "", options, ())
    got = parse(
        "t", ["--bps", "/dev/sda:1mb", "--bps", "/dev/sdb:2kb", "--iops", "/dev/sda:100"], options, ()
    )
    assert got.bps == [{"Path": "/dev/sda", "Rate": 1 << 20}, {"Path": "/dev/sdb", "Rate": 2048}]
    assert got.iops == [{"Path": "/dev/sda", "Rate": 100}]
    with pytest.raises(CommandError):
        parse("t", ["--iops", "/dev/sda:1mb"], options, ())
