"""dockermagic against the docker CLI and the docker SDK, on the same engine.

Prints, for each operation, the median of several runs of each contender and
the ratio dockermagic / CLI and dockermagic / SDK. The CLI is timed as the
process a user starts; dockermagic and the SDK in-process, as a notebook
runs them. Not a test: figures for the README.

    .venv/bin/python bench/bench_engine.py [--runs N] [--containers 500] [--images 200]
"""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import tempfile

import docker
from _timing import median_seconds
from IPython.testing.globalipapp import start_ipython

LABEL = "dockermagic.bench=1"
IMAGE = "debian:bookworm"


def timed(fn, runs: int) -> float:
    """Every contender here gets one warm-up call (a first pull of the image's layers, caches)."""
    return median_seconds(fn, runs, warmup=True)


def cli(*args, env=None):
    return lambda: subprocess.run(["docker", *args], check=True, capture_output=True, env=env)


def report(name: str, ours: float, theirs: dict[str, float]) -> None:
    parts = [f"dockermagic {ours * 1000:8.1f} ms"]
    for who, t in theirs.items():
        parts.append(f"{who} {t * 1000:8.1f} ms (ratio {ours / t:.2f}x)")
    print(f"{name:<34} " + " | ".join(parts))


def cleanup(client):
    for c in client.api.containers(all=True, filters={"label": LABEL}):
        client.api.remove_container(c["Id"], force=True)
    for img in client.api.images(filters={"label": LABEL}):
        try:
            client.api.remove_image(img["Id"], force=True)
        except docker.errors.NotFound:
            pass  # went with an image removed before it


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--containers", type=int, default=500)
    ap.add_argument("--images", type=int, default=200)
    args = ap.parse_args()
    client = docker.from_env()
    ip = start_ipython()
    ip.run_line_magic("load_ext", "dockermagic")
    ip.run_line_magic("config", "DockerMagics.labels = {'dockermagic.bench': '1'}")
    out = io.StringIO()
    magics = ip.magics_manager.registry["DockerMagics"]
    magics.session.out = out.write  # streamed output is not what is measured
    docker_magic = lambda line: ip.run_line_magic("docker", line)  # noqa: E731
    try:
        report("run --rm IMAGE true", timed(lambda: docker_magic(f"run --rm {IMAGE} true"), args.runs), {
            "CLI": timed(cli("run", "--rm", IMAGE, "true"), args.runs),
            "SDK": timed(lambda: client.containers.run(IMAGE, "true", remove=True), args.runs)})

        for i in range(args.containers):
            client.api.create_container(IMAGE, "true", labels={"dockermagic.bench": "1"})
        report(f"ps -a ({args.containers} containers)", timed(lambda: docker_magic("ps -a"), args.runs), {
            "CLI": timed(cli("ps", "-a"), args.runs),
            "SDK": timed(lambda: client.containers.list(all=True), args.runs)})
        cleanup(client)

        base = client.api.create_container(IMAGE, "true", labels={"dockermagic.bench": "1"})
        for i in range(args.images):
            client.api.commit(base["Id"], repository=f"dm-bench-{i}", tag="1", changes=[f"LABEL n={i}"],
                              conf={"Labels": {"dockermagic.bench": "1"}})
        report(f"images ({args.images} images)", timed(lambda: docker_magic("images"), args.runs), {
            "CLI": timed(cli("images"), args.runs),
            "SDK": timed(lambda: client.images.list(), args.runs)})
        cleanup(client)

        # no configured labels for builds: each would be one more LABEL step than the CLI's build
        ip.run_line_magic("config", "DockerMagics.labels = {}")
        with tempfile.TemporaryDirectory() as ctx:
            with open(os.path.join(ctx, "Dockerfile"), "w") as f:
                f.write(f"FROM {IMAGE}\nLABEL dockermagic.bench=1\nRUN echo cached > /cached\nENV A=1\n")
            legacy = {**os.environ, "DOCKER_BUILDKIT": "0"}
            report("build, every step cached", timed(lambda: docker_magic(f"build {ctx} -q -t dm-bench-build"), args.runs), {
                "CLI (classic builder)": timed(cli("build", "-q", "-t", "dm-bench-build", ctx, env=legacy), args.runs)})
            counter = iter(range(10 ** 6))

            def uncached(tool):
                def build():
                    with open(os.path.join(ctx, "Dockerfile"), "w") as f:
                        f.write(f"FROM {IMAGE}\nLABEL dockermagic.bench=1\nRUN echo {next(counter)} > /n\n")
                    if tool == "magic":
                        docker_magic(f"build {ctx} -q -t dm-bench-build")
                    else:
                        cli("build", "-q", "-t", "dm-bench-build", ctx, env=legacy)()
                return build
            report("build, one RUN step uncached", timed(uncached("magic"), args.runs), {
                "CLI (classic builder)": timed(uncached("cli"), args.runs)})
            os.remove(os.path.join(ctx, "Dockerfile"))
            with open(os.path.join(ctx, "Dockerfile"), "w") as f:
                f.write(f"FROM {IMAGE}\nLABEL dockermagic.bench=1\nCOPY files /files\n")
            os.makedirs(os.path.join(ctx, "files"))
            for i in range(10_000):
                with open(os.path.join(ctx, "files", f"f{i}.txt"), "w") as f:
                    f.write(f"{i}\n")
            report("build, context of 10,000 files", timed(lambda: docker_magic(f"build {ctx} -q -t dm-bench-build"), args.runs), {
                "CLI (classic builder)": timed(cli("build", "-q", "-t", "dm-bench-build", ctx, env=legacy), args.runs)})
        subprocess.run(["docker", "rmi", "-f", "dm-bench-build"], capture_output=True)
    finally:
        cleanup(client)


if __name__ == "__main__":
    main()
