"""images, pull, push, rmi, tag, save, load, history, search, layers, image prune."""

from __future__ import annotations

import os
import time

from ..commands.images import (
    HistorySpec,
    ImagePruneSpec,
    ImagesSpec,
    LayersSpec,
    LoadSpec,
    PullSpec,
    PushSpec,
    RmiSpec,
    SaveSpec,
    SearchSpec,
    TagSpec,
)
from ..engine import images as engine
from ..engine.layers import layers_of
from ..errors import DockerMagicError, EngineUnavailable
from ..objects.image import Image
from ..parsing import imageref
from ..views.base import Text, human_size
from ..views.history import HistoryView
from ..views.layers import LayersView
from ..views.progress import LayerProgress
from ..views.table import Table
from ..views.timefmt import ago
from . import perform
from .listing import formatted, units_size
from .pruning import pruned
from .to_file import write_stream

IMAGE_COLUMNS = [
    ("Repository", "REPOSITORY"),
    ("Tag", "TAG"),
    ("ID", "IMAGE ID"),
    ("CreatedSince", "CREATED"),
    ("Size", "SIZE"),
]


def image_rows(listing: list[dict], no_trunc: bool, digests: bool, now: float) -> list[dict]:
    rows = []
    for img in listing:
        ident = img["Id"] if no_trunc else img["Id"].replace("sha256:", "")[:12]
        tags = [imageref.familiar(t) for t in img.get("RepoTags") or [] if t != "<none>:<none>"]
        refs = [imageref.split(t) for t in tags] or [("<none>", "<none>")]
        digest = next(iter(img.get("RepoDigests") or []), "@<none>").split("@", 1)[-1]
        for repo, tag in refs:
            rows.append(
                {
                    "Repository": repo,
                    "Tag": tag,
                    "ID": ident,
                    "Digest": digest,
                    "CreatedSince": ago(img.get("Created", 0), now),
                    "CreatedAt": time.strftime(
                        "%Y-%m-%d %H:%M:%S %z %Z", time.localtime(img.get("Created", 0))
                    ),
                    "Size": human_size(img.get("Size", 0)),
                    **_usage(img),
                }
            )
    return rows


def _usage(img: dict) -> dict:
    """The CLI's usage fields of an image: "N/A" where the engine did not count (-1)."""
    shared = img.get("SharedSize", -1)
    return {
        "Containers": "N/A" if img.get("Containers", -1) == -1 else str(img["Containers"]),
        "SharedSize": "N/A" if shared == -1 else human_size(shared),
        "UniqueSize": "N/A" if shared == -1 else human_size(img.get("Size", 0) - shared),
        "VirtualSize": units_size(img.get("VirtualSize", img.get("Size", 0))),
    }


@perform.register
def _images(spec: ImagesSpec, session):
    filters = {key: list(values) for key, values in spec.filters}
    if spec.repository:
        filters.setdefault("reference", []).append(spec.repository)
    rows = image_rows(
        engine.listing(session.api, all=spec.all, filters=filters), spec.no_trunc, spec.digests, time.time()
    )
    if spec.quiet:
        return Text("\n".join(dict.fromkeys(r["ID"] for r in rows)))  # each image once, in order
    columns = IMAGE_COLUMNS[:2] + ([("Digest", "DIGEST")] if spec.digests else []) + IMAGE_COLUMNS[2:]
    if spec.format:
        return formatted(rows, spec.format, columns, "image")
    return Table(columns, rows, id_key="ID")


def _progress(events, quiet: bool, session) -> LayerProgress:
    """Feed a pull's or push's events to the per-layer progress lines."""
    progress = LayerProgress((lambda s: None) if quiet else session.out)
    try:
        for event in events:
            progress.feed(event)
    finally:
        progress.close()
    return progress


@perform.register
def _pull(spec: PullSpec, session):
    events = engine.pull_events(session.api, spec.image, spec.platform, all_tags=spec.all_tags)
    _progress(events, spec.quiet, session)
    if not spec.all_tags:
        return Image(session, imageref.with_tag(spec.image))
    listing = engine.listing(session.api, filters={"reference": [spec.image]})
    # one handle per image that holds a tag of the repository (several tags can name one image)
    return [
        Image(session, img["Id"])
        for img in listing
        if any(imageref.split(t)[0] == spec.image for t in img.get("RepoTags") or [])
    ]


@perform.register
def _push(spec: PushSpec, session):
    progress = _progress(engine.push_events(session.api, spec.image, spec.all_tags), spec.quiet, session)
    return Text(progress.status_lines[-1] if progress.status_lines else f"Pushed {spec.image}")


@perform.register
def _rmi(spec: RmiSpec, session):
    lines: list[str] = []
    failed: list[str] = []
    for name in spec.images:  # every name is tried, failures reported together, as the CLI does
        try:
            for item in engine.remove(session.api, name, force=spec.force, no_prune=spec.no_prune):
                lines.extend(f"{key}: {val}" for key, val in item.items())
        except EngineUnavailable:
            raise
        except DockerMagicError as error:
            failed.append(str(error))
    if failed:
        raise DockerMagicError("; ".join(failed))
    return Text("\n".join(lines))


@perform.register
def _tag(spec: TagSpec, session):
    engine.tag(session.api, spec.source, spec.target)
    return Image(session, imageref.with_tag(spec.target))


@perform.register
def _save(spec: SaveSpec, session):
    return write_stream(session, engine.save(session.api, list(spec.images)), spec.output)


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
    for event in engine.load(session.api, chunks(), quiet=spec.quiet):
        text = event.get("stream", "")
        for prefix in ("Loaded image: ", "Loaded image ID: "):
            if text.startswith(prefix):
                loaded.append(text[len(prefix) :].strip())
    if not spec.quiet:
        session.out("\n" + "".join(f"Loaded image: {ref}\n" for ref in loaded))
    images = [Image(session, ref) for ref in loaded]
    return images[0] if len(images) == 1 else images


@perform.register
def _history(spec: HistorySpec, session):
    rows = engine.history(session.api, spec.image)
    view = HistoryView(rows, no_trunc=spec.no_trunc)
    if spec.quiet:
        return Text("\n".join(r["IMAGE"] for r in view.table_rows()))
    if spec.format:
        # the same --format path as images and ps: \t and \n escapes, and "table ..." with headers
        fields = [
            {
                **r,
                "ID": r["IMAGE"],
                "CreatedBy": r["CREATED BY"],
                "CreatedSince": r["CREATED"],
                "Size": r["SIZE"],
                "Comment": r["COMMENT"],
                "CreatedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(raw.get("Created", 0))),
            }
            for r, raw in zip(view.table_rows(), rows, strict=True)
        ]
        return formatted(
            fields,
            spec.format,
            [
                ("ID", "IMAGE"),
                ("CreatedSince", "CREATED"),
                ("CreatedBy", "CREATED BY"),
                ("Size", "SIZE"),
                ("Comment", "COMMENT"),
            ],
            "history",
        )
    return view


@perform.register
def _search(spec: SearchSpec, session):
    filters = {key: list(values) for key, values in spec.filters}
    rows = []
    for r in engine.search(session.api, spec.term, limit=spec.limit, filters=filters):
        row = {
            "Name": r.get("name"),
            "Description": _description(r.get("description") or "", spec.no_trunc),
            "StarCount": r.get("star_count"),
            "IsOfficial": "[OK]" if r.get("is_official") else "",
            "IsAutomated": "[OK]" if r.get("is_automated") else "",
        }
        # the table's columns, and the CLI's template fields (.Name, .StarCount...)
        rows.append({"NAME": row["Name"], "DESCRIPTION": row["Description"], "STARS": row["StarCount"],
                     "OFFICIAL": row["IsOfficial"], **row})  # fmt: skip
    if spec.format:
        columns = [("Name", "NAME"), ("Description", "DESCRIPTION"), ("StarCount", "STARS")]
        return formatted(rows, spec.format, [*columns, ("IsOfficial", "OFFICIAL")])
    return Table([(k, k) for k in ("NAME", "DESCRIPTION", "STARS", "OFFICIAL")], rows, id_key="NAME")


def _description(text: str, no_trunc: bool) -> str:
    """On one line, and cut to 45 characters with an ellipsis unless --no-trunc, as the CLI prints it."""
    text = text.replace("\r", " ").replace("\n", " ")
    return text if no_trunc or len(text) <= 45 else text[:44] + "\u2026"


@perform.register
def _layers(spec: LayersSpec, session):
    return LayersView(layers_of(session.api, spec.image, max_files=spec.max_files))


@perform.register
def _image_prune(spec: ImagePruneSpec, session):
    filters = {key: list(values) for key, values in spec.filters}
    filters["dangling"] = ["false" if spec.all else "true"]  # what the CLI sends, with -a and without
    report = engine.prune(session.api, filters)
    deleted = [
        f"{key.lower()}: {val}" for item in report.get("ImagesDeleted") or [] for key, val in item.items()
    ]
    return pruned([("Deleted Images", deleted)], report.get("SpaceReclaimed") or 0)
