"""Tab completion for ``%docker`` and ``%dexec``: subcommands, flags, image and container names.

What a command's arguments name comes from the registry (its positionals, or
its ``completes=``).  Names come from one list call each, cached for a few
seconds, so a keystroke never waits for the engine; and only once the kernel
is connected to an engine (after a first command), so completing never starts
a connection.  Only the text up to the cursor counts.
"""

from __future__ import annotations

import re
import time
from typing import Any

CACHE_SECONDS = 5.0
KEYS = ("%docker", "%dexec", "%%dexec")
# ``box = %docker run ...``: IPython keys completers on a line's first word, here the variable
ASSIGNED = r"^\s*[\w.]+\s*=\s*%(docker|dexec)\s"
_ASSIGNMENT = re.compile(r"^\s*[\w.]+\s*=\s*(?=%)")


class Completer:
    def __init__(self, session: Any) -> None:
        self.session = session
        self._names: dict[str, tuple[float, list[str]]] = {}

    def _cached(self, kind: str) -> list[str]:
        if kind in _LOCAL_LISTERS:  # names kept on this machine (the CLI's contexts): no engine asked
            try:
                return _LOCAL_LISTERS[kind]()
            except Exception:  # a Tab never raises
                return []
        engine = self.session.engine
        if not engine.connected:  # not connected yet: do not connect just to complete
            return []
        lister = _LISTERS.get(kind)
        if lister is None:
            return []
        stamp, names = self._names.get(kind, (0.0, []))
        if time.monotonic() - stamp < CACHE_SECONDS:
            return names
        try:
            names = lister(engine.get().api)
        except Exception:  # a Tab never raises: no names this time
            names = []
        self._names[kind] = (time.monotonic(), names)
        return names

    def __call__(self, shell, event) -> list[str]:
        line = getattr(event, "text_until_cursor", None) or event.line
        words = _ASSIGNMENT.sub("", line).split()
        magic = words[0] if words else ""
        args = words[1:]
        completing_new = line.endswith((" ", "\t"))
        current = "" if completing_new else (args[-1] if args else "")
        done = args if completing_new else args[:-1]
        if magic.lstrip("%") == "dexec":
            found = [n for n in self._cached("container") if n.startswith(current)] if not done else []
        else:
            found = self.complete_docker(done, current)
        return _from_last_delimiter(shell, current, found)

    def complete_docker(self, done: list[str], current: str) -> list[str]:
        from .commands import registry  # on the first Tab, not at %load_ext

        groups = registry.groups()
        if not done:
            heads = sorted({n.split()[0] for n in registry.names()} | groups)
            return [h for h in heads if h.startswith(current)]
        name = done[0]
        if name in groups:
            if len(done) == 1:
                return [s for s in registry.group_members(name) if s.startswith(current)]
            name = f"{name} {done[1]}"
        command = registry.get(name)
        if command is None:
            return []
        if current.startswith("-"):
            flags = sorted(
                {n for o in command.options for n in o.names if n.startswith("--")}
                | {n for o in command.options for n in o.names if not n.startswith("--")}
            )
            return [f for f in flags if f.startswith(current)]
        candidates = [n for kind in command.name_kinds for n in self._cached(kind)]
        return [c for c in candidates if c.startswith(current)]


def _from_last_delimiter(shell: Any, current: str, found: list[str]) -> list[str]:
    """IPython replaces only the text after its last delimiter (``:`` in ``debian:b``, ``=`` in
    ``--name=x``): offer what goes there, not the whole word."""
    delims = getattr(getattr(getattr(shell, "Completer", None), "splitter", None), "delims", "")
    cut = max((current.rfind(d) for d in delims), default=-1) + 1
    return [f[cut:] for f in found] if cut else found


def _container_names(api) -> list[str]:
    from .engine import containers

    return sorted(
        {
            n.lstrip("/")
            for c in containers.listing(api, all=True)
            for n in c.get("Names") or []
            if "/" not in n.lstrip("/")
        }
    )


def _image_names(api) -> list[str]:
    from .engine import images

    return sorted({t for i in images.listing(api) for t in i.get("RepoTags") or [] if t != "<none>:<none>"})


def _network_names(api) -> list[str]:
    from .engine import networks

    return sorted({n["Name"] for n in networks.listing(api, {}) if n.get("Name")})


def _volume_names(api) -> list[str]:
    from .engine import volumes

    return sorted({v["Name"] for v in volumes.listing(api, {}) if v.get("Name")})


def _context_names() -> list[str]:
    from .engine import contexts

    return sorted({contexts.DEFAULT, *(c.name for c in contexts.listing())})


_LOCAL_LISTERS = {"context": _context_names}

_LISTERS = {
    "container": _container_names,
    "image": _image_names,
    "network": _network_names,
    "volume": _volume_names,
}


def register(shell, session) -> Completer:
    completer = Completer(session)
    for key in KEYS:
        shell.set_hook("complete_command", completer, str_key=key)
    shell.set_hook("complete_command", completer, re_key=ASSIGNED)
    return completer


def unregister(shell) -> None:
    dispatcher = getattr(shell, "strdispatchers", {}).get("complete_command")
    if dispatcher is not None:
        for key in KEYS:
            dispatcher.strs.pop(key, None)
        for regex in [r for r in dispatcher.regexs if getattr(r, "pattern", r) == ASSIGNED]:
            dispatcher.regexs.pop(regex)
