"""Tab completion for ``%docker`` and ``%dexec``: subcommands, flags, image and container names.

Names come from one list call each, cached for a few seconds, so a keystroke
never waits for the engine; and only once the kernel is connected to an engine
(after a first command), so completing never starts a connection.
"""
from __future__ import annotations

import re
import time

CACHE_SECONDS = 5.0
KEYS = ("%docker", "%dexec", "%%dexec")
# ``box = %docker run ...``: IPython keys completers on a line's first word, here the variable
ASSIGNED = r"^\s*[\w.]+\s*=\s*%(docker|dexec)\s"
_ASSIGNMENT = re.compile(r"^\s*[\w.]+\s*=\s*(?=%)")
IMAGE_COMMANDS = {"run", "create", "rmi", "history", "tag", "push", "save", "layers", "pull",
                  "image rm", "image inspect", "image history"}
CONTAINER_COMMANDS = {"start", "stop", "restart", "kill", "rm", "logs", "port", "top", "stats", "diff",
                      "commit", "exec", "attach", "pause", "unpause", "cp", "network connect",
                      "network disconnect"}


class Completer:
    def __init__(self, session):
        self.session = session
        self._names: dict[str, tuple[float, list[str]]] = {}

    def _cached(self, kind: str) -> list[str]:
        engine = self.session.engine
        if engine._client is None:  # not connected yet: do not connect just to complete
            return []
        stamp, names = self._names.get(kind, (0.0, []))
        if time.monotonic() - stamp < CACHE_SECONDS:
            return names
        try:
            api = engine.get().api
            if kind == "containers":
                names = sorted({n.lstrip("/") for c in api.containers(all=True) for n in c.get("Names") or []
                                if "/" not in n.lstrip("/")})
            else:
                names = sorted({t for i in api.images() for t in i.get("RepoTags") or [] if t != "<none>:<none>"})
        except Exception:
            names = []
        self._names[kind] = (time.monotonic(), names)
        return names

    def __call__(self, shell, event) -> list[str]:
        words = _ASSIGNMENT.sub("", event.line).split()
        magic = words[0] if words else ""
        args = words[1:]
        completing_new = event.line.endswith(" ")
        current = "" if completing_new else (args[-1] if args else "")
        done = args if completing_new else args[:-1]
        if magic.lstrip("%") == "dexec":
            return [n for n in self._cached("containers") if n.startswith(current)] if not done else []
        return self.complete_docker(done, current)

    def complete_docker(self, done: list[str], current: str) -> list[str]:
        from .commands import registry  # on the first Tab, not at %load_ext

        groups = registry.groups()
        if not done:
            heads = sorted({n.split()[0] for n in registry.names()} | groups)
            return [h for h in heads if h.startswith(current)]
        name = done[0]
        if name in groups:
            if len(done) == 1:
                subs = sorted({n.split()[1] for n in list(registry.names()) + list(registry.ALIASES)
                               if n.startswith(name + " ")})
                return [s for s in subs if s.startswith(current)]
            name = f"{name} {done[1]}"
        command = registry.get(name)
        if command is None:
            return []
        if current.startswith("-"):
            flags = sorted({n for o in command.options for n in o.names if n.startswith("--")} |
                           {n for o in command.options for n in o.names if not n.startswith("--")})
            return [f for f in flags if f.startswith(current)]
        candidates: list[str] = []
        if command.name in IMAGE_COMMANDS or name.startswith("image ") or command.name == "inspect":
            candidates += self._cached("images")
        if command.name in CONTAINER_COMMANDS or name.startswith("container ") or command.name == "inspect":
            candidates += self._cached("containers")
        return [c for c in candidates if c.startswith(current)]


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
