"""What templates run on and raise: Go's missing value, typed structs, slices, maps and nil
pointers, and the errors of the template package."""

from __future__ import annotations

from typing import Any, NoReturn

from ..errors import CommandError


class _Missing:
    """Go's invalid reflect.Value: what a missing map key gives."""

    def __str__(self):
        return "<no value>"

    def __repr__(self):
        return "MISSING"


MISSING = _Missing()


class GoStruct:
    """A Go struct decoded from JSON: ``fields`` maps Go field names to values, in field order.

    ``raw`` is the JSON object it came from (what ``json`` prints again); ``pointer`` says it
    was reached through a pointer (printed as an address when nested, as fmt does). A field
    whose value is callable is a method: it takes the template's arguments.
    """

    def __init__(self, name: str, fields: dict[str, Any], raw: Any = None, pointer: bool = False):
        self.name = name
        self.fields = fields
        self.raw = raw
        self.pointer = pointer


class NilPointer:
    """A nil ``*T``: prints ``<nil>``, and a field of it is an error."""

    def __init__(self, name: str):
        self.name = name


class GoSlice(list):
    """A typed slice; ``nil`` when the JSON held null (``[]`` printed, ``null`` as JSON)."""

    def __init__(self, items=(), nil: bool = False):
        super().__init__(items)
        self.nil = nil


class GoMap(dict):
    """A typed map: ``index`` of a missing key gives ``zero`` (the element type's zero value)."""

    def __init__(self, items=(), zero: Any = None, nil: bool = False):
        super().__init__(items)
        self.zero = zero
        self.nil = nil


class _FieldError(CommandError):
    """A field the typed document does not have: the CLI retries on the raw document."""


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def _fail(message: str) -> NoReturn:
    raise CommandError(f"template: {message}")
