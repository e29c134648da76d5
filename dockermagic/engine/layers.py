"""What each layer of an image holds, the way dive shows it.

The image is streamed from the engine (``GET /images/{id}/get``, the
``docker save`` format), never held in memory: each ``layer.tar`` is hashed
while its entries are listed, which identifies it by its diff id. The image
config's history says which instruction made each layer. Other local images
that contain the same diff id share that layer.

File lists are kept by diff id (``layer_cache``): the stream is read only
until the config and the layers not yet known have come, and not at all when
everything is known, so a second view of any image sharing those layers
costs an inspect and a list call.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections.abc import Iterable, Iterator
from typing import IO, Any, cast

from .errors import call
from .layer_cache import LayerCache, shared

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data: bytes = self.raw.read(n)
        self.sha.update(data)
        return data

    def drain(self) -> str:
        while self.read(1 << 20):
            pass
        return "sha256:" + self.sha.hexdigest()


class _Chunks:
    """A file object over an iterator of byte chunks (the engine's stream)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks = iter(chunks)
        self.buffer = b""

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self.buffer) < n:
            try:
                self.buffer += next(self.chunks)
            except StopIteration:
                break
        if n < 0:
            n = len(self.buffer)
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out


def _layer_entries(fileobj: Any) -> Iterator[tuple[str, int, str]]:
    """(path, size, kind) for each entry of one layer tar; kind is file/dir/link/delete."""
    with tarfile.open(fileobj=cast(IO[bytes], fileobj), mode="r|") as tar:
        for m in tar:
            name = m.name[2:] if m.name.startswith("./") else m.name
            base = name.rsplit("/", 1)[-1]
            if base == OPAQUE:
                yield name.rsplit("/", 1)[0] if "/" in name else "", 0, "opaque"
            elif base.startswith(WHITEOUT):
                parent = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
                yield parent + base[len(WHITEOUT) :], 0, "delete"
            else:
                yield name.rstrip("/"), m.size if m.isfile() else 0, "dir" if m.isdir() else "file"


def layers_of(
    api: Any, image: str, max_files: int = 300, max_candidates: int = 50, cache: LayerCache | None = None
) -> dict[str, Any]:
    """Plain data for views.layers.LayersView.

    ``api`` is the SDK's low-level APIClient (a DockerClient works too).
    Per layer at most ``max_files`` paths of each kind are listed; the counts,
    sizes and wasted space always cover every file. ``cache``: where file
    lists are kept (the kernel's, on disk, by default).
    """
    api = getattr(api, "api", api)
    cache = shared if cache is None else cache
    doc = call(api.inspect_image, image)
    diff_ids = list((doc.get("RootFS") or {}).get("Layers") or [])
    cache.diff_ids[doc["Id"]] = diff_ids
    per_layer: dict[str, dict[str, Any]] = {}
    for diff_id in diff_ids:
        known = cache.get("layer", diff_id)
        if known is not None:
            per_layer[diff_id] = known
    made_by = cache.get("history", doc["Id"])
    if made_by is None or any(d not in per_layer for d in diff_ids):
        history = _read_saved(api, doc["Id"], per_layer, set(diff_ids), cache)
        made_by = [h.get("created_by", "") for h in history if not h.get("empty_layer")]
        cache.put("history", doc["Id"], made_by)
    made_by = list(made_by)
    while len(made_by) < len(diff_ids):
        made_by.insert(0, "")
    made_by = made_by[-len(diff_ids) :] if diff_ids else []

    first = (
        sum(
            size for _, size, kind in per_layer.get(diff_ids[0], {"entries": []})["entries"] if kind == "file"
        )
        if diff_ids
        else 0
    )
    sharing = _sharing(api, doc["Id"], diff_ids, first, max_candidates, cache)
    owner: dict[str, tuple[int, int]] = {}  # path -> (layer index, size) of its visible version
    waste: dict[str, list[int]] = {}  # path -> [copies hidden or deleted, bytes they hold]
    layers, cumulative, wasted, all_bytes = [], 0, 0, 0
    for index, diff_id in enumerate(diff_ids):
        data = per_layer.get(diff_id, {"entries": [], "size": 0})
        added, changed, deleted = [], [], []
        size = 0
        for path, fsize, kind in data["entries"]:
            if kind in ("delete", "opaque"):
                gone = (
                    [p for p in owner if p == path or p.startswith(path + "/")]
                    if kind == "delete"
                    else [p for p in owner if p.startswith(path + "/")]
                )
                for p in gone:
                    lost = owner.pop(p)[1]
                    wasted += lost
                    entry = waste.setdefault(p, [0, 0])
                    entry[0] += 1
                    entry[1] += lost
                if kind == "delete":
                    deleted.append(path)
                continue
            if kind == "dir":
                continue
            size += fsize
            all_bytes += fsize
            if path in owner:
                wasted += owner[path][1]
                entry = waste.setdefault(path, [0, 0])
                entry[0] += 1
                entry[1] += owner[path][1]
                changed.append((path, fsize))
            else:
                added.append((path, fsize))
            owner[path] = (index, fsize)
        cumulative += size
        layers.append(
            {
                "index": index,
                "digest": diff_id,
                "instruction": made_by[index] if index < len(made_by) else "",
                "size": size,
                "cumulative": cumulative,
                "shared_with": sharing.get(diff_id, []),
                "counts": {"added": len(added), "changed": len(changed), "deleted": len(deleted)},
                "added": added[:max_files],
                "changed": changed[:max_files],
                "deleted": deleted[:max_files],
            }
        )
    # efficiency: the share of the bytes stored in the layers that the final filesystem still shows
    efficiency = 1.0 - (wasted / all_bytes) if all_bytes else 1.0
    worst = sorted(waste.items(), key=lambda kv: -kv[1][1])[:20]
    return {
        "image": doc["Id"],
        "tags": doc.get("RepoTags") or [],
        "layers": layers,
        "total": cumulative,
        "wasted": wasted,
        "efficiency": efficiency,
        "inefficiencies": [{"path": p, "copies": c, "wasted": b} for p, (c, b) in worst if b or c],
    }


def _read_saved(
    api: Any, image_id: str, per_layer: dict[str, dict[str, Any]], wanted: set[str], cache: LayerCache
) -> list[dict[str, Any]]:
    """Read the saved image until its config and every layer of ``wanted`` not in ``per_layer`` came.

    Fills ``per_layer`` (and the cache) with the layers read; returns the config's history.
    """
    config = None
    # the request made here (not api.get_image) so that stopping early closes its connection
    response = call(api._get, api._url("/images/{0}/get", image_id), stream=True)
    try:
        call(api._raise_for_status, response)
        with tarfile.open(
            fileobj=cast(IO[bytes], _Chunks(response.iter_content(1 << 20))), mode="r|"
        ) as outer:
            for member in outer:
                if member.name.endswith("/layer.tar") and member.isfile():
                    hashing = _Hashing(outer.extractfile(member))
                    entries = list(_layer_entries(hashing))
                    diff_id = hashing.drain()
                    per_layer[diff_id] = {"entries": entries, "size": member.size}
                    cache.put("layer", diff_id, per_layer[diff_id])
                elif (
                    member.name.endswith(".json")
                    and member.name != "manifest.json"
                    and "/" not in member.name
                ):
                    config = json.load(cast(IO[bytes], outer.extractfile(member)))
                if config is not None and wanted <= per_layer.keys():
                    break  # the rest of the stream holds nothing this view needs
    finally:
        response.close()
    return list((config or {}).get("history", []))


def _sharing(
    api: Any, image_id: str, diff_ids: list[str], first_size: int, limit: int, cache: LayerCache
) -> dict[str, list[str]]:
    """diff id -> names of the other local images that share that layer on disk.

    The engine stores a layer once per chain (the layer and all below it), so
    layer i is shared with an image whose first i+1 diff ids equal ours. One
    list call, then inspects only of candidates: an image smaller than half
    our bottom layer's files cannot contain it.
    """
    out: dict[str, list[str]] = {}
    if not diff_ids:
        return out
    candidates = [
        o for o in call(api.images) if o["Id"] != image_id and (o.get("Size") or 0) >= first_size // 2
    ]
    for other in candidates[:limit]:
        layers = cache.diff_ids.get(other["Id"])
        if layers is None:
            try:
                layers = (api.inspect_image(other["Id"]).get("RootFS") or {}).get("Layers") or []
            except Exception:
                continue  # removed meanwhile
            cache.diff_ids[other["Id"]] = layers
        name = (other.get("RepoTags") or [other["Id"].replace("sha256:", "")[:12]])[0]
        for i, diff_id in enumerate(diff_ids):
            if i >= len(layers) or layers[i] != diff_id:
                break
            out.setdefault(diff_id, []).append(name)
    return out


def layers_made(api: Any, step_images: list[str | None]) -> list[str | None]:
    """The diff id of the layer each build step added, in step order (None: it added none).

    ``step_images``: the image each step of one build left (``---> ID``). A
    step made a layer when its image has more layers than the step before it;
    the first step (FROM) made none in this build.
    """
    made: list[str | None] = []
    before: int | None = None
    for ref in step_images:
        layers = list((call(api.inspect_image, ref).get("RootFS") or {}).get("Layers") or []) if ref else []
        made.append(layers[-1] if ref and before is not None and len(layers) > before else None)
        before = len(layers) if ref else None
    return made
