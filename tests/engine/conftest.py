"""Fixtures of the engine tests that drive real kernels."""

from __future__ import annotations

import pytest

from tests.engine.kernels import Kernel
from tests.nodes import node_set  # noqa: F401 (engines in containers: node_set(count, ...))


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
