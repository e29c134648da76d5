"""--cache-from on BuildKit: an image built with ``--build-arg BUILDKIT_INLINE_CACHE=1`` carries its
steps' cache keys, and a later build given ``--cache-from IMAGE`` reuses its layers once the
engine's own BuildKit cache of those steps is gone (the engine looks for the image locally before
asking a registry). The BuildKit cache these builds make is pruned, by id, between the builds and
at the end.
"""

from __future__ import annotations

import re

import pytest

from dockermagic.engine.buildkit import build as buildkit
from tests.conftest import BASE_IMAGE


@pytest.fixture
def prune_ours(client):
    """A function that prunes the BuildKit cache records made since the test began."""
    before = {r["ID"] for r in buildkit.cache_records(client.api)}

    def prune() -> None:
        for _ in range(10):  # a record is free to go once the records made from it have gone
            new = [
                r["ID"]
                for r in buildkit.cache_records(client.api)
                if r["ID"] not in before and not r["InUse"]
            ]
            if not new:
                break
            buildkit.prune_cache(client.api, new)

    yield prune
    prune()


def test_cache_from_an_image_with_inline_cache(ip, unique, prune_ours, capfd):
    body = f"FROM {BASE_IMAGE}\nRUN echo ran-{unique} && echo made > /made\n"
    ran = re.compile(rf"^#\d+ ran-{re.escape(unique)}$", re.M)
    ip.run_cell_magic(
        "dockerfile", f"--builder buildkit -t {unique}:a --build-arg BUILDKIT_INLINE_CACHE=1", body
    )
    assert ran.search(capfd.readouterr().out)
    prune_ours()
    # the engine's cache of the step is gone: without --cache-from the step runs again
    ip.run_cell_magic("dockerfile", f"--builder buildkit -t {unique}:b", body)
    assert ran.search(capfd.readouterr().out)
    prune_ours()
    ip.run_cell_magic("dockerfile", f"--builder buildkit -t {unique}:c --cache-from {unique}:a", body)
    out = capfd.readouterr().out
    assert f"importing cache manifest from {unique}:a" in out and not ran.search(out)
    assert re.search(rf"^#\d+ \[2/2\] RUN echo ran-{re.escape(unique)}.*\n#\d+ CACHED$", out, re.M)
