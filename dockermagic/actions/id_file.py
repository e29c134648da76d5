"""``--cidfile PATH``: the new container's id written to a file, as the CLI writes it.

The file must not exist yet (another container may own it); it is made before
the container is created and removed again when the creation fails, so a
failed line leaves nothing behind.
"""

from __future__ import annotations

import os
from types import TracebackType

from ..errors import CommandError


class IdFile:
    def __init__(self, path: str | None):
        self.path = os.path.expanduser(path) if path else None
        self.written = False

    def __enter__(self) -> IdFile:
        if self.path is None:
            return self
        try:
            with open(self.path, "x", encoding="utf-8"):
                pass
        except FileExistsError:
            raise CommandError(
                f"--cidfile {self.path!r} exists: another container may own it; delete it or name another file."
            ) from None
        except OSError as exc:
            raise CommandError(f"--cidfile {self.path!r}: {exc.strerror} (a file on this machine).") from None
        return self

    def write(self, container_id: str) -> None:
        if self.path is not None:
            with open(self.path, "w", encoding="utf-8") as f:
                f.write(container_id)
            self.written = True

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.path is not None and not self.written:
            try:
                os.remove(self.path)
            except OSError:
                pass
