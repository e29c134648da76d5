"""images, pull, push, rmi, tag, save, load, history, search, inspect."""
from __future__ import annotations

import json
import os
import time

from ..commands.images import (HistorySpec, ImagesSpec, InspectSpec, LayersSpec, LoadSpec, RmiSpec, SaveSpec,
                               SearchSpec, TagSpec, TransferSpec)
from ..engine import images as engine
from ..engine.containers import call
from ..errors import DockerMagicError, EngineUnavailable, NotFound, explain
from ..objects.image import Image
from ..secrets import mask_doc, mask_text
from ..templates import render
from ..views.base import Text, human_size
from ..views.history import HistoryView
from ..views.inspect import InspectView
from ..views.progress import LayerProgress
from ..views.table import Table
from ..views.timefmt import ago
from . import perform
from .containers import formatted

IMAGE_COLUMNS = [("Repository", "REPOSITORY"), ("Tag", "TAG"), ("ID", "IMAGE ID"),
                 ("CreatedSince", "CREATED"), ("Size", "SIZE")]


def image_rows(listing: list[dict], no_trunc: bool, digests: bool, now: float) -> list[dict]:
    rows = []
    for img in listing:
        ident = img["Id"] if no_trunc else img["Id"].replace("sha256:", "")[:12]
        tags = [t for t in img.get("RepoTags") or [] if t != "<none>:<none>"]
        refs = [(t.rsplit(":", 1)[0], t.rsplit(":", 1)[1]) for t in tags] or [("<none>", "<none>")]
        digest = next(iter(img.get("RepoDigests") or []), "@<none>").split("@", 1)[-1]
        for repo, tag in refs:
            rows.append({"Repository": repo, "Tag": tag, "ID": ident, "Digest": digest,
                         "CreatedSince": ago(img.get("Created", 0), now),
                         "CreatedAt": time.strftime("%Y-%m-%d %H:%M:%S %z %Z", time.localtime(img.get("Created", 0))),
                         "Size": human_size(img.get("Size", 0))})
    return rows


@perform.register
def _images(spec: ImagesSpec, session):
    filters = dict(spec.filters)
    if spec.repository:
        filters.setdefault("reference", []).append(spec.repository)
    listing = call(session.api.images, all=spec.all, filters=filters or None)
    rows = image_rows(listing, spec.no_trunc, spec.digests, time.time())
    if spec.quiet:
        seen = []
        for r in rows:
            if r["ID"] not in seen:
                seen.append(r["ID"])
        return Text("\n".join(seen))
    columns = IMAGE_COLUMNS[:2] + ([("Digest", "DIGEST")] if spec.digests else []) + IMAGE_COLUMNS[2:]
    if spec.format:
        return formatted(rows, spec.format, columns)
    return Table(columns, rows, id_key="ID")


@perform.register
def _transfer(spec: TransferSpec, session):
    write = (lambda s: None) if spec.quiet else session.out
    progress = LayerProgress(write)
    events = (engine.pull_events(session.api, spec.image, spec.platform) if spec.action == "pull"
              else engine.push_events(session.api, spec.image))
    try:
        for event in events:
            progress.feed(event)
    finally:
        progress.close()
    if spec.action == "pull":
        ref = spec.image if ":" in spec.image.rsplit("/", 1)[-1] or "@" in spec.image else spec.image + ":latest"
        return Image(session, ref)
    return Text(progress.status_lines[-1] if progress.status_lines else f"Pushed {spec.image}")


@perform.register
def _rmi(spec: RmiSpec, session):
    lines, failed = [], []
    for name in spec.images:
        try:
            for item in session.api.remove_image(name, force=spec.force, noprune=spec.no_prune) or []:
                for key, val in item.items():
                    lines.append(f"{key}: {val}")
        except Exception as exc:
            error = explain(exc)
            if isinstance(error, EngineUnavailable):
                raise error from None
            failed.append(f"No such image: {name}" if isinstance(error, NotFound) else str(error))
    if failed:
        raise DockerMagicError("; ".join(failed))
    return Text("\n".join(lines))


@perform.register
def _tag(spec: TagSpec, session):
    repo, tag = engine.split_ref(spec.target)
    call(session.api.tag, spec.source, repo, tag)
    return Image(session, spec.target if ":" in spec.target.rsplit("/", 1)[-1] else spec.target + ":latest")


@perform.register
def _save(spec: SaveSpec, session):
    stream = call(_get_images(session), list(spec.images))
    path = os.path.abspath(spec.output)
    done = 0
    reported = 0.0
    tmp = path + ".part"
    try:
        with open(tmp, "wb") as f:
            for chunk in stream:
                f.write(chunk)
                done += len(chunk)
                if time.monotonic() - reported > 1:  # a line a second, not one per chunk
                    session.out(f"\rwritten {human_size(done)}")
                    reported = time.monotonic()
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    session.out(f"\rwritten {human_size(done)} to {spec.output}\n")
    return Text(spec.output)


def _get_images(session):
    """``GET /images/get?names=...``: the SDK only exposes it per image."""
    api = session.api

    def get_images(names):
        response = api._get(api._url("/images/get"), params={"names": names}, stream=True)
        api._raise_for_status(response)
        return response.iter_content(chunk_size=1 << 20)
    return get_images


@perform.register
def _load(spec: LoadSpec, session):
    if not os.path.isfile(spec.input):
        raise DockerMagicError(f"load: no such file on this machine: {spec.input}")
    size = os.path.getsize(spec.input)

    def chunks():
        done, reported = 0, time.monotonic()
        with open(spec.input, "rb") as f:
            while chunk := f.read(1 << 20):
                done += len(chunk)
                if not spec.quiet and (time.monotonic() - reported > 1 or done == size):
                    session.out(f"\rread {human_size(done)} / {human_size(size)}")
                    reported = time.monotonic()
                yield chunk
    loaded = []
    for event in call(session.api.load_image, chunks(), quiet=spec.quiet):
        if "error" in event:
            raise DockerMagicError(f"load: {event['error']}")
        text = event.get("stream", "")
        for prefix in ("Loaded image: ", "Loaded image ID: "):
            if text.startswith(prefix):
                loaded.append(text[len(prefix):].strip())
    if not spec.quiet:
        session.out("\n" + "".join(f"Loaded image: {ref}\n" for ref in loaded))
    images = [Image(session, ref) for ref in loaded]
    return images[0] if len(images) == 1 else images


@perform.register
def _history(spec: HistorySpec, session):
    rows = call(session.api.history, spec.image)
    view = HistoryView(rows, no_trunc=spec.no_trunc)
    if spec.quiet:
        return Text("\n".join(r["IMAGE"] for r in view.table_rows()))
    if spec.format:
        # the same --format path as images and ps: \t and \n escapes, and "table ..." with headers
        fields = [{**r, "ID": r["IMAGE"], "CreatedBy": r["CREATED BY"], "CreatedSince": r["CREATED"],
                   "Size": r["SIZE"], "Comment": r["COMMENT"]} for r in view.table_rows()]
        return formatted(fields, spec.format, [("ID", "IMAGE"), ("CreatedSince", "CREATED"),
                                               ("CreatedBy", "CREATED BY"), ("Size", "SIZE"),
                                               ("Comment", "COMMENT")])
    return view


@perform.register
def _search(spec: SearchSpec, session):
    try:
        results = session.api.search(spec.term, limit=spec.limit)
    except Exception as exc:
        raise engine.registry_error("search for", spec.term, str(explain(exc))) from None
    rows = [{"NAME": r.get("name"), "DESCRIPTION": (r.get("description") or "")[:45],
             "STARS": r.get("star_count"), "OFFICIAL": "[OK]" if r.get("is_official") else ""}
            for r in results]
    return Table([(k, k) for k in ("NAME", "DESCRIPTION", "STARS", "OFFICIAL")], rows, id_key="NAME")


_INSPECTORS = {
    "container": lambda api, name, size: api.inspect_container(name) if not size else
    api._result(api._get(api._url("/containers/{0}/json", name), params={"size": 1}), True),
    "image": lambda api, name, size: api.inspect_image(name),
    "network": lambda api, name, size: api.inspect_network(name),
    "volume": lambda api, name, size: api.inspect_volume(name),
}


def inspect_one(api, name: str, kind: str | None, size: bool = False) -> dict:
    for k in ([kind] if kind else ["container", "image", "network", "volume"]):
        try:
            return _INSPECTORS[k](api, name, size)
        except Exception as exc:
            if not isinstance(explain(exc), NotFound):
                raise explain(exc) from None
    raise NotFound(f"No such object: {name}", 404)


def inspected(docs: list[dict], names, fmt: str | None):
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


@perform.register
def _layers(spec: LayersSpec, session):
    from ..engine.layers import layers_of
    from ..views.layers import LayersView

    return LayersView(layers_of(session.api, spec.image, max_files=spec.max_files))
