"""File lists of layers, kept by layer digest, so that a layer is read from the engine once.

A layer's digest (its diff id) names its content, so its file list never
changes: it is kept in memory (the ``MEMORY`` most recent layers) and on disk
under a cache directory (the ``DISK`` most recent files), one small JSON file
each, in columns (paths, sizes, one letter a kind) because a list of rows
takes three times as long to load. An image id names its content too: its
instructions (its config's history) and its layers' diff ids (what "shared
with" compares, for every other image) are kept by image id the same way, so a
new kernel asks the engine for neither.
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
FORMAT = 2  # in the file names: files of an earlier format are never read, and pruned in time


def default_dir() -> str:
    """``$DOCKERMAGIC_CACHE``, else the user's cache directory (``$XDG_CACHE_HOME`` or ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.environ.get("DOCKERMAGIC_CACHE") or os.path.join(base, "dockermagic", "layers")


class LayerCache:
    """``get``/``put`` by kind ("layer", "history", "image") and digest; ``directory`` None: memory only,
    "" the default directory."""

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
            self.directory if self.directory else default_dir(), f"{kind}{FORMAT}-{found.group(1)}.json"
        )

    def get(self, kind: str, digest: str) -> Any:
        key = f"{kind}:{digest}"
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        value = self._load(kind, digest)
        if value is not None:
            self._remember(key, value)
        return value

    def put(self, kind: str, digest: str, value: Any) -> None:
        self._remember(f"{kind}:{digest}", value)
        self._store(kind, digest, value)

    def image_layers(self, image_id: str) -> list[str] | None:
        """An image's diff ids, from memory or disk (every local image's are wanted at once, so
        they are kept apart from the layers' most-recent list)."""
        layers = self.diff_ids.get(image_id)
        if layers is None:
            layers = self._load("image", image_id)
            if isinstance(layers, list):
                self.diff_ids[image_id] = layers
        return layers

    def keep_image_layers(self, image_id: str, layers: list[str]) -> None:
        if self.image_layers(image_id) != layers:
            self.diff_ids[image_id] = layers
            self._store("image", image_id, layers)

    def _load(self, kind: str, digest: str) -> Any:
        path = self._path(kind, digest)
        if path is None:
            return None
        try:
            with open(path, encoding="utf-8") as f:
                value = json.load(f)
            os.utime(path)  # most recently used: the last to be pruned
        except (OSError, ValueError):
            return None
        return value

    def _store(self, kind: str, digest: str, value: Any) -> None:
        path = self._path(kind, digest)
        if path is None:
            return
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(value, f, separators=(",", ":"))
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
