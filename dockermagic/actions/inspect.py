"""inspect of any object, and the formatting every inspect-like command shares (-f, json, the tree)."""

from __future__ import annotations

import json

from ..commands.inspect import KINDS, InspectSpec
from ..engine import containers, images, networks, volumes
from ..errors import NotFound
from ..secrets import mask_doc, mask_text
from ..templates import render
from ..views.base import Text
from ..views.inspect import InspectView
from . import perform

_INSPECTORS = {
    "container": lambda api, name, size: containers.inspect(api, name, size=size),
    "image": lambda api, name, size: images.inspect(api, name),
    "network": lambda api, name, size: networks.inspect(api, name),
    "volume": lambda api, name, size: volumes.inspect(api, name),
}


def inspect_one(api, name: str, kind: str | None, size: bool = False) -> dict:
    """The document of ``name``: of the given kind, else of the first kind that has it, as the CLI looks."""
    for k in [kind] if kind else KINDS:
        try:
            return _INSPECTORS[k](api, name, size)
        except NotFound:
            continue
    raise NotFound(f"No such object: {name}", 404)


def inspected(docs: list[dict], names, fmt: str | None):
    """``-f TEMPLATE`` or ``-f json`` as text, else the inspect tree; secrets masked either way."""
    if fmt:
        if fmt.strip() in ("json", "{{json .}}"):
            return Text("\n".join(mask_text(json.dumps(mask_doc(d))) for d in docs))
        return Text("\n".join(render(fmt, d) for d in docs))
    if len(docs) == 1:
        return InspectView(docs[0], title=names[0])
    return InspectView(docs, title=", ".join(names))


@perform.register
def _inspect(spec: InspectSpec, session):
    docs = [inspect_one(session.api, name, spec.type, spec.size) for name in spec.names]
    return inspected(docs, spec.names, spec.format)
