"""Layer file lists: the first view of an image, then a second one (same kernel, and a new kernel).

The first view streams the saved image until its config and every layer not
yet known have come; a second view of any image sharing those layers reads
their lists from the cache (memory, or disk for a new kernel). Prints medians
of several runs, with ``docker history`` through the CLI beside them for
scale. Not a test: figures for the README.

    .venv/bin/python bench/bench_layers.py [IMAGE] [--runs 5]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile

import docker
from _timing import median_seconds

from dockermagic.engine.layer_cache import LayerCache
from dockermagic.engine.layers import layers_of
from dockermagic.views.layers import LayersView


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("image", nargs="?", default="debian:bookworm")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    api = docker.from_env().api
    with tempfile.TemporaryDirectory() as cache_dir:

        def view(cache: LayerCache) -> None:
            LayersView(layers_of(api, args.image, cache=cache)).html()

        first = median_seconds(lambda: view(LayerCache(None)), args.runs)
        warm = LayerCache(cache_dir)
        view(warm)
        memory = median_seconds(lambda: view(warm), args.runs)
        disk = median_seconds(lambda: view(LayerCache(cache_dir)), args.runs)
    history = median_seconds(
        lambda: subprocess.run(["docker", "history", args.image], check=True, capture_output=True), args.runs
    )
    print(
        f"layers {args.image}: first view {first * 1000:.0f} ms | second view {memory * 1000:.0f} ms (same kernel), "
        f"{disk * 1000:.0f} ms (new kernel, from disk) | docker history (CLI) {history * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
