"""``%docker logs`` and ``logs -f`` against ``docker logs``, on the same engine.

A container prints N lines (``seq``) and exits; then the two contenders read
all of its logs in turns (so that a colleague's load falls on both alike),
several times each. The CLI writes to /dev/null; dockermagic runs
in-process as a notebook's kernel would, its streamed (``-f``) lines written
to /dev/null too. Prints medians and the ratio dockermagic / CLI, and the
peak memory Python allocated while reading (tracemalloc, a separate run).
Not a test: figures for the README.

    .venv/bin/python bench/bench_logs.py [--lines 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tracemalloc

import docker
from _timing import medians_in_turns
from IPython.testing.globalipapp import start_ipython

LABEL = {"dockermagic.bench": "1"}
IMAGE = "debian:bookworm"


def peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    client = docker.from_env()
    ip = start_ipython()
    ip.run_line_magic("load_ext", "dockermagic")
    devnull = open(os.devnull, "w")  # noqa: SIM115 (closed at the end)
    magics = ip.magics_manager.registry["DockerMagics"]
    magics.session.out = magics.session.err = devnull.write
    box = client.api.create_container(IMAGE, ["seq", str(args.lines)], labels=LABEL)
    try:
        client.api.start(box["Id"])
        client.api.wait(box["Id"])
        name = box["Id"][:12]
        for flags in ("", "-f "):
            ours, cli = medians_in_turns(
                [
                    lambda f=flags: ip.run_line_magic("docker", f"logs {f}{name}"),
                    lambda f=flags: subprocess.run(
                        ["docker", "logs", *f.split(), name], check=True, stdout=subprocess.DEVNULL
                    ),
                ],
                args.runs,
            )
            peak = peak_bytes(lambda f=flags: ip.run_line_magic("docker", f"logs {f}{name}"))
            print(
                f"logs {flags:<3}({args.lines:,} lines)  dockermagic {ours:6.2f} s | CLI {cli:6.2f} s "
                f"(ratio {ours / cli:.2f}x) | peak Python memory {peak / 1e6:.1f} MB"
            )
    finally:
        client.api.remove_container(box["Id"], force=True)
        devnull.close()


if __name__ == "__main__":
    main()
