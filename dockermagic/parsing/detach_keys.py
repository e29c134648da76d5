"""``--detach-keys``: the key sequence the engine detaches on, read as the engine reads it.

A comma-separated list of keys, each one character or ``ctrl-X`` (X one of
``@``, ``a``-``z``, ``[``, ``\\``, ``]``, ``^``, ``_``), case-insensitive.
"""

from __future__ import annotations

DEFAULT = "ctrl-p,ctrl-q"
_CONTROLS = "@abcdefghijklmnopqrstuvwxyz[\\]^_"  # ctrl-@ is byte 0, ctrl-a byte 1...


def detach_bytes(keys: str) -> bytes:
    """The bytes that ``keys`` stands for; ValueError for a key the engine would refuse."""
    codes = bytearray()
    for key in keys.split(","):
        name = key.lower()
        if len(key) == 1 and key.isascii():
            codes.append(ord(key))
        elif name.startswith("ctrl-") and len(name) == 6 and name[5] in _CONTROLS:
            codes.append(_CONTROLS.index(name[5]))
        else:
            raise ValueError(
                f"unknown key {key!r}: give keys separated by commas, each one character "
                f"or ctrl- and one of a-z @ [ \\ ] ^ _ (the default is {DEFAULT})"
            )
    return bytes(codes)


def checked(keys: str) -> str:
    """``keys`` as given, once the engine would take them (the option's converter)."""
    detach_bytes(keys)
    return keys
