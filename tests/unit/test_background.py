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
    assert not stream.thread.is_alive()


def test_an_error_in_the_stream_is_raised_in_the_callers_thread():
    def failing(on_open):
        yield 1
        raise ConnectionError("engine gone")

    with pytest.raises(ConnectionError, match="engine gone"):
        list(Background(failing))
