"""The layers view on real images: sharing, added/changed/deleted files, wasted space."""


def test_layers_sharing_and_waste(ip, unique):
    a = ip.run_cell_magic(
        "dockerfile",
        f"-q -t {unique}-a",
        "FROM debian:bookworm\nRUN dd if=/dev/zero of=/big bs=1k count=300 && echo a > /a\n"
        "RUN rm /big && echo more >> /etc/motd\n",
    )
    ip.run_cell_magic("dockerfile", f"-q -t {unique}-b", "FROM debian:bookworm\nRUN echo b > /b\n")
    view = a.layers()
    base, made, cleaned = view.layers
    assert f"{unique}-b:latest" in base["shared_with"]
    assert made["counts"]["added"] == 2 and made["size"] == 300 * 1024 + 2
    assert cleaned["deleted"] == ["big"] and [p for p, _ in cleaned["changed"]] == ["etc/motd"]
    assert view.data["wasted"] >= 300 * 1024 and view.data["efficiency"] < 1
    html = view.html()
    assert html.count("class='dm-layer'") == 3 and "dm-bar" in html
    assert "shared with" in view.text()


def test_file_lists_are_read_once_per_layer(ip, unique, client, tmp_path):
    from dockermagic.engine.layer_cache import LayerCache
    from dockermagic.engine.layers import layers_of

    class Counting(LayerCache):
        def __init__(self, directory):
            super().__init__(directory)
            self.read: list[str] = []

        def put(self, kind, digest, value):
            if kind == "layer":
                self.read.append(digest)
            super().put(kind, digest, value)

    ip.run_cell_magic("dockerfile", f"-q -t {unique}-a", "FROM debian:bookworm\nRUN echo a > /a\n")
    ip.run_cell_magic("dockerfile", f"-q -t {unique}-b", "FROM debian:bookworm\nRUN echo b > /b\n")
    base, own_a = client.api.inspect_image(f"{unique}-a")["RootFS"]["Layers"]
    own_b = client.api.inspect_image(f"{unique}-b")["RootFS"]["Layers"][1]
    cache = Counting(str(tmp_path))
    first = layers_of(client.api, f"{unique}-a", cache=cache)
    assert set(cache.read) == {base, own_a}
    # another image on the same base: its own layer is read (the saved image's stream is read
    # until it came, which may pass through the base's bytes first)
    layers_of(client.api, f"{unique}-b", cache=cache)
    assert own_b in cache.read[2:]
    # a second view reads nothing, from memory or (a new kernel) from disk, and shows the same
    calls = []
    real = client.api._get
    client.api._get = lambda *a, **k: calls.append(a[0]) or real(*a, **k)
    try:
        assert layers_of(client.api, f"{unique}-a", cache=cache) == first
        assert layers_of(client.api, f"{unique}-a", cache=Counting(str(tmp_path))) == first
    finally:
        del client.api._get
    assert not [url for url in calls if url.endswith("/get")]
    assert first["layers"][1]["added"] == [("a", 2)]


NEW_KERNEL = """
import json, sys
import docker
from dockermagic.engine.layers import layers_of

api = docker.from_env().api
asked, get = [], api._get
api._get = lambda url, *a, **k: asked.append(url.split("/v1.", 1)[-1].split("/", 1)[-1]) or get(url, *a, **k)
view = layers_of(api, sys.argv[1])  # the kernel's own cache: on disk in $DOCKERMAGIC_CACHE
print(json.dumps({"asked": sorted(asked), "view": view}))
"""


def test_a_new_process_asks_the_engine_for_one_inspect_and_one_list(ip, unique, client, tmp_path):
    """A second view in a new kernel (a new interpreter) reads every file list, the image's
    instructions and the other images' diff ids from the cache on disk: it asks the engine for the
    image's inspect and the images list, nothing more (no saved image, no inspect of other images),
    and shows what the first view showed."""
    import json
    import os
    import subprocess
    import sys

    from dockermagic.engine.layer_cache import LayerCache
    from dockermagic.engine.layers import layers_of

    ip.run_cell_magic(
        "dockerfile", f"-q -t {unique}-a", "FROM debian:bookworm\nRUN echo a > /a && rm /etc/motd\n"
    )
    ip.run_cell_magic("dockerfile", f"-q -t {unique}-b", "FROM debian:bookworm\nRUN echo b > /b\n")
    first = layers_of(client.api, f"{unique}-a", cache=LayerCache(str(tmp_path)))
    seen = {image["Id"] for image in client.api.images()}  # what the first view listed (and kept)
    env = {**os.environ, "DOCKERMAGIC_CACHE": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", NEW_KERNEL, f"{unique}-a"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    second = json.loads(out.stdout.splitlines()[-1])
    assert "images/json" in second["asked"] and f"images/{unique}-a/json" in second["asked"]
    others = [u for u in second["asked"] if u not in ("images/json", f"images/{unique}-a/json")]
    # only an image made by a colleague since the first view may still be inspected, once
    assert not [u for u in others if u.split("/")[1] in seen or not u.endswith("/json")], second["asked"]
    # colleagues' images may come and go between the two views: "shared with" is compared on ours
    assert f"{unique}-b:latest" in second["view"]["layers"][0]["shared_with"]
    for view in (first, second["view"]):
        for layer in view["layers"]:
            layer.pop("shared_with")
    assert second["view"] == json.loads(json.dumps(first))
    assert second["view"]["layers"][1]["deleted"] == ["etc/motd"]
