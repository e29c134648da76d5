"""``%docker cp CONTAINER:PATH -``: the tar archive the CLI would write to stdout.

A cell has no binary stdout, so the archive is returned: ``bytes(a)`` is the
tar stream itself, ``a.names()`` what it holds; it displays as a short summary.
"""

from __future__ import annotations

import io
import tarfile

from ..views.base import human_size


class Archive:
    def __init__(self, data: bytes, source: str):
        self.data = data
        self.source = source

    def __bytes__(self) -> bytes:
        return self.data

    def names(self) -> list[str]:
        with tarfile.open(fileobj=io.BytesIO(self.data)) as tar:
            return tar.getnames()

    def __repr__(self) -> str:
        names = self.names()
        shown = ", ".join(names[:5]) + (f", ... ({len(names)} entries)" if len(names) > 5 else "")
        return f"<tar archive of {self.source}, {human_size(len(self.data))}: {shown}>"
