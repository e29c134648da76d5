"""inspect of any object, and the formatting every inspect-like command shares.

As the CLI: without ``-f`` the documents as one indented JSON array, the engine's JSON as it sent
it; with ``-f json`` the same array on one line (version and info: their document); with
``-f TEMPLATE`` one line per document, the template run on the CLI's typed struct (``.ID``, ``[]``
for an empty list...), and on the raw JSON when it names a field the struct lacks. The notebook
face is the inspect tree.
"""

from __future__ import annotations

import json

from ..commands.inspect import KINDS, ContainerInspectSpec, ImageInspectSpec, InspectSpec
from ..engine import containers, images, networks, volumes
from ..errors import NotFound
from ..secrets import mask_doc, mask_text
from ..templates import go_json, parse, render
from ..views.base import Text
from ..views.inspect import InspectView
from . import perform
from .go_types import document

_INSPECTORS = {
    "container": lambda api, name, size: containers.inspect(api, name, size=size),
    "image": lambda api, name, size: images.inspect(api, name),
    "network": lambda api, name, size: networks.inspect(api, name),
    "volume": lambda api, name, size: volumes.inspect(api, name),
}


def inspect_one(api, name: str, kind: str | None, size: bool = False) -> tuple[str, dict]:
    """``(kind, document)`` of ``name``: of the given kind, else of the first kind that has it, as
    the CLI looks."""
    for k in [kind] if kind else KINDS:
        try:
            return k, _INSPECTORS[k](api, name, size)
        except NotFound:
            continue
    raise NotFound(f"No such object: {name}", 404)


# Documents that print as themselves, not in an array (version, info).
ONE_DOCUMENT = ("command.versionInfo", "info")

# Which kind a document is, by a key only that kind's document has (for callers that do not say).
_MARKS = (("State", "container"), ("RootFS", "image"), ("IPAM", "network"), ("Mountpoint", "volume"))


def _kind_of(doc: dict) -> str | None:
    return next((kind for key, kind in _MARKS if key in doc), None)


def engine_json(docs: list) -> str:
    """The documents as the CLI prints them: one JSON array indented by four spaces, as the engine
    wrote them (UTF-8, HTML characters left alone, U+2028 and U+2029 escaped as Go does)."""
    text = json.dumps(docs, indent=4, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class Inspected(InspectView):
    """The inspect tree in a notebook; as text, the CLI's JSON array (one document or several)."""

    def __init__(self, docs: list, names):
        super().__init__(docs[0] if len(docs) == 1 else docs, title=", ".join(names))
        self.docs = docs

    def text(self) -> str:
        return mask_text(engine_json([mask_doc(d) for d in self.docs]))


def inspected(docs: list[dict], names, fmt: str | None, kind: str | None = None):
    """``-f TEMPLATE`` as text, one line per document; ``-f json`` on one line; else the documents.

    ``kind``: ``container``, ``image``, ``network``, ``volume`` or a type name of ``go_types``
    (``None``: told by the document's keys). Secrets are masked either way.
    """
    if fmt and fmt.strip() == "json":  # the newer CLIs' json format: compact, on one line
        masked = [mask_doc(d) for d in docs]
        if kind in ONE_DOCUMENT:
            return Text(mask_text(go_json(masked[0])))
        return Text(mask_text(go_json(masked)))
    if fmt:
        template = parse(fmt)
        lines = []
        for doc in docs:
            masked = mask_doc(doc)
            which = kind or _kind_of(doc)
            typed = document(masked, which) if which else masked
            lines.append(render(template, typed, raw=masked))
        return Text("\n".join(lines))
    return Inspected(docs, names)


@perform.register
def _inspect(spec: InspectSpec, session):
    found = [inspect_one(session.api, name, spec.type, spec.size) for name in spec.names]
    return _several(found, spec)


@perform.register
def _container_inspect(spec: ContainerInspectSpec, session):
    return _several([inspect_one(session.api, name, "container", spec.size) for name in spec.names], spec)


@perform.register
def _image_inspect(spec: ImageInspectSpec, session):
    return _several([inspect_one(session.api, name, "image") for name in spec.names], spec)


def _several(found: list[tuple[str, dict]], spec: InspectSpec | ContainerInspectSpec | ImageInspectSpec):
    if spec.format and spec.format.strip() == "json":
        return inspected([doc for _, doc in found], spec.names, spec.format)
    if spec.format:
        return Text(
            "\n".join(str(inspected([doc], [spec.names[0]], spec.format, kind)) for kind, doc in found)
        )
    return Inspected([doc for _, doc in found], spec.names)
