"""actions.background: a quiet stream read in a thread; the caller's Ctrl-C lands within a
fraction of a second, and closing ends the thread's read."""

import signal
import socket
import threading
import time

import pytest

from dockermagic.actions.background import Background


def quiet_stream(on_open):
    """A stream that sends one item, then nothing until it is closed."""
    ours, theirs = socket.socketpair()
    on_open(lambda: ours.shutdown(socket.SHUT_RDWR))
    theirs.sendall(b"first")
    while True:
        data = ours.recv(1024)
        if not data:
            return
        yield data


def test_an_interrupt_while_the_stream_is_quiet_lands_and_close_ends_the_read():
    stream = Background(quiet_stream)
    main = threading.get_ident()
    seen = []
    timer = threading.Timer(0.3, lambda: signal.pthread_kill(main, signal.SIGINT))
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        for item in stream:
            seen.append(item)
    assert seen == [b"first"]
    assert time.monotonic() - started < 1.5
    stream.close()
    assert not any(t.is_alive() for t in stream.threads)


def test_an_error_in_the_stream_is_raised_in_the_callers_thread():
    def failing(on_open):
        yield 1
        raise ConnectionError("engine gone")

    with pytest.raises(ConnectionError, match="engine gone"):
        list(Background(failing))


def test_several_streams_are_merged_as_they_come_and_iteration_ends_when_all_have_ended():
    def counted(name, n, pause):
        def open_stream(on_open):
            on_open(lambda: None)
            for i in range(n):
                time.sleep(pause)
                yield f"{name}{i}"

        return open_stream

    stream = Background(counted("a", 3, 0.05), counted("b", 2, 0.08), counted("c", 0, 0))
    seen = list(stream)
    assert sorted(seen) == ["a0", "a1", "a2", "b0", "b1"]
    assert seen.index("b0") < seen.index("a2")  # merged as they came, not one stream after the other
    stream.close()
    assert not any(t.is_alive() for t in stream.threads)


def test_close_ends_every_quiet_stream_even_one_that_opens_after_it():
    late = threading.Event()

    def opens_late(on_open):
        late.wait(5)
        yield from quiet_stream(on_open)

    stream = Background(quiet_stream, quiet_stream, opens_late)
    items = iter(stream)
    assert [next(items), next(items)] == [b"first", b"first"]
    closing = threading.Thread(target=stream.close)
    closing.start()
    time.sleep(0.1)
    late.set()  # opens after close began: its closer runs at once
    closing.join(10)
    assert not any(t.is_alive() for t in stream.threads)


def test_a_caller_that_falls_behind_holds_back_the_reader_and_can_still_close_it():
    from dockermagic.actions.background import WAITING

    produced = []

    def fast(on_open):
        on_open(lambda: None)
        for i in range(10_000):
            produced.append(i)
            yield i

    stream = Background(fast)
    items = iter(stream)
    assert next(items) == 0
    time.sleep(0.5)  # the reader runs ahead only as far as the queue lets it
    assert len(produced) <= WAITING + 3
    started = time.monotonic()
    stream.close()  # the reader waits for room: closing still ends it at once
    assert time.monotonic() - started < 1.5
    assert not any(t.is_alive() for t in stream.threads)
