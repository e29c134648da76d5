"""The logs view and reader: bounded buffer, spill file, escaping, empty logs, line splitting,
and the engine's framings (chunked HTTP, multiplexed frames) undone over whole blocks."""

import io
import os
import random
import struct

import pytest

from dockermagic.engine.logs import MAX_LINE, Lines, _body, _demux, collect
from dockermagic.views.logs import LogBuffer, LogsView

from ._viewdata import XSS_IMG, XSS_SCRIPT, assert_inert


def test_buffer_keeps_last_lines_and_spills_the_rest():
    buf = LogBuffer(keep=3)
    for i in range(10):
        buf.add(1, f"line {i}")
    view = LogsView(buf, "c1")
    assert view.lines == ["line 7", "line 8", "line 9"] and buf.total == 10
    with open(view.saved_path) as f:
        assert f.read().splitlines() == [f"line {i}" for i in range(7)]
    assert view.text().startswith("[7 earlier lines not shown in ")
    os.unlink(view.saved_path)


@pytest.mark.parametrize("sizes", [[1] * 10, [4, 6], [10], [2, 5, 1, 2], [3, 3, 3, 1]])
def test_batches_keep_and_spill_exactly_as_lines_one_by_one(sizes):
    buf = LogBuffer(keep=3)
    n = 0
    for size in sizes:
        buf.extend(1 + n % 2, [f"line {n + i}" for i in range(size)])
        n += size
    assert [t for _, t in buf.lines] == ["line 7", "line 8", "line 9"]
    assert (buf.total, buf.spilled) == (10, 7)
    buf.close()
    with open(buf.saved_path) as f:
        assert f.read().splitlines() == [f"line {i}" for i in range(7)]
    os.unlink(buf.saved_path)


def test_html_escapes_log_lines_and_marks_stderr():
    buf = LogBuffer()
    buf.add(1, XSS_IMG)
    buf.add(2, XSS_SCRIPT)
    view = LogsView(buf, "c1", note="the container stopped")
    html = view.html()
    assert_inert(html)
    assert "<span class='dm-stderr' style='color:#c0392b'>&lt;/script&gt;" in html
    assert view.text() == f"{XSS_IMG}\n{XSS_SCRIPT}\n[the container stopped]"


def test_an_empty_log_says_so_in_one_line():
    # the text face prints nothing, as the CLI does (logs --until on an empty range, a silent
    # container); the notebook faces say so in one line
    view = LogsView(LogBuffer(), "<quiet>")
    assert view.text() == ""
    assert "[no log lines from &lt;quiet&gt;]" in view.html() and "<quiet>" not in view.html()
    followed = LogsView(LogBuffer(), "box", note="the container stopped", echoed=True)
    assert followed.text() == ""
    assert "[no log lines from box; the container stopped]" in followed.html()
    assert LogsView(LogBuffer(), "box", following=True).text() == "[no log lines from box yet; following…]"


def test_lines_split_across_chunks_and_utf8():
    s = Lines()
    out = s.feed(b"ab") + s.feed(b"c\r\nd\xc3") + s.feed(b"\xa9\n") + s.feed(b"x", final=True)
    assert out == ["abc", "dé", "x"]


def test_a_line_without_newline_is_cut():
    s = Lines()
    out = s.feed(b"y" * (MAX_LINE * 2 + 5))
    assert [len(x) for x in out] == [MAX_LINE, MAX_LINE] and len(s.partial) == 5


def test_interrupt_stops_collecting_and_keeps_what_came():
    def batches():
        yield 1, ["a"]
        yield 1, ["b", "c"]
        raise KeyboardInterrupt

    buf = LogBuffer()
    assert collect(batches(), buf) == "interrupted" and [t for _, t in buf.lines] == ["a", "b", "c"]


class _Reader(io.BytesIO):
    """A socket's buffered reader that hands out at most a few bytes per read1."""

    def __init__(self, data: bytes, step: int):
        super().__init__(data)
        self.step = step

    def read1(self, n: int = -1) -> bytes:
        return super().read1(min(n, self.step))


class _Response:
    def __init__(self, data: bytes, step: int, headers: dict):
        self.raw = type("Raw", (), {})()
        self.raw._fp = type("Fp", (), {})()
        self.raw._fp.fp = _Reader(data, step)
        self.headers = headers


def _frame(stream: int, payload: bytes) -> bytes:
    return bytes([stream, 0, 0, 0]) + struct.pack(">L", len(payload)) + payload


def _chunked(parts: list[bytes]) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


@pytest.mark.parametrize("step", [1, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("shape", ["frame per chunk", "frames across chunks", "CRLF in lines", "stdout only"])
def test_chunked_frames_are_undone_whatever_the_reads_return(step, shape):
    rng = random.Random(step)
    streams = (1,) if shape == "stdout only" else (1, 2)
    end = "\r\n" if shape == "CRLF in lines" else "\n"
    sent = [(rng.choice(streams), f"line {i} {'é' * rng.randrange(3)}{end}".encode()) for i in range(300)]
    frames = b"".join(_frame(s, p) for s, p in sent)
    if shape == "frames across chunks":
        cuts = sorted(rng.sample(range(1, len(frames)), 40))
        chunks = [frames[a:b] for a, b in zip([0, *cuts], [*cuts, len(frames)], strict=True)]
    else:
        chunks = [_frame(s, p) for s, p in sent]
    body = _chunked(chunks) + b"NEXT RESPONSE ON THE SAME CONNECTION"
    got: dict[int, list[str]] = {1: [], 2: []}
    splitters = {1: Lines(), 2: Lines()}
    for stream, data in _demux(_body(_Response(body, step, {"Transfer-Encoding": "chunked"}))):
        got[stream] += splitters[stream].feed(data)
    for stream in (1, 2):
        assert got[stream] == [p.decode().rstrip("\r\n") for s, p in sent if s == stream]


def test_a_tty_body_and_a_body_of_known_length_are_read_to_their_end():
    data = b"abc\ndef\n"
    blocks = _body(_Response(_chunked([data[:5], data[5:]]), 2, {"Transfer-Encoding": "chunked"}))
    assert b"".join(b"".join(parts) for parts in blocks) == data
    sized = _body(_Response(data + b"more", 3, {"Content-Length": str(len(data))}))
    assert b"".join(b"".join(parts) for parts in sized) == data
    assert list(_body(_Response(b"", 3, {"Content-Length": "0"}))) == []
