"""Rebuild with a context of 10,000 files after changing one: %%dockerfile on BuildKit against the
docker.io CLI's classic builder and the same CLI with DOCKER_BUILDKIT=1.

    .venv/bin/python bench/bench_buildkit.py [--files 10000] [--runs 3]

Each contender builds once to warm up (its cache, and BuildKit's copy of the context), then, per
run, one file changes and the image is rebuilt; the median of the runs is printed. Everything it
makes goes at the end: its images, its context directory and the BuildKit cache records that
appeared while it ran. Heavy (several minutes on a shared machine): not part of CI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

import docker

from dockermagic.engine.buildkit.build import cache_records, prune_cache

CLI = "/usr/bin/docker"  # docker.io's 20.10 CLI, which still has the classic builder
DOCKERFILE = "FROM debian:bookworm\nCOPY . /ctx\n"


def _cli(context: str, tag: str, buildkit: bool) -> None:
    env = {**os.environ, "DOCKER_BUILDKIT": "1" if buildkit else "0"}
    subprocess.run([CLI, "build", "-q", "-t", tag, context], check=True, env=env, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from IPython.testing.globalipapp import start_ipython

    ip = start_ipython()
    ip.run_line_magic("load_ext", "dockermagic")
    api = docker.APIClient(version="auto")
    cache_before = {r["ID"] for r in cache_records(api)}
    context = tempfile.mkdtemp(prefix="dm-bench-buildkit-")
    tags = {"dockermagic BuildKit": "dm-bench-bk:ours", "CLI classic": "dm-bench-bk:classic"}
    tags["CLI DOCKER_BUILDKIT=1"] = "dm-bench-bk:cli-buildkit"
    try:
        for i in range(args.files):
            sub = os.path.join(context, f"d{i // 500:02}")
            os.makedirs(sub, exist_ok=True)
            with open(os.path.join(sub, f"f{i:05}.txt"), "w") as f:
                f.write(f"file {i}\n" * 20)
        with open(os.path.join(context, "Dockerfile"), "w") as f:
            f.write(DOCKERFILE)

        line = f"-q --builder buildkit --context {context} -t {tags['dockermagic BuildKit']}"

        def ours() -> None:
            ip.run_cell_magic("dockerfile", line, DOCKERFILE)

        builds = {
            "dockermagic BuildKit": ours,
            "CLI classic": lambda: _cli(context, tags["CLI classic"], False),
            "CLI DOCKER_BUILDKIT=1": lambda: _cli(context, tags["CLI DOCKER_BUILDKIT=1"], True),
        }
        results: dict[str, list[float]] = {name: [] for name in builds}
        for run in builds.values():
            run()  # warm-up
        changed = os.path.join(context, "d00", "f00000.txt")
        for n in range(args.runs):
            for name, run in builds.items():
                with open(changed, "w") as f:
                    f.write(f"changed {n} {name}\n")
                start = time.perf_counter()
                run()
                results[name].append(time.perf_counter() - start)
        base = statistics.median(results["CLI DOCKER_BUILDKIT=1"])
        print(f"rebuild after changing 1 of {args.files} files, median of {args.runs}:")
        for name, times in results.items():
            median = statistics.median(times)
            print(f"  {name:24} {median:6.2f} s   {median / base:5.2f}x the BuildKit CLI")
    finally:
        shutil.rmtree(context, ignore_errors=True)
        for tag in tags.values():
            try:
                api.remove_image(tag, force=True)
            except docker.errors.APIError:
                pass
        for _ in range(10):
            new = [r["ID"] for r in cache_records(api) if r["ID"] not in cache_before and not r["InUse"]]
            if not new:
                break
            prune_cache(api, new)


if __name__ == "__main__":
    main()
