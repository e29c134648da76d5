"""The pieces under attach and start -a that need no engine: frames taken apart as bytes
arrive, and --detach-keys read as the engine reads them."""

import pytest

from dockermagic.commands import parse_line
from dockermagic.engine.streams import STDERR, STDOUT, Demuxer
from dockermagic.errors import CommandError
from dockermagic.parsing.detach_keys import detach_bytes


def frame(stream: int, payload: bytes) -> bytes:
    return bytes([stream, 0, 0, 0]) + len(payload).to_bytes(4, "big") + payload


def test_frames_are_taken_apart_however_the_bytes_arrive():
    data = frame(1, b"out\n") + frame(2, b"err\n") + frame(1, b"A" * 300) + frame(3, b"engine\n")
    expected = [(STDOUT, b"out\n"), (STDERR, b"err\n"), (STDOUT, b"A" * 300), (STDERR, b"engine\n")]
    for size in (1, 3, 8, 9, 50, len(data)):
        demux = Demuxer(tty=False)
        got = [f for i in range(0, len(data), size) for f in demux.feed(data[i : i + size])]
        assert got == expected, size
        assert not demux.pending


def test_a_tty_stream_is_not_multiplexed():
    demux = Demuxer(tty=True)
    assert demux.feed(b"\x01\x00\x00\x00raw") == [(STDOUT, b"\x01\x00\x00\x00raw")]
    assert demux.feed(b"") == []


@pytest.mark.parametrize(
    "keys, expected",
    [
        ("ctrl-p,ctrl-q", b"\x10\x11"),
        ("ctrl-@,ctrl-a,ctrl-z,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_", b"\x00\x01\x1a\x1b\x1c\x1d\x1e\x1f"),
        ("CTRL-A,d", b"\x01d"),
        ("x", b"x"),
    ],
)
def test_detach_keys_as_the_engine_reads_them(keys, expected):
    assert detach_bytes(keys) == expected


@pytest.mark.parametrize("keys", ["", "ctrl-", "ctrl-1", "ctrl-ab", "ab", "é", "ctrl-p,"])
def test_keys_the_engine_refuses_are_one_line(keys):
    with pytest.raises(CommandError, match='invalid argument .* for "--detach-keys" flag: unknown key'):
        parse_line(f"attach --detach-keys={keys} box")


def test_start_attached_takes_one_container():
    assert parse_line("start a b").containers == ("a", "b")
    assert parse_line("start -ai --detach-keys ctrl-x,y a").detach_keys == "ctrl-x,y"
    for line in ("start -a a b", "start -i a b"):
        with pytest.raises(CommandError, match="cannot start and attach multiple containers at once"):
            parse_line(line)
