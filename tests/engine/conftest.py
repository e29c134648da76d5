"""Fixtures of the engine tests: real kernels, and the BuildKit cache the tests' builds leave."""

from __future__ import annotations

import re
import time
from datetime import datetime

import pytest

from dockermagic.engine.buildkit import build as buildkit
from tests.engine.kernels import Kernel
from tests.nodes import node_set  # noqa: F401 (engines in containers: node_set(count, ...))


def cache_ids(api) -> set[str]:
    return {r["ID"] for r in buildkit.cache_records(api)}


def _created(record) -> float:
    """A record's ``CreatedAt`` (RFC 3339, nanoseconds) as a Unix time."""
    stamp = re.sub(r"(\.\d{6})\d*", r"\1", record["CreatedAt"]).replace("Z", "+00:00")
    return datetime.fromisoformat(stamp).timestamp()


def prune_new_cache(api, before: set[str], windows: list[tuple[float, float]] | None = None) -> None:
    """Prune the BuildKit cache records not in ``before`` and not in use, by id (the engine's
    filter takes one id per call); with ``windows``, only those made during one of them (with a
    second of slack), so that what others build on the engine meanwhile stays."""

    def ours(record) -> bool:
        if record["ID"] in before or record["InUse"]:
            return False
        return windows is None or any(start - 1 <= _created(record) <= end + 1 for start, end in windows)

    for _ in range(10):  # a record is free to go once the records made from it have gone
        new = [r["ID"] for r in buildkit.cache_records(api) if ours(r)]
        if not new:
            break
        buildkit.prune_cache(api, new)


@pytest.fixture(scope="session", autouse=True)
def build_cache_of_the_run(client):
    """What builds outside this process left (kernels, the CLI with BuildKit): pruned at the end."""
    before = cache_ids(client.api)
    yield
    prune_new_cache(client.api, before)


def _socket(api) -> str | None:
    return getattr(getattr(api, "_custom_adapter", None), "socket_path", None)


@pytest.fixture(scope="module", autouse=True)
def build_cache_of_the_module(client):
    """BuildKit is the default builder, and every BuildKit build leaves cache records (step
    results, context copies) beside the images. The records this module's builds made on the
    shared engine are pruned when it ends, so that a later module (test_prune.py's) meets the
    engine as it was. The records are listed (``/system/df``, about a second here) only in modules
    that build on BuildKit in this process, before the first such build; each build's start and
    end are noted, and only records made within one of those are pruned."""
    before: set[str] | None = None
    windows: list[tuple[float, float]] = []
    build = buildkit.build

    def noting(api, *args, **kwargs):
        nonlocal before
        if _socket(api) != _socket(client.api):  # another engine (throwaway, remote): not this one's
            return build(api, *args, **kwargs)
        if before is None:
            before = cache_ids(client.api)
        start = time.time()
        try:
            return build(api, *args, **kwargs)
        finally:
            windows.append((start, time.time()))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(buildkit, "build", noting)
        yield
    if before is not None:
        prune_new_cache(client.api, before, windows)


@pytest.fixture
def kernels(tmp_path):
    """Start real kernels (``kernels(test_label, mode)``); every one is shut down after the test."""
    started: list[Kernel] = []

    def start(test_label: str, mode: str = "temporary", **kw) -> Kernel:
        kernel = Kernel(test_label, mode, str(tmp_path), **kw)
        started.append(kernel)
        return kernel

    yield start
    for kernel in started:
        kernel.close()
