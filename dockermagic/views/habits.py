"""Dockerfile habits that make images big, each reported with the line it is about.

Takes the parsed instructions (anything with ``line``, ``keyword`` and
``args``) and returns ``(line, message)`` pairs, in line order:

- ``apt-get install`` (or ``apt install``) in a RUN that does not also remove
  ``/var/lib/apt/lists``: the package lists (tens of MB) stay in that layer;
- ``ADD`` or ``COPY`` of the whole context (``.``, ``./``, ``*``): everything
  not in ``.dockerignore`` lands in the image;
- three or more RUN instructions in a row: each is a layer, and files one
  removes are still stored by the one before.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Sequence
from typing import Any

_INSTALL = re.compile(r"\bapt(?:-get)?\s+(?:-\S+\s+)*install\b")
_LISTS_REMOVED = re.compile(r"\brm\s+(?:-\S+\s+)*[^&;|]*?/var/lib/apt/lists")
_WHOLE = {".", "./", "*", "./*"}
RUNS_IN_A_ROW = 3


def bloat_warnings(instructions: Sequence[Any]) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    run: list[Any] = []

    def close_run() -> None:
        if len(run) >= RUNS_IN_A_ROW:
            found.append(
                (
                    run[0].line,
                    f"{len(run)} RUN instructions in a row (lines {run[0].line}-{run[-1].line}) make "
                    f"{len(run)} layers: join them into one RUN with &&, so that what a later one "
                    "removes is never stored",
                )
            )
        run.clear()

    for ins in instructions:
        keyword = ins.keyword.upper()
        if keyword == "RUN":
            run.append(ins)
            if _INSTALL.search(ins.args) and not _LISTS_REMOVED.search(ins.args):
                found.append(
                    (
                        ins.line,
                        "apt-get install leaves the package lists (/var/lib/apt/lists, tens of MB) in "
                        "this layer: end the same RUN with && rm -rf /var/lib/apt/lists/*",
                    )
                )
            continue
        close_run()
        if keyword in ("ADD", "COPY") and _copies_everything(ins.args):
            found.append(
                (
                    ins.line,
                    f"{keyword} copies the whole build context into the image: copy only what the "
                    "image needs, or list the rest in .dockerignore",
                )
            )
    close_run()
    return sorted(found, key=lambda pair: pair[0])


def _copies_everything(args: str) -> bool:
    text = args.strip()
    try:
        words = [str(w) for w in json.loads(text)] if text.startswith("[") else shlex.split(text)
    except ValueError:
        return False
    sources = [w for w in words if not w.startswith("--")][:-1]
    return any(s in _WHOLE for s in sources)
