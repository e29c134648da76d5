"""Which other images share a layer: the candidates the limit keeps are the named ones first."""

from __future__ import annotations

from dockermagic.engine.layer_cache import LayerCache
from dockermagic.engine.layers import _sharing


class Api:
    def __init__(self, layers: dict[str, list[str]]):
        self.layers = layers

    def inspect_image(self, image_id: str) -> dict:
        return {"RootFS": {"Layers": self.layers[image_id]}}


def test_a_named_base_is_found_past_more_untagged_images_than_the_limit(tmp_path):
    """60 untagged images (old builds) listed before the pulled base must not hide it at a limit of 50."""
    base, ours = ["sha256:base"], ["sha256:base", "sha256:top"]
    untagged = [{"Id": f"sha256:old{i}", "RepoTags": ["<none>:<none>"], "Size": 10} for i in range(60)]
    listed = [*untagged, {"Id": "sha256:debian", "RepoTags": ["debian:bookworm"], "Size": 10}]
    api = Api({"sha256:debian": base, **{o["Id"]: ["sha256:other"] for o in untagged}})
    found = _sharing(api, listed, "sha256:ours", ours, 10, 50, LayerCache(str(tmp_path)))
    assert found == {"sha256:base": ["debian:bookworm"]}
