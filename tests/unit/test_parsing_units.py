"""parsing.units: sizes, CPUs, durations and times as the docker CLI reads them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockermagic.parsing.units import duration_ns, memory_bytes, nano_cpus, seconds, unix_time


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1048576", 1048576),
        ("0", 0),
        ("512m", 512 * 1024**2),
        ("512M", 512 * 1024**2),
        ("512mb", 512 * 1024**2),
        ("1.5g", 1536 * 1024**2),
        ("1.5GiB", 1536 * 1024**2),
        ("64 k", 64 * 1024),
        ("2t", 2 * 1024**4),
        ("1p", 1024**5),
        (" 10b ", 10),
    ],
)
def test_memory_bytes_reads_binary_units_as_go_units_does(text, expected):
    assert memory_bytes(text) == expected


@pytest.mark.parametrize("text", ["", "m", "-1", "12x", "1..5g", "1g1", "1  g", "9" * 31, "8192p"])
def test_memory_bytes_refuses_what_the_cli_refuses(text):
    with pytest.raises(ValueError, match="512m|too large"):
        memory_bytes(text)


def test_memory_bytes_stays_within_the_engines_int64():
    assert memory_bytes("8191p") == 8191 * 1024**5
    with pytest.raises(ValueError, match="too large"):
        memory_bytes("8192p")


@pytest.mark.parametrize("text, expected", [("0.5", 500_000_000), ("2", 2_000_000_000), ("0", 0)])
def test_nano_cpus(text, expected):
    assert nano_cpus(text) == expected


@pytest.mark.parametrize("text", ["nan", "inf", "-1", "1e7", "two"])
def test_nano_cpus_refuses(text):
    with pytest.raises(ValueError):
        nano_cpus(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0", 0),
        ("30s", 30 * 10**9),
        ("1m30s", 90 * 10**9),
        ("500ms", 5 * 10**8),
        ("1.5h", 5400 * 10**9),
        ("2us", 2000),
        ("2µs", 2000),
        ("7ns", 7),
    ],
)
def test_duration_ns_reads_go_durations(text, expected):
    assert duration_ns(text) == expected


@pytest.mark.parametrize("text", ["", "30", "s", "1m 30s", "1d", "-5s", "30s!", "999999999999h"])
def test_duration_ns_refuses(text):
    with pytest.raises(ValueError):
        duration_ns(text)


def test_seconds_takes_a_number_or_a_duration():
    assert seconds("30") == 30.0 and seconds("2.5") == 2.5 and seconds("1m30s") == 90.0
    with pytest.raises(ValueError):
        seconds("soon")


def test_unix_time_forms():
    assert unix_time("1700000000") == "1700000000"
    assert unix_time("10m", now=1000.0) == "400.000000000"
    assert unix_time("1h30m", now=10000.0) == "4600.000000000"
    assert unix_time("2024-01-02T00:00:00Z") == "1704153600.000000000"
    assert unix_time("2024-01-02T01:00:00+01:00") == "1704153600.000000000"
    with pytest.raises(ValueError, match="42m"):
        unix_time("yesterday")


@given(st.text(max_size=60))
def test_converters_give_a_value_or_a_value_error(text):
    for convert in (memory_bytes, nano_cpus, duration_ns, seconds, unix_time):
        try:
            convert(text)
        except ValueError:
            pass
