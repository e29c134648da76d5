"""An interactive terminal on a container's TTY (``run -it``, ``attach``, ``exec -it``).

The socket is read by a background thread, so the kernel never waits for the
TTY. It works from Python (``send``, ``wait_for``, ``interrupt``,
``detach``) and, in a notebook front end, as a widget: an output area, an
input line, and Ctrl-C / detach (Ctrl-P Ctrl-Q) buttons. Detaching leaves the
container running, as it does with the docker CLI.
"""

from __future__ import annotations

import re
import threading
import time

from ..engine.streams import close_quietly, raw_socket
from ..views.base import escape
from ..views.frontend import widget_frontend
from ..views.screen import Screen

CTRL_C = b"\x03"
DETACH = b"\x10\x11"  # ctrl-p ctrl-q: what the engine is told to detach on
DETACH_KEYS = "ctrl-p,ctrl-q"


class Terminal:
    def __init__(self, sock, label: str, max_lines: int = 500, on_end=None):
        self.label = label
        # Called when the stream ends without a detach (the container's main process ended):
        # it waits for the engine to record the exit, so that "closed" means what the CLI's
        # attach means when it returns: the container has stopped.
        self._on_end = on_end
        self._detaching = False
        self.screen = Screen(max_lines)
        self._sock = sock
        self._raw = raw_socket(sock)
        self._raw.settimeout(None)
        self._changed = threading.Condition()
        self._widget = None
        self.closed = False
        self._reader = threading.Thread(target=self._read, name=f"terminal-{label}", daemon=True)
        self._reader.start()

    # -- the socket -------------------------------------------------------------
    def _read(self) -> None:
        while True:
            try:
                data = self._raw.recv(65536)
            except OSError:
                data = b""
            if not data and self._on_end is not None and not self._detaching:
                self._on_end()
            with self._changed:
                if data:
                    self.screen.feed(data)
                else:
                    self.closed = True
                self._changed.notify_all()
            self._refresh()
            if not data:
                return

    def send(self, text: str | bytes) -> Terminal:
        """Type into the terminal (add "\\n" to press Enter)."""
        if self.closed:
            raise RuntimeError(f"the terminal on {self.label} is closed")
        if DETACH in (text.encode() if isinstance(text, str) else text):
            self._detaching = True
        self._raw.sendall(text.encode() if isinstance(text, str) else text)
        return self

    def interrupt(self) -> Terminal:
        return self.send(CTRL_C)

    def detach(self, timeout: float = 5.0) -> None:
        """Ctrl-P Ctrl-Q: the engine ends the stream and the container keeps running.

        The engine itself must end it: closing the socket instead would close
        the stdin of a ``run -it`` container, which then usually exits.
        """
        self._detaching = True
        if self.closed:
            return
        try:
            self._raw.sendall(DETACH)
        except OSError:
            pass
        detached = self.wait_closed(timeout)
        self.close()
        if not detached:
            raise RuntimeError(
                f"the engine did not detach {self.label} on Ctrl-P Ctrl-Q within "
                f"{timeout:g}s; the connection was closed instead"
            )

    def close(self) -> None:
        self._detaching = True  # closed from our side: the container's process did not end
        close_quietly(self._sock)
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
            detach = w.Button(description="Detach (Ctrl-P Ctrl-Q)", layout=w.Layout(width="14em"))

            def submit(change):
                if change["new"] and not self.closed:
                    self.send(change["new"] + "\n")
                    line.value = ""

            line.observe(submit, names="value")
            ctrl_c.on_click(lambda _: self.interrupt())
            detach.on_click(lambda _: self.detach())
            self._widget = w.VBox([output, w.HBox([line, ctrl_c, detach])])
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
        self._line.disabled = self.closed

    def _summary(self) -> str:
        return (
            f"Terminal on {self.label}: type in the widget, or from Python "
            f"t.send('ls\\n'), t.wait_for('PATTERN'), t.interrupt(), t.detach() (Ctrl-P Ctrl-Q)."
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
