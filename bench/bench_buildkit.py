"""Rebuild with a context of 10,000 files after changing one: %%dockerfile on BuildKit against the
docker.io CLI with DOCKER_BUILDKIT=1 and the same CLI's classic builder.

    .venv/bin/python bench/bench_buildkit.py [--files 10000] [--runs 7] [--classic-runs 3]

Each contender builds once to warm up (its cache, and BuildKit's copy of the context); then, in
turns (so that other load on the machine falls on all three alike), one file changes and each
rebuilds. ``%%dockerfile`` runs in-process as in a kernel, its progress written to a list (the
view's work is timed, not a terminal's); the CLIs print plain progress to a pipe.

Each BuildKit rebuild is checked to have sent only the changed file: ours by what its file sync
sent (one file, its size in bytes), the CLI's by the context transfer its progress reports
(``transferring context: 340.50kB``: the 10,000 file stats and the changed file), whose part
beyond the stats must be under a tenth of the files' bytes. A rebuild that sent more (the engine's
copy of the context was pruned meanwhile: the engine is shared) is left out of the median and
counted; if that is most of a client's rebuilds, its incremental sync is broken and the bench
stops. The classic builder sends the whole context every time. Prints the load average, the
medians and the ratios.

Everything it makes goes at the end: its images, its context directory and its BuildKit cache
records (the context's copies and the COPY's results, told apart from others' by their size and
the time they were made). Heavy (minutes on a shared machine): not part of CI.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import datetime

import docker
from _timing import samples_in_turns
from IPython.testing.globalipapp import start_ipython

from dockermagic.engine.buildkit import build as buildkit
from dockermagic.errors import EngineError

CLI = "/usr/bin/docker"  # docker.io's 20.10 CLI, which still has the classic builder
DOCKERFILE = "FROM debian:bookworm\nCOPY . /ctx\n"
TAGS = {"ours": "dm-bench-bk:ours", "buildkit": "dm-bench-bk:cli-buildkit", "classic": "dm-bench-bk:classic"}
_UNITS = {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}
_TRANSFER = re.compile(r"transferring context: ([\d.]+)([kMG]?B)")


def make_context(directory: str, files: int) -> int:
    """``files`` small files, 500 to a folder, and the Dockerfile; returns the files' bytes."""
    total = 0
    for i in range(files):
        sub = os.path.join(directory, f"d{i // 500:02}")
        os.makedirs(sub, exist_ok=True)
        data = f"file {i}\n" * 20
        with open(os.path.join(sub, f"f{i:05}.txt"), "w") as f:
            f.write(data)
        total += len(data)
    with open(os.path.join(directory, "Dockerfile"), "w") as f:
        f.write(DOCKERFILE)
    return total


def transferred(progress: str) -> float:
    """The context's bytes as the CLI's plain progress last reports them (its unit: go-units')."""
    found = _TRANSFER.findall(progress)
    if not found:
        raise SystemExit("the CLI's progress shows no context transfer:\n" + progress[-2000:])
    number, unit = found[-1]
    return float(number) * _UNITS[unit]


def cli_build(context: str, tag: str, buildkit: bool) -> str:
    env = {**os.environ, "DOCKER_BUILDKIT": "1" if buildkit else "0"}
    flags = ["--progress=plain"] if buildkit else ["-q"]
    done = subprocess.run([CLI, "build", *flags, "-t", tag, context], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the CLI's build failed:\n{done.stderr[-2000:]}")
    return done.stderr


def cache_records(api: docker.APIClient) -> list[dict]:
    """The engine's BuildKit records; /system/df answers one caller at a time, so wait a turn."""
    for _ in range(120):
        try:
            return buildkit.cache_records(api)
        except EngineError as exc:
            if "already running" not in str(exc):
                raise
            time.sleep(1)
    return buildkit.cache_records(api)


def prune_own_cache(api: docker.APIClient, before: set[str], since: float, data_bytes: int) -> None:
    """The records this bench made: copies of its context and results of its COPY (about the
    files' bytes), its Dockerfile's copies and the empty .dockerignore reads, made since it began.
    Others' builds on the shared engine keep theirs."""

    def own(record: dict) -> bool:
        if record["ID"] in before or record["InUse"] or _created(record) < since - 1:
            return False
        kind, size = record["Description"], record["Size"]
        if kind in ("local source for context", "fileop target") and size >= data_bytes // 2:
            return True
        return (kind, size) in {
            ("local source for dockerfile", len(DOCKERFILE)),
            ("local source for context", 0),
        }

    for _ in range(10):  # a record can go once the records made from it have gone
        new = [r["ID"] for r in cache_records(api) if own(r)]
        if not new:
            break
        buildkit.prune_cache(api, new)


def _created(record: dict) -> float:
    """A record's ``CreatedAt`` (RFC 3339 with nanoseconds) as a Unix time."""
    stamp = re.sub(r"(\.\d{6})\d*", r"\1", record["CreatedAt"]).replace("Z", "+00:00")
    return datetime.fromisoformat(stamp).timestamp()


def median_of_valid(name: str, times: list[float], valid: list[bool], what: list[str]) -> tuple[float, int]:
    """The median of the rebuilds that sent only the changed file, and how many did not."""
    kept = [t for t, ok in zip(times, valid[1:], strict=True) if ok]  # [0]: the warm-up
    if len(kept) * 2 <= len(times):
        raise SystemExit(
            f"{name}: {len(times) - len(kept)} of {len(times)} rebuilds sent more than the changed "
            f"file (sent: {'; '.join(what[1:])})"
        )
    return statistics.median(kept), len(times) - len(kept)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7, help="rebuilds of each BuildKit client")
    parser.add_argument("--classic-runs", type=int, default=3, help="rebuilds on the classic builder")
    args = parser.parse_args()
    ip = start_ipython()
    ip.run_line_magic("load_ext", "dockermagic")
    printed: list[str] = []
    magics = ip.magics_manager.registry["DockerMagics"]
    magics.session.out = magics.session.err = printed.append
    api = docker.APIClient(version="auto")
    cache_before = {r["ID"] for r in cache_records(api)}
    began = time.time()
    context = tempfile.mkdtemp(prefix="dm-bench-buildkit-")
    load_before = os.getloadavg()
    data_bytes = 0
    made: set[str] = set()  # every image the rebuilds made, removed at the end
    try:
        data_bytes = make_context(context, args.files)
        changed = os.path.join(context, "d00", "f00000.txt")
        line = f"--builder buildkit --context {context} -t {TAGS['ours']}"
        turn = {"ours": 0, "buildkit": 0}
        full_transfer: list[float] = []
        valid: dict[str, list[bool]] = {"ours": [], "buildkit": []}
        what: dict[str, list[str]] = {"ours": [], "buildkit": []}  # what each build sent

        def made_by(who: str) -> None:
            """Note the image a rebuild made: the next rebuild's tag leaves it dangling."""
            made.add(api.inspect_image(TAGS[who])["Id"])

        def change(who: str) -> str:
            turn[who] = turn.get(who, 0) + 1
            text = f"changed by {who}, turn {turn[who]}\n"
            with open(changed, "w") as f:
                f.write(text)
            return text

        def ours() -> None:
            text = change("ours")
            image = ip.run_cell_magic("dockerfile", line, DOCKERFILE)
            made_by("ours")
            sent = [s for s in image.build_steps.sent if s.name == "context"][-1]
            valid["ours"].append((sent.files, sent.bytes) == (1, len(text)))
            what["ours"].append(f"{sent.files} files, {sent.bytes} bytes")

        def cli_buildkit() -> None:
            change("buildkit")
            size = transferred(cli_build(context, TAGS["buildkit"], True))
            made_by("buildkit")
            if not full_transfer:  # the warm-up: every file
                full_transfer.append(size)
            valid["buildkit"].append(size - (full_transfer[0] - data_bytes) < data_bytes / 10)
            what["buildkit"].append(f"{size:.0f} bytes, {full_transfer[0]:.0f} the first time")

        def cli_classic() -> None:
            change("classic")
            cli_build(context, TAGS["classic"], False)
            made_by("classic")

        runs = [args.runs, args.runs, args.classic_runs]
        samples = samples_in_turns([ours, cli_buildkit, cli_classic], max(runs), runs_of=runs)
        load_after = os.getloadavg()
        names = ["%%dockerfile --builder buildkit", "CLI, DOCKER_BUILDKIT=1", "CLI, classic builder"]
        figures = [median_of_valid(names[0], samples[0], valid["ours"], what["ours"])]
        figures.append(median_of_valid(names[1], samples[1], valid["buildkit"], what["buildkit"]))
        figures.append((statistics.median(samples[2]), 0))
        print(
            f"rebuild after changing 1 of {args.files} files; load average {load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after ({os.cpu_count()} cores)"
        )
        base = figures[1][0]
        print("  median of the runs, ratio to the BuildKit CLI; each run (* resent the whole context,")
        print("  the engine's copy having been pruned meanwhile: not in the median)")
        checks = [valid["ours"][1:], valid["buildkit"][1:], [True] * len(samples[2])]
        for name, (median, _), times, oks in zip(names, figures, samples, checks, strict=True):
            runs_seen = " ".join(f"{t:.2f}" + ("" if ok else "*") for t, ok in zip(times, oks, strict=True))
            print(f"  {name:32} {median:6.2f} s {median / base:5.2f}x   {runs_seen}")
        for name, key in zip(names, what, strict=False):
            resent = [w for w, ok in zip(what[key][1:], valid[key][1:], strict=True) if not ok]
            if resent:
                print(f"  {name} resent: {'; '.join(resent)}")
    finally:
        shutil.rmtree(context, ignore_errors=True)
        for image in [*TAGS.values(), *made]:
            try:
                api.remove_image(image, force=True)
            except docker.errors.APIError:
                pass
        if data_bytes:
            prune_own_cache(api, cache_before, began, data_bytes)


if __name__ == "__main__":
    main()
