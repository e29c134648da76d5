"""``export -o FILE CONTAINER`` and ``import``: spec -> engine -> the file written, or the image."""

from __future__ import annotations

import os

from ..commands.export_import import ExportSpec, ImportSpec
from ..engine import export_import as engine
from ..errors import DockerMagicError
from ..objects.image import Image
from ..parsing import imageref
from . import perform
from .to_file import write_stream


@perform.register
def _export(spec: ExportSpec, session):
    path = os.path.abspath(spec.output)
    if not os.path.isdir(os.path.dirname(path)):
        raise DockerMagicError(f"export -o {spec.output}: no such directory on this machine.")
    return write_stream(session, engine.export(session.api, spec.container), spec.output)


def _chunks(path: str):
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            yield chunk


@perform.register
def _import(spec: ImportSpec, session):
    repository, tag = imageref.split(spec.reference) if spec.reference else (None, None)
    if spec.from_url:
        data, source = None, spec.source
    elif os.path.isfile(spec.source):
        data, source = _chunks(spec.source), "-"
    else:
        raise DockerMagicError(
            f"import: no such file on this machine: {spec.source} (or give an http(s) URL)."
        )
    image_id = engine.import_image(
        session.api, data, source, repository, tag, spec.changes, spec.message, spec.platform
    )
    session.out(image_id + "\n")  # what the CLI prints
    return Image(session, image_id)
