"""File lists of layers, kept by layer digest, so that a layer is read from the engine once.

A layer's digest (its diff id) names its content, so its file list never
changes: it is kept in memory (the ``MEMORY`` most recent layers) and on disk
under a cache directory (the ``DISK`` most recent, as one small JSON file
each). An image's instructions (its config's history) are kept by image id
the same way, and the diff ids of other images (for "shared with") in memory.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import OrderedDict
from typing import Any

MEMORY = 64
DISK = 512
_DIGEST = re.compile(r"^sha256:([0-9a-f]{64})$")

Entries = list[tuple[str, int, str]]


def default_dir() -> str:
    """``$DOCKERMAGIC_CACHE``, else the user's cache directory (``$XDG_CACHE_HOME`` or ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.environ.get("DOCKERMAGIC_CACHE") or os.path.join(base, "dockermagic", "layers")


class LayerCache:
    def __init__(self, directory: str | None = None, memory: int = MEMORY, disk: int = DISK) -> None:
        self.directory = directory
        self.memory, self.disk = memory, disk
        self._kept: OrderedDict[str, Any] = OrderedDict()
        self.diff_ids: dict[str, list[str]] = {}  # image id -> its layers' diff ids (immutable)

    def _path(self, kind: str, digest: str) -> str | None:
        found = _DIGEST.match(digest)
        if self.directory is None or found is None:
            return None
        return os.path.join(
            self.directory if self.directory else default_dir(), f"{kind}-{found.group(1)}.json"
        )

    def get(self, kind: str, digest: str) -> Any:
        key = f"{kind}:{digest}"
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        path = self._path(kind, digest)
        if path is None:
            return None
        try:
            with open(path, encoding="utf-8") as f:
                value = json.load(f)
            os.utime(path)  # most recently used: the last to be pruned
        except (OSError, ValueError):
            return None
        if kind == "layer":
            value["entries"] = [tuple(e) for e in value["entries"]]
        self._remember(key, value)
        return value

    def put(self, kind: str, digest: str, value: Any) -> None:
        self._remember(f"{kind}:{digest}", value)
        path = self._path(kind, digest)
        if path is None:
            return
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(value, f)
            os.replace(tmp, path)  # whole or absent, even with two kernels at once
            self._prune(os.path.dirname(path))
        except OSError:
            pass  # a cache that cannot be written only costs the next view its time

    def _remember(self, key: str, value: Any) -> None:
        self._kept[key] = value
        self._kept.move_to_end(key)
        while len(self._kept) > self.memory:
            self._kept.popitem(last=False)

    def _prune(self, directory: str) -> None:
        files = [os.path.join(directory, n) for n in os.listdir(directory) if n.endswith(".json")]
        if len(files) <= self.disk:
            return
        files.sort(key=lambda p: os.stat(p).st_mtime)
        for path in files[: len(files) - self.disk]:
            try:
                os.unlink(path)
            except OSError:
                pass


# one per kernel, on disk in the default cache directory ("" means the default)
shared = LayerCache(directory="")
