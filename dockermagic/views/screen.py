"""A bounded terminal screen: what a TTY's output looks like once printed.

Handles what shells and common tools send: CR, LF, backspace, and ANSI escape
sequences (colours, cursor and erase commands are dropped, an erase-line
clears the line). Keeps the last ``max_lines`` lines only, so a chatty
program cannot grow the kernel's memory without bound.
"""

from __future__ import annotations

import codecs
import re
from collections import deque

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), nF with intermediates such as the charset
# designation ESC ( B that ncurses programs send, and the one-character Fp/Fe/Fs escapes (ESC =, ESC M).
_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[ -/]+[0-~]|[0-?@-Z\\-_`-~])")


class Screen:
    def __init__(self, max_lines: int = 500):
        self.lines: deque[str] = deque([""], maxlen=max_lines)
        self.column = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def feed(self, data: bytes) -> None:
        text = self._decoder.decode(data)
        pos = 0
        for m in _ESCAPE.finditer(text):
            self._plain(text[pos : m.start()])
            if m.group(0).endswith("K"):  # erase in line
                self.lines[-1] = self.lines[-1][: self.column]
            pos = m.end()
        self._plain(text[pos:])

    def _plain(self, text: str) -> None:
        for ch in text:
            if ch == "\n":
                self.lines.append("")
                self.column = 0
            elif ch == "\r":
                self.column = 0
            elif ch == "\b":
                self.column = max(0, self.column - 1)
            elif ch == "\x07" or (ord(ch) < 32 and ch != "\t"):
                continue
            else:
                line = self.lines[-1]
                self.lines[-1] = line[: self.column] + ch + line[self.column + 1 :]
                self.column += 1

    @property
    def text(self) -> str:
        return "\n".join(self.lines)
