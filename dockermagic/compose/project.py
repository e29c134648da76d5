"""A compose file's text -> a Project: read, interpolated, normalised, profiles applied."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from ..errors import CommandError
from .interpolate import environment, interpolate
from .merge import merge
from .model import Project
from .normalise import normalise
from .source import Document, load


def from_text(
    text: str,
    working_dir: str | None = None,
    project: str | None = None,
    environ: Mapping[str, str] | None = None,
    name: str = "compose file",
    config_files: tuple[str, ...] = (),
    overrides: tuple[tuple[str, str], ...] = (),
) -> Project:
    """The Project a compose file describes; ``working_dir`` (default: the kernel's) resolves
    relative paths and holds the ``.env`` file. ``overrides`` are later files, (text, name) each,
    merged over it as compose merges them."""
    where = os.path.abspath(working_dir or os.getcwd())
    doc, variables, warnings = merged(text, where, environ, name, overrides)
    result = normalise(doc, where, variables, project, config_files)
    return replace(result, warnings=warnings)


def merged(
    text: str,
    where: str,
    environ: Mapping[str, str] | None,
    name: str,
    overrides: tuple[tuple[str, str], ...],
) -> tuple[Document, dict[str, str], tuple[str, ...]]:
    """The files read, interpolated and merged, before normalising: the document, the variables
    (``.env`` under the kernel's environment) and the warnings for unset ones."""
    variables = environment(where, environ)
    doc = load(text, name)
    doc.data, unset = interpolate(doc.data, variables, _described(doc))
    for more_text, more_name in overrides:
        more = load(more_text, more_name)
        more.data, more_unset = interpolate(more.data, variables, _described(more))
        doc.data = merge(doc.data, more.data)
        doc.lines.update(more.lines)  # a mistake names the line of the file that wrote the key last
        unset = [*unset, *(v for v in more_unset if v not in unset)]
    warnings = tuple(f"The {v} variable is not set. Defaulting to a blank string." for v in unset)
    return doc, variables, warnings


def _described(doc: Document) -> Callable[[tuple[str, ...]], str]:
    return lambda path: f"{doc.name}: {doc.where(path)}"


def from_files(
    files: Iterable[str], project: str | None = None, environ: Mapping[str, str] | None = None
) -> Project:
    """``-f FILE``...: the first file is the project (its directory the working directory, against
    which every file's relative paths resolve, as in compose); later ones are merged over it."""
    paths = [os.path.abspath(f) for f in files]
    texts = [(_read(path), os.path.basename(path)) for path in paths]
    (text, name), overrides = texts[0], tuple(texts[1:])
    return from_text(text, os.path.dirname(paths[0]), project, environ, name, tuple(paths), overrides)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as exc:
        raise CommandError(f"-f {path}: {exc.strerror} (a compose file on this machine).") from None


def find_file(directory: str) -> str | None:
    """The compose file compose itself would pick in ``directory``."""
    for candidate in ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"):
        path = os.path.join(directory, candidate)
        if os.path.isfile(path):
            return path
    return None


def active(project: Project, profiles: Iterable[str], named: Iterable[str] = ()) -> Project:
    """Only the services enabled by ``profiles`` (a service without profiles always is), plus
    those ``named`` on the command line, and what they depend on."""
    enabled, wanted = set(profiles), set(named)
    for service in wanted:
        project.service(service)  # an unknown name is one line
    keep = {
        s.name for s in project.services if not s.profiles or enabled & set(s.profiles) or s.name in wanted
    }
    pending = list(keep)
    while pending:
        for dep in project.service(pending.pop()).depends_on:
            if dep.service not in keep and any(s.name == dep.service for s in project.services):
                keep.add(dep.service)
                pending.append(dep.service)
    return replace(project, services=tuple(s for s in project.services if s.name in keep))
