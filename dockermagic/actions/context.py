"""context ls/create/update/use/show/inspect/rm/export/import: spec -> the CLI's context store -> view.

Output as the CLI's: what it prints on stdout is the result, what it prints on stderr
("Successfully created context ...", the DOCKER_HOST warning) goes to the cell's stderr.
``context use`` (and removing the context in use) resets the session's engine, so the next
command connects to the engine the context names.
"""

from __future__ import annotations

import os

from ..commands.context import (
    ContextCreateSpec,
    ContextExportSpec,
    ContextImportSpec,
    ContextInspectSpec,
    ContextLsSpec,
    ContextRmSpec,
    ContextShowSpec,
    ContextUpdateSpec,
    ContextUseSpec,
)
from ..engine import context_archive, contexts
from ..engine import docker_context as engine
from ..errors import DockerMagicError, LocalPathError
from ..objects.archive import Archive
from ..templates import GoStruct, Template, render
from ..views.base import Text
from ..views.inspect import InspectView
from ..views.table import Table
from . import perform
from .listing import formatted, natural_key

COLUMNS = [
    ("Shown", "NAME"),
    ("Description", "DESCRIPTION"),
    ("DockerEndpoint", "DOCKER ENDPOINT"),
    ("Error", "ERROR"),
]
ERROR_WIDTH = 45  # the CLI shortens an error in the list to this many characters


def _configured(session) -> str | None:
    """``%config DockerMagics.base_url``: an address given outright, as the CLI's ``-H``."""
    return session.engine.base_url


def _overridden(session, name: str | None = None) -> None:
    """The CLI's warning when the environment (here also ``base_url``) overrides the context."""
    what = f'To use "{name}"' if name else "To use a context"
    again = f"%docker context use {name or 'NAME'}"
    if _configured(session):
        session.err(
            f"Warning: %config DockerMagics.base_url overrides the active context. {what}, "
            f"set it back (%config DockerMagics.base_url = None), then {again}.\n"
        )
    elif os.environ.get("DOCKER_HOST"):
        session.err(  # the CLI's words, less its --context flag, which %docker has not
            f"Warning: DOCKER_HOST environment variable overrides the active context. {what}, "
            f"unset DOCKER_HOST environment variable (os.environ.pop('DOCKER_HOST')), then {again}.\n"
        )


def _ellipsis(text: str) -> str:
    return text if len(text) <= ERROR_WIDTH else text[: ERROR_WIDTH - 1] + "…"


def rows(configured: str | None) -> list[dict]:
    """The CLI's list context per context: Name, Current, Description, DockerEndpoint, Error."""
    current = engine.active_context_name(configured)
    found = [*contexts.listing(), engine.default_context(configured)]
    listed = [
        {
            "Name": c.name,
            "Current": c.name == current,
            "Description": engine.DEFAULT_DESCRIPTION if c.name == contexts.DEFAULT else c.description,
            "DockerEndpoint": c.host,
            "Error": "",
        }
        for c in found
    ]
    if current not in {c.name for c in found}:  # the current one is missing: listed, with why
        meta = os.path.join(contexts.meta_dir(current), "meta.json")
        error = f'context "{current}": context not found: open {meta}: no such file or directory'
        listed.append(
            {"Name": current, "Current": True, "Description": "", "DockerEndpoint": "", "Error": error}
        )
    for row in listed:
        row["Error"] = _ellipsis(str(row["Error"]))
        row["Shown"] = f"{row['Name']}{' *' if row['Current'] else ''}"
    return sorted(listed, key=lambda r: natural_key(r["Name"]))


@perform.register
def _ls(spec: ContextLsSpec, session):
    found = rows(_configured(session))
    _overridden(session)
    if spec.quiet:
        return Text("\n".join(r["Name"] for r in found))
    if spec.format and spec.format.strip() != "table":
        plain = [{k: v for k, v in r.items() if k != "Shown"} for r in found]
        return formatted(
            plain, spec.format, [(k, h) for k, h in COLUMNS if k != "Shown"], untitled=("Current",)
        )
    return Table(COLUMNS, found, title="docker contexts", id_key="Name")


@perform.register
def _show(spec: ContextShowSpec, session):
    return Text(engine.active_context_name(_configured(session)))


def _reset_engine(session) -> None:
    """The next command connects again, to the engine the current context names now."""
    session.engine.reset(session.engine.base_url)


@perform.register
def _use(spec: ContextUseSpec, session):
    engine.use(spec.name)
    _reset_engine(session)
    session.err(f'Current context is now "{spec.name}"\n')
    if spec.name != contexts.DEFAULT:
        _overridden(session, spec.name)
    env = os.environ.get("DOCKER_CONTEXT")
    if env and env != spec.name and not _configured(session) and not os.environ.get("DOCKER_HOST"):
        session.err(
            f'Warning: DOCKER_CONTEXT="{env}" overrides the context in use; unset it to use "{spec.name}".\n'
        )
    return Text(spec.name)


@perform.register
def _create(spec: ContextCreateSpec, session):
    engine.create(spec.name, spec.description, spec.docker, spec.source, _configured(session))
    session.err(f'Successfully created context "{spec.name}"\n')
    return Text(spec.name)


@perform.register
def _update(spec: ContextUpdateSpec, session):
    engine.update(spec.name, spec.description, spec.docker, _configured(session))
    if spec.name == engine.active_context_name(_configured(session)):
        _reset_engine(session)
    session.err(f'Successfully updated context "{spec.name}"\n')
    return Text(spec.name)


@perform.register
def _rm(spec: ContextRmSpec, session):
    removed, errors = [], []
    current = engine.active_context_name(_configured(session))
    for name in spec.names:
        try:
            engine.remove(name, spec.force, _configured(session))
            removed.append(name)
        except DockerMagicError as exc:
            errors.append(str(exc))
    if current in removed:
        _reset_engine(session)
    if errors:
        if removed:
            session.out("\n".join(removed) + "\n")
        raise DockerMagicError("; ".join(errors))
    return Text("\n".join(removed))


def inspect_document(name: str, configured: str | None) -> dict:
    """What ``context inspect`` prints for one context: its metadata, TLS files and storage."""
    stored = engine.lookup(name, configured)
    doc = contexts.Struct(stored.document())
    doc.setdefault("Metadata", {})
    doc.setdefault("Endpoints", {})
    doc["TLSMaterial"] = stored.tls
    if name == contexts.DEFAULT:
        doc["Storage"] = contexts.Struct(MetadataPath="<IN MEMORY>", TLSPath="<IN MEMORY>")
    else:
        doc["Storage"] = contexts.Struct(MetadataPath=contexts.meta_dir(name), TLSPath=contexts.tls_dir(name))
    return doc


class ContextInspected(InspectView):
    """The inspect tree in a notebook; as text, the CLI's JSON array (Go's indented JSON)."""

    def __init__(self, docs: list[dict], names: list[str]):
        super().__init__(docs[0] if len(docs) == 1 else docs, title=", ".join(names))
        self.docs = docs

    def text(self) -> str:
        return contexts.go_marshal(self.docs, indent=4)


@perform.register
def _inspect(spec: ContextInspectSpec, session):
    names = list(spec.names) or [engine.active_context_name(_configured(session))]
    docs = [inspect_document(name, _configured(session)) for name in names]
    if spec.format and spec.format.strip() == "json":
        return Text(contexts.go_marshal(docs))
    if spec.format:
        template = Template(spec.format.replace("\\t", "\t").replace("\\n", "\n"))
        return Text("\n".join(render(template, _typed(d)) for d in docs))
    return ContextInspected(docs, names)


def _typed(doc: dict) -> GoStruct:
    """The CLI's inspect struct embeds the store's ``Metadata`` struct: ``json`` prints its fields
    in line, and ``.Metadata`` is that whole struct (``.Metadata.Metadata.Description``)."""
    embedded = GoStruct(
        "store.Metadata",
        {"Name": doc["Name"], "Metadata": doc["Metadata"], "Endpoints": doc["Endpoints"]},
    )
    return GoStruct("context.contextWithTLSListing", {**doc, "Metadata": embedded}, raw=doc)


@perform.register
def _export(spec: ContextExportSpec, session):
    if spec.name != contexts.DEFAULT:
        contexts.validate_name(spec.name)
    stored = engine.lookup(spec.name, _configured(session))
    data = context_archive.export_archive(stored, engine.stored_tls(spec.name))
    if spec.file == "-":  # the CLI writes it to stdout; a cell gets it back
        return Archive(data, f"the docker context {spec.name}")
    dest = spec.file or f"{spec.name}.dockercontext"
    try:
        with open(dest, "xb") as f:  # never over an existing file, as with the CLI
            os.chmod(dest, 0o600)
            f.write(data)
    except OSError as exc:
        raise LocalPathError(f"context export: {dest}: {exc.strerror or exc}") from None
    session.err(f'Written file "{dest}"\n')
    return None


@perform.register
def _import(spec: ContextImportSpec, session):
    contexts.validate_name(spec.name)
    if contexts.exists(spec.name):
        raise DockerMagicError(f'context "{spec.name}" already exists')
    try:
        with open(spec.file, "rb") as f:
            data = f.read(context_archive.LIMIT + 1)
    except OSError as exc:
        raise LocalPathError(f"context import: {spec.file}: {exc.strerror or exc}") from None
    context_archive.import_archive(spec.name, data)
    session.err(f'Successfully imported context "{spec.name}"\n')
    return Text(spec.name)
