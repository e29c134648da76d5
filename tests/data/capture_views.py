"""Re-record the view payloads in this folder from the real engine (not a test).

Builds a tiny busybox image whose names, labels, commands and files carry
script-injection payloads, runs a container with a secret env var, records
what the Engine API returns, then removes everything it made.

    python3 tests/data/capture_views.py
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
LABEL = {"dockermagic.test": "capture-views"}

DOCKERFILE = f"""FROM scratch
COPY busybox /bin/busybox
COPY busybox /bin/sh
LABEL xss.img="{XSS_IMG}" xss.script="{XSS_SCRIPT}"
ENV GREETING=hello
RUN mkdir -p /app/data && echo one > /app/data/a.txt && echo big > /app/big && echo '{XSS_SCRIPT}' > '/app/{XSS_IMG}'
RUN echo two >> /app/data/a.txt && rm /app/big && echo 'x' > /app/new.txt
RUN busybox dd if=/dev/zero of=/app/blob bs=1k count=64 2>/dev/null && busybox rm /app/blob
CMD ["sh", "-c", "echo '{XSS_IMG}'; echo '{XSS_SCRIPT}' >&2"]
"""


def context() -> io.BytesIO:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        data = DOCKERFILE.encode()
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        tar.add("/bin/busybox", "busybox")
    buf.seek(0)
    return buf


def dump(name: str, data) -> None:
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")


def main() -> None:
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
    from dockermagic.engine.layers import layers_of

    client = docker.from_env()
    api = client.api
    for _ in api.build(fileobj=context(), custom_context=True, tag=TAG, labels=LABEL, rm=True,
                       forcerm=True, decode=True):
        pass
    container = None
    try:
        image = api.inspect_image(TAG)
        dump("image_inspect.json", image)
        dump("image_history.json", api.history(TAG))
        dump("image_layers.json", layers_of(api, TAG))
        container = api.create_container(TAG, name="dm-views-sample", labels={**LABEL, "xss": XSS_IMG},
                                         environment=["DB_PASSWORD=hunter2-secret", "API_TOKEN=tok-123",
                                                      f"PLAIN={XSS_SCRIPT}"])
        api.start(container)
        api.wait(container)
        dump("container_inspect.json", api.inspect_container(container))
        dump("containers_list.json", api.containers(all=True, filters={"label": "dockermagic.test=capture-views"}))
    finally:
        if container:
            api.remove_container(container, force=True)
        api.remove_image(TAG, force=True)


if __name__ == "__main__":
    main()
