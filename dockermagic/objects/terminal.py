"""An interactive terminal on a container (``run -it``, ``attach``, ``start -a -i``, ``exec -it``).

The connection is read by a background thread, so the kernel never waits for
the container. It works from Python (``send``, ``wait_for``, ``interrupt``,
``detach``) and, in a notebook front end, as a widget: an output area, an
input line, and Ctrl-C / detach (Ctrl-P Ctrl-Q, or the ``--detach-keys``
given) buttons. Detaching leaves the container running, as it does with the
docker CLI.

Without a TTY (a container created with ``-i`` and no ``-t``) the engine
multiplexes stdout and stderr, both shown; Ctrl-C is then a signal, not a
byte, and ``end_input()`` (the widget's Ctrl-D) closes the container's stdin,
as the end of a pipe into ``docker start -i`` does.
"""

from __future__ import annotations

import re
import threading
import time

from ..engine.streams import Channel, Demuxer
from ..parsing.detach_keys import DEFAULT as DETACH_KEYS
from ..parsing.detach_keys import detach_bytes
from ..views.base import escape
from ..views.frontend import widget_frontend
from ..views.screen import Screen

CTRL_C = b"\x03"
DETACH = detach_bytes(DETACH_KEYS)  # ctrl-p ctrl-q: what the engine is told to detach on


class Terminal:
    def __init__(
        self,
        channel: Channel,
        label: str,
        max_lines: int = 500,
        on_end=None,
        *,
        tty: bool = True,
        stdin: bool = True,
        detach_keys: str = DETACH_KEYS,
        on_interrupt=None,
    ):
        self.label = label
        # Called when the stream ends without a detach (the container's main process ended):
        # it waits for the engine to record the exit, so that "closed" means what the CLI's
        # attach means when it returns: the container has stopped.
        self._on_end = on_end
        self._detaching = False
        self.tty, self.stdin = tty, stdin
        self.detach_keys, self._detach = detach_keys, detach_bytes(detach_keys)
        # without a TTY, Ctrl-C is what the caller makes of it (a signal): no byte means it
        self._on_interrupt = on_interrupt
        self.screen = Screen(max_lines)
        self._channel = channel
        self._frames = Demuxer(tty)
        self._changed = threading.Condition()
        self._widget = None
        self.closed = False
        self._reader = threading.Thread(target=self._read, name=f"terminal-{label}", daemon=True)
        self._reader.start()

    # -- the socket -------------------------------------------------------------
    def _read(self) -> None:
        while True:
            data = self._channel.recv()
            if not data and self._on_end is not None and not self._detaching:
                self._on_end()
            with self._changed:
                for _, payload in self._frames.feed(data):
                    self.screen.feed(payload)
                if not data:
                    self.closed = True
                self._changed.notify_all()
            self._refresh()
            if not data:
                return

    def send(self, text: str | bytes) -> Terminal:
        """Type into the terminal (add "\\n" to press Enter)."""
        if self.closed:
            raise RuntimeError(f"the terminal on {self.label} is closed")
        if not self.stdin:
            raise RuntimeError(f"the terminal on {self.label} was attached without stdin (--no-stdin)")
        data = text.encode() if isinstance(text, str) else text
        if self.tty and self._detach in data:
            self._detaching = True
        self._channel.send(data)
        return self

    def interrupt(self) -> Terminal:
        """Ctrl-C: the byte to a TTY (its line discipline signals the process), else the caller's signal."""
        if self._on_interrupt is not None:
            self._on_interrupt()
        elif self.tty and self.stdin:
            self.send(CTRL_C)
        else:  # no byte reaches the process and no signal is forwarded: Ctrl-C leaves, as the CLI does
            self.detach()
        return self

    def end_input(self) -> Terminal:
        """Ctrl-D for a container without a TTY: its stdin reads end of file."""
        if self.tty:
            return self.send(b"\x04")
        self._channel.end_input()
        return self

    def detach(self, timeout: float = 5.0) -> None:
        """The detach keys: the engine ends the stream and the container keeps running.

        The engine itself must end it: closing the socket instead would close
        the stdin of a ``run -it`` container, which then usually exits. The
        engine detaches on keys only on a TTY with stdin; otherwise the
        connection is closed, as the CLI's ending does (a container created
        with ``-i`` then reads end of file on its stdin).
        """
        self._detaching = True
        if self.closed:
            return
        if not (self.tty and self.stdin):
            self.close()
            return
        try:
            self._channel.send(self._detach)
        except OSError:
            pass
        detached = self.wait_closed(timeout)
        self.close()
        if not detached:
            raise RuntimeError(
                f"the engine did not detach {self.label} on {self.keys_label} within "
                f"{timeout:g}s; the connection was closed instead"
            )

    def close(self) -> None:
        self._detaching = True  # closed from our side: the container's process did not end
        self._channel.close()
        self.closed = True
        self._refresh()

    def wait_for(self, pattern: str, timeout: float = 10.0) -> str:
        """Block until the screen matches ``pattern`` (a regex); return the screen."""
        regex = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        with self._changed:
            while not regex.search(self.screen.text):
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    raise TimeoutError(
                        f"{pattern!r} did not appear on the terminal of {self.label}; "
                        f"last lines:\n{self.tail()}"
                    )
                self._changed.wait(left)
        return self.screen.text

    def wait_closed(self, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self.closed and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
        return self.closed

    @property
    def keys_label(self) -> str:
        """The detach keys as a person reads them: "Ctrl-P Ctrl-Q"."""
        return " ".join("Ctrl-" + k[5:].upper() if len(k) > 1 else k for k in self.detach_keys.split(","))

    @property
    def text(self) -> str:
        return self.screen.text

    def tail(self, lines: int = 10) -> str:
        return "\n".join(self.screen.text.splitlines()[-lines:])

    # -- the widget -------------------------------------------------------------
    def widget(self):
        if self._widget is None:
            import ipywidgets as w

            output = w.HTML(layout=w.Layout(max_height="24em", overflow="auto"))
            line = w.Text(
                placeholder="type a command, Enter sends it",
                continuous_update=False,
                layout=w.Layout(width="70%"),
            )
            ctrl_c = w.Button(description="Ctrl-C", layout=w.Layout(width="6em"))
            detach = w.Button(description=f"Detach ({self.keys_label})", layout=w.Layout(width="14em"))
            buttons = [line, ctrl_c, detach]
            if not self.tty and self.stdin:  # end of input: no byte does it without a TTY
                ctrl_d = w.Button(description="Ctrl-D (end input)", layout=w.Layout(width="12em"))
                ctrl_d.on_click(lambda _: self.end_input())
                buttons.append(ctrl_d)

            def submit(change):
                if change["new"] and not self.closed:
                    self.send(change["new"] + "\n")
                    line.value = ""

            line.observe(submit, names="value")
            ctrl_c.on_click(lambda _: self.interrupt())
            detach.on_click(lambda _: self.detach())
            self._widget = w.VBox([output, w.HBox(buttons)])
            self._output, self._line = output, line
            self._refresh()
        return self._widget

    def _refresh(self) -> None:
        if self._widget is None:
            return
        state = " (closed)" if self.closed else ""
        self._output.value = (
            f"<pre style='margin:0'>{escape(self.screen.text)}</pre>"
            f"<small>{escape(self.label)}{state}</small>"
        )
        self._line.disabled = self.closed or not self.stdin

    def _summary(self) -> str:
        return (
            f"Terminal on {self.label}: type in the widget, or from Python "
            f"t.send('ls\\n'), t.wait_for('PATTERN'), t.interrupt(), t.detach() ({self.keys_label})."
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": self._summary(), "text/html": f"<pre>{escape(self._summary())}</pre>"}
        if widget_frontend():
            view = self.widget()
            bundle["application/vnd.jupyter.widget-view+json"] = {
                "version_major": 2,
                "version_minor": 0,
                "model_id": view.model_id,
            }
        else:
            bundle["text/plain"] += (
                "\nNo widget front end here: the same with %dexec NAME CMD, or %%dexec NAME for a script."
            )
        return bundle

    def __repr__(self) -> str:
        return f"<Terminal {self.label}{' closed' if self.closed else ''}>"
