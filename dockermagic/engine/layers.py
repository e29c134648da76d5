"""What each layer of an image holds, the way dive shows it.

The image is streamed from the engine (``GET /images/{id}/get``, the
``docker save`` format), never held in memory: each ``layer.tar`` is hashed
while its entries are listed, which identifies it by its diff id. The image
config's history says which instruction made each layer. Other local images
that contain the same diff id share that layer.

File lists are kept by diff id (``layer_cache``), and other images' diff ids
by image id: the stream is read only until the config and the layers not yet
known have come, and not at all when everything is known, so a second view of
any image sharing those layers costs an inspect and a list call, in a new
kernel too.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, cast

from .errors import call
from .layer_cache import LayerCache, shared

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"
# a file list's kinds, one letter each: file, dir, whiteout (a deleted path), opaque (a dir emptied)
FILE, DIR, DELETE, EMPTIED = "f", "d", "w", "o"
_NOTHING: dict[str, Any] = {"paths": [], "sizes": [], "kinds": "", "size": 0}


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
    """(path, size, kind) for each entry of one layer tar; kind is FILE (links too), DIR, DELETE
    or EMPTIED."""
    with tarfile.open(fileobj=cast(IO[bytes], fileobj), mode="r|") as tar:
        for m in tar:
            name = m.name[2:] if m.name.startswith("./") else m.name
            base = name.rsplit("/", 1)[-1]
            if base == OPAQUE:
                yield name.rsplit("/", 1)[0] if "/" in name else "", 0, EMPTIED
            elif base.startswith(WHITEOUT):
                parent = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
                yield parent + base[len(WHITEOUT) :], 0, DELETE
            else:
                yield name.rstrip("/"), m.size if m.isfile() else 0, DIR if m.isdir() else FILE


def _file_list(entries: Iterable[tuple[str, int, str]], size: int) -> dict[str, Any]:
    """A layer's entries as the cache keeps them: in columns."""
    paths, sizes, kinds = [], [], []
    for path, fsize, kind in entries:
        paths.append(path)
        sizes.append(fsize)
        kinds.append(kind)
    return {"paths": paths, "sizes": sizes, "kinds": "".join(kinds), "size": size}


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
    listed = _soon(call, api.images)  # for "shared with": asked at once, answered while we read
    doc = call(api.inspect_image, image)
    diff_ids = list((doc.get("RootFS") or {}).get("Layers") or [])
    cache.keep_image_layers(doc["Id"], diff_ids)
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

    owner: dict[str, tuple[int, int]] = {}  # path -> (layer index, size) of its visible version
    waste: dict[str, list[int]] = {}  # path -> [copies hidden or deleted, bytes they hold]
    layers, cumulative, wasted, all_bytes = [], 0, 0, 0
    for index, diff_id in enumerate(diff_ids):
        data = per_layer.get(diff_id, _NOTHING)
        added: list[tuple[str, int]] = []
        changed: list[tuple[str, int]] = []
        deleted: list[str] = []
        size = 0
        lowest = None if owner else _all_added(data, index)
        if lowest is not None:
            added, owner = lowest
            size = sum(fsize for _, fsize in added)
            all_bytes += size
        rows = zip(data["paths"], data["sizes"], data["kinds"], strict=True) if lowest is None else ()
        for path, fsize, kind in rows:
            if kind in (DELETE, EMPTIED):
                inside = path + "/"
                gone = [p for p in owner if p.startswith(inside)]
                if kind == DELETE and path in owner:
                    gone.insert(0, path)
                for p in gone:
                    lost = owner.pop(p)[1]
                    wasted += lost
                    entry = waste.setdefault(p, [0, 0])
                    entry[0] += 1
                    entry[1] += lost
                if kind == DELETE:
                    deleted.append(path)
                continue
            if kind == DIR:
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
        layers.append(_layer(index, diff_id, made_by, size, cumulative, added, changed, deleted, max_files))
    # layer i is shared with an image whose first i+1 diff ids are ours; the bottom layer's size
    # rules out images too small to hold it
    sharing = _sharing(
        api, listed(), doc["Id"], diff_ids, layers[0]["size"] if layers else 0, max_candidates, cache
    )
    for layer in layers:
        layer["shared_with"] = sharing.get(layer["digest"], [])
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


def _all_added(
    data: dict[str, Any], index: int
) -> tuple[list[tuple[str, int]], dict[str, tuple[int, int]]] | None:
    """The lowest layer with files, most often the largest, in one pass: with nothing below it,
    its files are all added, unless it deletes or holds a path twice (None: the general walk)."""
    if DELETE in data["kinds"] or EMPTIED in data["kinds"]:
        return None
    added = [
        (path, fsize)
        for path, fsize, kind in zip(data["paths"], data["sizes"], data["kinds"], strict=True)
        if kind == FILE
    ]
    owner = {path: (index, fsize) for path, fsize in added}
    return (added, owner) if len(owner) == len(added) else None


def _layer(
    index: int,
    diff_id: str,
    made_by: list[str],
    size: int,
    cumulative: int,
    added: list[tuple[str, int]],
    changed: list[tuple[str, int]],
    deleted: list[str],
    max_files: int,
) -> dict[str, Any]:
    return {
        "index": index,
        "digest": diff_id,
        "instruction": made_by[index] if index < len(made_by) else "",
        "size": size,
        "cumulative": cumulative,
        "shared_with": [],
        "counts": {"added": len(added), "changed": len(changed), "deleted": len(deleted)},
        "added": added[:max_files],
        "changed": changed[:max_files],
        "deleted": deleted[:max_files],
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
                    files = _file_list(_layer_entries(hashing), member.size)
                    diff_id = hashing.drain()
                    per_layer[diff_id] = files
                    cache.put("layer", diff_id, files)
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


def _soon(fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """``fn(*args)`` started in a thread now; the function returned waits for its result (or error)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # raised again in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def result() -> Any:
        thread.join()
        if "error" in box:
            raise box["error"]
        return box["value"]

    return result


def _sharing(
    api: Any,
    images: list[dict[str, Any]],
    image_id: str,
    diff_ids: list[str],
    first_size: int,
    limit: int,
    cache: LayerCache,
) -> dict[str, list[str]]:
    """diff id -> names of the other local images that share that layer on disk.

    The engine stores a layer once per chain (the layer and all below it), so
    layer i is shared with an image whose first i+1 diff ids equal ours. One
    list call (``images``), then inspects only of candidates whose diff ids are
    not kept yet: an image smaller than half our bottom layer's files cannot
    contain it.
    """
    out: dict[str, list[str]] = {}
    if not diff_ids:
        return out
    candidates = [o for o in images if o["Id"] != image_id and (o.get("Size") or 0) >= first_size // 2]
    # named images first (the base a user pulled), so that untagged ones (old builds) do not take
    # the places of the limit; otherwise in the engine's order
    candidates.sort(key=lambda o: not _named(o))
    for other in candidates[:limit]:
        layers = cache.image_layers(other["Id"])
        if layers is None:
            try:
                layers = (api.inspect_image(other["Id"]).get("RootFS") or {}).get("Layers") or []
            except Exception:
                continue  # removed meanwhile
            cache.keep_image_layers(other["Id"], layers)
        name = (other.get("RepoTags") or [other["Id"].replace("sha256:", "")[:12]])[0]
        for i, diff_id in enumerate(diff_ids):
            if i >= len(layers) or layers[i] != diff_id:
                break
            out.setdefault(diff_id, []).append(name)
    return out


def _named(image: dict[str, Any]) -> bool:
    return any(tag != "<none>:<none>" for tag in image.get("RepoTags") or ())


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
