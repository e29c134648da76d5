"""What every handle on an engine object shares, as docker-py's ``Model`` does.

A handle keeps the object's inspect document (``attrs``) as it was at the last
``reload()``; two handles are equal when they name the same object.
"""

from __future__ import annotations

from typing import Any, TypeVar

H = TypeVar("H", bound="Handle")


class Handle:
    """One object on the engine: a subclass says how to inspect it (``_inspect``)."""

    def __init__(self, session: Any, ref: str, attrs: dict | None = None):
        self._session = session
        self.attrs: dict = attrs if attrs is not None else self._inspect(ref)

    def _inspect(self, ref: str) -> dict:
        """The object's inspect document; each kind of object calls its engine function."""
        raise NotImplementedError

    @property
    def _api(self) -> Any:
        """The API client, for the engine functions a subclass calls."""
        return self._session.api

    def reload(self: H) -> H:
        """Read the object's state from the engine again; returns the handle itself."""
        self.attrs = self._inspect(self.id)
        return self

    @property
    def id(self) -> str:
        return self.attrs["Id"]

    @property
    def short_id(self) -> str:
        """The first 12 hex digits, as the CLI shows them (no ``sha256:``)."""
        return self.id.removeprefix("sha256:")[:12]

    @property
    def name(self) -> str:
        """The object's name ('' for kinds that have none, such as untagged images)."""
        return str(self.attrs.get("Name") or "").lstrip("/")

    def _repr_label(self) -> str:
        """What ``repr`` shows after the class name; subclasses add their state."""
        return f"{self.name} {self.short_id}" if self.name else self.short_id

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and isinstance(other, Handle) and other.id == self.id

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.id))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._repr_label()}>"
