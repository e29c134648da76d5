"""Several ``-f`` files as one, merged as compose merges them (the compose specification's merge
rules, for the supported keys), each file already interpolated.

Mappings merge key by key and a later scalar wins. Sequences differ by key: ``command``,
``entrypoint`` and a healthcheck's ``test`` are replaced; ``environment``, ``labels``,
``depends_on``, a service's ``networks`` and ``build.args`` merge as mappings whichever form each
file writes; ``volumes`` merge by their target path; ``ports``, ``expose``, ``env_file``,
``profiles`` and network ``aliases`` are appended, without repeats.
"""

from __future__ import annotations

from typing import Any

_REPLACED = {"command", "entrypoint", "test"}
_AS_MAPPING = {"environment", "labels", "depends_on", "networks", "args"}


def merge(base: Any, override: Any, path: tuple[str, ...] = ()) -> Any:
    key = path[-1] if len(path) >= 3 else ""  # a service's key or deeper: never a service's name
    if key in _REPLACED:
        return override
    if key in _AS_MAPPING and (isinstance(base, list) or isinstance(override, list)):
        return merge(_mapping(base, key), _mapping(override, key), path)
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for name, value in override.items():
            out[name] = merge(base[name], value, (*path, str(name))) if name in base else value
        return out
    if key == "volumes" and isinstance(base, list) and isinstance(override, list):
        by_target = {_target(v): v for v in base}
        by_target.update({_target(v): v for v in override})
        return list(by_target.values())
    if isinstance(base, list) and isinstance(override, list):
        return base + [v for v in override if v not in base]
    if key == "build" and isinstance(base, str | dict) and isinstance(override, str | dict):
        as_dict = [{"context": b} if isinstance(b, str) else b for b in (base, override)]
        return merge(as_dict[0], as_dict[1], path)
    return override


def _mapping(value: Any, key: str) -> Any:
    """``[A=1, B]`` -> ``{A: '1', B: None}``; a networks or depends_on list -> ``{name: None}``."""
    if not isinstance(value, list):
        return value
    if key in ("networks", "depends_on"):
        return {str(v): None for v in value}
    out: dict[str, Any] = {}
    for item in value:
        name, eq, text = str(item).partition("=")
        out[name] = text if eq else None
    return out


def _target(volume: Any) -> Any:
    """A mount's path in the container: what a later file's volume replaces an earlier one by."""
    if isinstance(volume, dict):
        return volume.get("target", id(volume))
    parts = str(volume).split(":")
    return parts[1] if len(parts) > 1 else parts[0]
