"""Re-record the view payloads in this folder from the real engine (not a test).

Builds a tiny busybox image whose names, labels, commands and files carry
script-injection payloads, runs a container with a secret env var, records
what the Engine API returns, then removes everything it made. The static
busybox comes from Debian's busybox-static, installed in a helper image built
on debian:bookworm (containers reach Debian's package archive), so nothing
beyond the engine and the base image is needed on the host.

    python3 tests/data/capture_views.py [--out DIR]    # DIR: default this folder
"""

from __future__ import annotations

import io
import json
import os
import tarfile

import docker

HERE = os.path.dirname(os.path.abspath(__file__))
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(1)</script>"
TAG = "dm-views-sample:capture"
TOOLS = "dm-views-tools:capture"
LABEL = {"dockermagic.test": "capture-views"}

TOOLS_DOCKERFILE = """FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends busybox-static && rm -rf /var/lib/apt/lists/*
"""

DOCKERFILE = f"""FROM scratch
COPY --from={TOOLS} /bin/busybox /bin/busybox
COPY --from={TOOLS} /bin/busybox /bin/sh
LABEL xss.img="{XSS_IMG}" xss.script="{XSS_SCRIPT}"
ENV GREETING=hello
RUN mkdir -p /app/data && echo one > /app/data/a.txt && echo big > /app/big && echo '{XSS_SCRIPT}' > '/app/{XSS_IMG}'
RUN echo two >> /app/data/a.txt && rm /app/big && echo 'x' > /app/new.txt
RUN busybox dd if=/dev/zero of=/app/blob bs=1k count=64 2>/dev/null && busybox rm /app/blob
CMD ["sh", "-c", "echo '{XSS_IMG}'; echo '{XSS_SCRIPT}' >&2"]
"""


def context(dockerfile: str) -> io.BytesIO:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        data = dockerfile.encode()
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    return buf


def build(api, dockerfile: str, tag: str) -> None:
    for event in api.build(
        fileobj=context(dockerfile),
        custom_context=True,
        tag=tag,
        labels=LABEL,
        rm=True,
        forcerm=True,
        decode=True,
    ):
        if "error" in event:
            raise SystemExit(f"building {tag} failed: {event['error'].strip()}")


def dump(out: str, name: str, data) -> None:
    with open(os.path.join(out, name), "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")


def main() -> None:
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=HERE, help="where the JSON files go (default: this folder)")
    out = parser.parse_args().out
    sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
    from dockermagic.engine.layers import layers_of

    client = docker.from_env(timeout=300)
    api = client.api
    container = None
    try:
        build(api, TOOLS_DOCKERFILE, TOOLS)
        build(api, DOCKERFILE, TAG)
        image = api.inspect_image(TAG)
        dump(out, "image_inspect.json", image)
        dump(out, "image_history.json", api.history(TAG))
        dump(out, "image_layers.json", layers_of(api, TAG))
        container = api.create_container(
            TAG,
            name="dm-views-sample",
            labels={**LABEL, "xss": XSS_IMG},
            environment=["DB_PASSWORD=hunter2-secret", "API_TOKEN=tok-123", f"PLAIN={XSS_SCRIPT}"],
        )
        api.start(container)
        api.wait(container)
        dump(out, "container_inspect.json", api.inspect_container(container))
        dump(
            out,
            "containers_list.json",
            api.containers(all=True, filters={"label": "dockermagic.test=capture-views"}),
        )
    finally:
        if container:
            api.remove_container(container, force=True)
        for tag in (TAG, TOOLS):  # removing the tag removes its untagged build steps too
            try:
                api.remove_image(tag, force=True)
            except docker.errors.ImageNotFound:
                pass


if __name__ == "__main__":
    main()
