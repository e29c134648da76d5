"""``KEY=VALUE`` lists and files, read as the docker CLI reads them.

One rule for labels, build arguments, driver options, filters and
environment variables: the key is what comes before the first ``=``; the
value is everything after it, ``=`` signs included.  An empty key is refused
with the flag's name and an example.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from ..errors import CommandError


def _split(entry: str, flag: str) -> tuple[str, str | None]:
    key, eq, value = entry.partition("=")
    if not key.strip():
        raise CommandError(f"{flag} {entry!r}: use KEY=VALUE.")
    return key, (value if eq else None)


def pairs(entries: Iterable[str], flag: str) -> tuple[tuple[str, str | None], ...]:
    """``--build-arg A=1 --build-arg B`` -> (("A", "1"), ("B", None)): a bare key has no value."""
    return tuple(_split(entry, flag) for entry in entries)


def mapping(entries: Iterable[str], flag: str) -> dict[str, str]:
    """``--label a=1 --label b`` -> {"a": "1", "b": ""}: a bare key has the empty value; the last one wins."""
    return {key: value or "" for key, value in pairs(entries, flag)}


def filters(entries: Iterable[str]) -> dict[str, list[str]]:
    """``-f status=exited -f name=db`` -> the API's filters: a lower-case key, its values in order,
    both stripped of white space (the CLI's ``filters.ParseFlag``)."""
    out: dict[str, list[str]] = {}
    for entry in entries:
        if not entry:  # the CLI ignores an empty filter
            continue
        key, eq, value = entry.partition("=")
        if not eq or not key.strip():
            raise CommandError(f"bad filter {entry!r}: use key=value, e.g. -f status=running")
        out.setdefault(key.strip().lower(), []).append(value.strip())
    return out


def env_entry(entry: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """``-e NAME=value`` as written; ``-e NAME`` takes NAME's value from ``environ`` (the kernel's), or
    nothing when NAME is not set there."""
    name, value = _split(entry, "-e")
    if value is not None:
        return [entry]
    environ = os.environ if environ is None else environ
    return [f"{name}={environ[name]}"] if name in environ else []


def read_env_file(path: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """``--env-file``: the file's ``KEY=VALUE`` lines; a bare ``KEY`` takes its value from ``environ``."""
    out: list[str] = []
    for line in _lines(path, "--env-file"):
        out.extend(env_entry(line, environ))
    return out


def read_label_file(path: str) -> dict[str, str]:
    """``--label-file``: the file's ``KEY=VALUE`` lines; a bare ``KEY`` is a label with no value."""
    return mapping(_lines(path, "--label-file"), "--label-file")


def _lines(path: str, flag: str) -> list[str]:
    """A KEY=VALUE file as the CLI reads one: blank lines and ``#`` comments skipped, leading
    white space dropped, a key with white space in it refused with its line number."""
    try:
        with open(os.path.expanduser(path), encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path, or not UTF-8
        reason = getattr(exc, "strerror", None) or " ".join(str(exc).split())[:120]
        raise CommandError(f"{flag} {path!r}: {reason} (a file on this machine).") from None
    out: list[str] = []
    for number, line in enumerate(lines, 1):
        line = line.lstrip()
        if not line or line.startswith("#"):
            continue
        key = line.partition("=")[0]
        if not key or key != "".join(key.split()):
            raise CommandError(
                f"{flag} {path!r} line {number}: {key!r} is not a name: write KEY=VALUE, one a line."
            )
        out.append(line)
    return out
