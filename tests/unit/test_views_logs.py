"""The logs view: bounded buffer, spill file, escaping, line splitting."""
import os

from dockermagic.engine.logs import MAX_LINE, Lines, collect, timestamp
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


def test_html_escapes_log_lines_and_marks_stderr():
    buf = LogBuffer()
    buf.add(1, XSS_IMG)
    buf.add(2, XSS_SCRIPT)
    view = LogsView(buf, "c1", note="the container stopped")
    html = view.html()
    assert_inert(html)
    assert "<span class='dm-stderr' style='color:#c0392b'>&lt;/script&gt;" in html
    assert view.text() == f"{XSS_IMG}\n{XSS_SCRIPT}\n[the container stopped]"


def test_lines_split_across_chunks_and_utf8():
    s = Lines()
    out = list(s.feed(b"ab")) + list(s.feed(b"c\r\nd\xc3")) + list(s.feed(b"\xa9\n")) + list(s.feed(b"x", final=True))
    assert out == ["abc", "dé", "x"]


def test_a_line_without_newline_is_cut():
    s = Lines()
    out = list(s.feed(b"y" * (MAX_LINE * 2 + 5)))
    assert [len(x) for x in out] == [MAX_LINE, MAX_LINE] and len(s.partial) == 5


def test_interrupt_stops_collecting_and_keeps_what_came():
    def lines():
        yield 1, "a"
        yield 1, "b"
        raise KeyboardInterrupt

    buf = LogBuffer()
    assert collect(lines(), buf) == "interrupted" and [t for _, t in buf.lines] == ["a", "b"]


def test_timestamps():
    assert timestamp("1700000000") == "1700000000"
    assert timestamp("10m", now=1000.0) == "400.000000000"
    assert timestamp("2024-01-02T00:00:00Z") == "1704153600.000000000"
