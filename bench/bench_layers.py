"""Layer file lists: the first view of an image, then a second one (same kernel, and a new kernel).

The first view streams the saved image until its config and every layer not
yet known have come; a second view of any image sharing those layers reads
their lists from the cache (memory, or disk for a new kernel). A new kernel is
a new interpreter: ``%load_ext dockermagic`` and one command (``%docker
version``: the SDK imported, the engine connected), then ``%docker layers``
timed; and, apart, ``%docker layers`` as a new kernel's very first command.
Prints medians of several runs, with ``docker history`` through the CLI beside
them for scale. Not a test: figures for the README.

    .venv/bin/python bench/bench_layers.py [IMAGE] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import docker
from _timing import median_seconds

from dockermagic.engine.layer_cache import LayerCache
from dockermagic.engine.layers import layers_of
from dockermagic.views.layers import LayersView

# a new kernel: IPython with the extension loaded; ``first`` runs before the timed view
NEW_KERNEL = """
import sys, time
from IPython.testing.globalipapp import start_ipython
ip = start_ipython()
ip.run_line_magic("load_ext", "dockermagic")
if sys.argv[2]:
    ip.run_line_magic("docker", sys.argv[2])
start = time.perf_counter()
ip.run_line_magic("docker", "layers " + sys.argv[1]).html()
print(time.perf_counter() - start)
"""


def in_new_kernel(image: str, cache_dir: str, first: str, runs: int) -> float:
    """Median seconds of the layers view in ``runs`` new interpreters (``first``: a command before it)."""
    env = {**os.environ, "DOCKERMAGIC_CACHE": cache_dir}
    argv = [sys.executable, "-c", NEW_KERNEL, image, first]
    return statistics.median(
        float(subprocess.run(argv, env=env, check=True, capture_output=True, text=True).stdout.split()[-1])
        for _ in range(runs)
    )


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
        new_kernel = in_new_kernel(args.image, cache_dir, "version", args.runs)
        first_command = in_new_kernel(args.image, cache_dir, "", args.runs)
    history = median_seconds(
        lambda: subprocess.run(["docker", "history", args.image], check=True, capture_output=True), args.runs
    )
    print(
        f"layers {args.image}: first view {first * 1000:.0f} ms | second view {memory * 1000:.0f} ms "
        f"(same kernel), {new_kernel * 1000:.0f} ms (new kernel, after its first command), "
        f"{first_command * 1000:.0f} ms (as a new kernel's first command) | "
        f"docker history (CLI) {history * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
