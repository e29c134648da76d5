"""A quiet build step: a notice shows while the engine says nothing, with the limit (the classic
builder's view; BuildKit's graph shows a running step as running)."""

import pytest

from dockermagic.engine import build as engine_build
from tests.conftest import BASE_IMAGE

pytestmark = pytest.mark.usefixtures("classic_builder")


def test_a_quiet_step_is_shown_waiting_with_its_limit(ip, unique, capfd, monkeypatch):
    monkeypatch.setattr(engine_build, "QUIET_NOTICE", 1.0)
    ip.run_cell_magic("dockerfile", f"-t {unique}-quiet --no-cache", f"FROM {BASE_IMAGE}\nRUN sleep 3\n")
    out = capfd.readouterr().out
    step = out.index("RUN sleep 3")
    notice = out.index("no output from the engine for", step)
    assert "gives up after 600 s of silence" in out[notice:]
    # shown while waiting: before the step's end, not after it
    assert notice < out.index("done in", step)
