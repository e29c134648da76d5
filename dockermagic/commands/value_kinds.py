"""Options whose value is of a kind: the word ``--help`` shows for it and the check that converts it.

The two always go together, so an option of a kind is declared by its kind:
``duration("--restart-delay", help="...")`` rather than ``value("--restart-delay", help="...",
metavar="duration", convert=duration_ns)``. Other keywords of ``value`` pass through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..parsing import container_values
from ..parsing.units import duration_ns, memory_bytes, nano_cpus
from .grammar import Option, repeated, value


def unsigned(text: str) -> int:
    number = int(text, 0)
    if number < 0:
        raise ValueError("use a number of 0 or more")
    return number


def one_of(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def check(text: str) -> str:
        if text not in allowed:
            raise ValueError(f"use {', '.join(allowed)}")
        return text

    return check


def ratio(text: str) -> float:
    number = float(text)
    if not 0 <= number <= 1:
        raise ValueError("use a fraction between 0 and 1")
    return number


def choice(*names: str, allowed: tuple[str, ...], help: str, **kw: Any) -> Option:
    """One of the ``allowed`` words (the help names them, as the CLI's does)."""
    return value(*names, help=help, convert=one_of(allowed), **kw)


def _kind(metavar: str, convert: Callable[[str], Any]) -> Callable[..., Option]:
    def declare(*names: str, help: str, **kw: Any) -> Option:
        return value(*names, help=help, metavar=metavar, convert=convert, **kw)

    return declare


duration = _kind("duration", duration_ns)  # 1h30m, 500ms: nanoseconds, as the Engine API takes them
size = _kind("bytes", memory_bytes)  # 512m, 2g: bytes
cpus = _kind("decimal", nano_cpus)  # 1.5: nano CPUs
int64 = _kind("int", container_values.int64)  # the CLI's int64: a number that fits one
integer = _kind("int", int)
uint = _kind("uint", unsigned)
swap = _kind("bytes", container_values.memory_swap)  # a size, or -1: unlimited swap
uint32 = _kind("uint32", unsigned)  # the CLI's word for a port or a mask length
fraction = _kind("float", ratio)  # 0 to 1


def _per_device(convert: Callable[[str], Any]) -> Callable[..., Option]:
    """A repeated ``PATH:RATE`` option, a device's limit each (the CLI's word for it: list)."""

    def declare(*names: str, help: str, **kw: Any) -> Option:
        return repeated(*names, help=help, convert=convert, **kw)

    return declare


device_bps = _per_device(container_values.throttle_bps)  # /dev/sda:1mb: bytes a second
device_iops = _per_device(container_values.throttle_iops)  # /dev/sda:1000: operations a second
