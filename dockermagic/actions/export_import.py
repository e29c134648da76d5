"""``export -o FILE CONTAINER`` and ``import``: spec -> engine -> the file written, or the image."""

from __future__ import annotations

import os
import time

from ..commands.export_import import ExportSpec, ImportSpec
from ..engine import export_import as engine
from ..errors import DockerMagicError
from ..objects.image import Image
from ..parsing import imageref
from ..views.base import Text, human_size
from . import perform


@perform.register
def _export(spec: ExportSpec, session):
    path = os.path.abspath(spec.output)
    if not os.path.isdir(os.path.dirname(path)):
        raise DockerMagicError(f"export -o {spec.output}: no such directory on this machine.")
    stream = engine.export(session.api, spec.container)
    tmp, done, reported = path + ".part", 0, time.monotonic()
    try:
        with open(tmp, "wb") as f:
            for chunk in stream:
                f.write(chunk)
                done += len(chunk)
                if time.monotonic() - reported > 1:  # a line a second, not one per chunk
                    session.out(f"\rwritten {human_size(done)}")
                    reported = time.monotonic()
        os.replace(tmp, path)  # a file that is there is whole
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    session.out(f"\rwritten {human_size(done)} to {spec.output}\n")
    return Text(spec.output)


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
