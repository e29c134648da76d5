"""How fast the views render and how little memory following logs takes (a script, not a test).

    python3 bench/bench_views.py

1. The layers view of a real 120-layer image (FROM scratch + 120 COPY layers,
   the first a static busybox):
   ``LayersView.html()`` median, target < 100 ms; also the time to gather it
   (``layers_of``) next to ``docker history`` through the CLI and the SDK.
2. The inspect tree of a 1 MB inspect document (a real container inspect whose
   labels and env are grown to 1 MB): ``InspectView.html()`` median, < 100 ms.
3. Following the logs of a container that printed 1,000,000 lines
   (``%docker logs -f`` into a 1000-line buffer): growth of the process's
   resident memory, target < 50 MB; time next to ``docker logs`` (CLI) and
   ``api.logs`` (SDK).

The static busybox comes from Debian's busybox-static, installed in a helper
image built on debian:bookworm (containers reach Debian's package archive), so
the host needs nothing beyond the engine and the base image. Everything the
script creates carries the label ``dockermagic.bench`` and is removed at the
end.
"""
from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tarfile
import time

import docker
from _timing import median_seconds

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from dockermagic.commands.logs import LogsSpec  # noqa: E402
from dockermagic.engine.layers import layers_of  # noqa: E402
from dockermagic.views.inspect import InspectView  # noqa: E402
from dockermagic.views.layers import LayersView  # noqa: E402

LABEL = {"dockermagic.bench": "views"}
TOOLS = "dm-bench-tools:busybox"  # debian:bookworm with busybox-static; COPY --from it


def median_ms(fn, runs: int = 7) -> float:
    return median_seconds(fn, runs) * 1000


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def build(api, tag: str, dockerfile: str, files: dict[str, bytes] | None = None) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in {**(files or {}), "Dockerfile": dockerfile.encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    for event in api.build(fileobj=buf, custom_context=True, tag=tag, labels=LABEL, rm=True, forcerm=True,
                           decode=True):
        if "error" in event:
            raise RuntimeError(event["error"])


def build_tools(api) -> None:
    build(api, TOOLS, "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends "
                      "busybox-static && rm -rf /var/lib/apt/lists/*\n")


def build_layered(api, tag: str, layers: int = 120) -> None:
    lines = ["FROM scratch", f"COPY --from={TOOLS} /bin/busybox /bin/busybox"]
    files = {}
    for i in range(layers - 1):
        files[f"f{i}"] = (f"file {i}\n" * (1 + i * 10)).encode()
        # every 7th layer overwrites an earlier file: some wasted space to show
        target = f"/d{i % 10}/f{i - 7 if i % 7 == 0 and i >= 7 else i}"
        lines.append(f"COPY f{i} {target}")
    build(api, tag, "\n".join(lines) + "\n", files)


def bench_layers(client) -> None:
    api, tag = client.api, "dm-bench-layers:120"
    build_layered(api, tag)
    try:
        data = layers_of(api, tag)
        view = LayersView(data)
        assert len(view.layers) == 120, len(view.layers)
        html_ms = median_ms(view.html)
        gather_ms = median_ms(lambda: layers_of(api, tag), runs=3)
        cli_ms = median_ms(lambda: subprocess.run(["docker", "history", "--no-trunc", tag], check=True,
                                                  capture_output=True), runs=5)
        sdk_ms = median_ms(lambda: api.history(tag), runs=5)
        print(f"layers view, 120 layers: html() {html_ms:.1f} ms (target < 100 ms), "
              f"{len(view.html()) / 1000:.0f} kB of HTML")
        print(f"  gathering (save stream + file lists + sharing): {gather_ms:.0f} ms; "
              f"docker history CLI {cli_ms:.0f} ms, SDK {sdk_ms:.1f} ms "
              f"(ratio vs CLI {gather_ms / cli_ms:.1f}x)")
    finally:
        api.remove_image(tag, force=True)


def bench_inspect() -> None:
    with open(os.path.join(ROOT, "tests", "data", "container_inspect.json")) as f:
        doc = json.load(f)
    i = 0
    while len(json.dumps(doc)) < 1_000_000:  # grow a real document to 1 MB
        doc["Config"]["Labels"][f"bench.label.{i}"] = "v" * 150
        doc["Config"]["Env"].append(f"BENCH_{i}={'e' * 80}")
        doc["Mounts"].append({"Type": "volume", "Name": f"v{i}", "Source": f"/var/lib/docker/volumes/v{i}",
                              "Destination": f"/data/{i}", "RW": True})
        i += 1
    view = InspectView(doc)
    size = len(json.dumps(doc))
    print(f"inspect tree, {size / 1e6:.2f} MB document: html() {median_ms(view.html):.1f} ms (target < 100 ms); "
          f"search html('bench.label.9') {median_ms(lambda: view.html('bench.label.9')):.1f} ms; "
          f"text() {median_ms(view.text):.1f} ms")


def bench_logs(client) -> None:
    from dockermagic.actions.logs import follow_logs
    from dockermagic.session import Session

    api = client.api
    image = "dm-bench-busybox:latest"
    build(api, image, f"FROM scratch\nCOPY --from={TOOLS} /bin/busybox /bin/busybox\n")
    cid = api.create_container(image, ["/bin/busybox", "seq", "1", "1000000"], labels=LABEL)["Id"]
    try:
        api.start(cid)
        api.wait(cid, timeout=300)
        session = Session()
        session.out = lambda s: None  # a terminal would print each line; here they are dropped
        spec = LogsSpec(cid, follow=True, keep=1000)
        before, peak_before = rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t = time.perf_counter()
        view = follow_logs(session, spec)
        ours = time.perf_counter() - t
        after, peak_after = rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert view.buffer.total == 1_000_000 and view.lines[-1] == "1000000", view.buffer.total
        spilled = os.path.getsize(view.saved_path)
        os.unlink(view.saved_path)
        t = time.perf_counter()
        subprocess.run(["docker", "logs", "-f", cid], check=True, stdout=subprocess.DEVNULL)
        cli = time.perf_counter() - t
        t = time.perf_counter()
        for _ in api.logs(cid, stream=True, follow=True):
            pass
        sdk = time.perf_counter() - t
        print(f"logs -f, 1,000,000 lines: resident memory +{after - before:.1f} MB "
              f"(peak +{max(0.0, peak_after - peak_before):.1f} MB; target < 50 MB); "
              f"kept {len(view.lines)} lines, spilled {spilled / 1e6:.1f} MB to a file")
        print(f"  time {ours:.2f} s; docker logs -f CLI {cli:.2f} s, SDK stream {sdk:.2f} s "
              f"(ratio vs CLI {ours / cli:.1f}x, vs SDK {ours / sdk:.1f}x)")
    finally:
        api.remove_container(cid, force=True)
        api.remove_image(image, force=True)


def main() -> None:
    client = docker.from_env(timeout=300)
    build_tools(client.api)
    try:
        bench_logs(client)  # first: the peak-memory figure is only meaningful before other work
        bench_inspect()
        bench_layers(client)
    finally:
        client.api.remove_image(TOOLS, force=True)  # with its untagged build steps


if __name__ == "__main__":
    main()
