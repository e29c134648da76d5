"""version, info: what the engine is."""
from __future__ import annotations

from dataclasses import dataclass

from .grammar import value
from .registry import command

FORMAT = value("-f", "--format", help="Format the output using a Go template, or 'json'")


@dataclass(frozen=True)
class VersionSpec:
    format: str | None = None


@dataclass(frozen=True)
class InfoSpec:
    format: str | None = None


@command("version", "Show the Docker client and engine version information", [FORMAT])
def version(p) -> VersionSpec:
    return VersionSpec(p.format)


@command("info", "Display system-wide information", [FORMAT])
def info(p) -> InfoSpec:
    return InfoSpec(p.format)
