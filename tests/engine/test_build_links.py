"""Build view -> layers view: each step that made a layer links to that layer's row in the layers
view of the built image (on the real engine, with the real image's layers)."""

from __future__ import annotations

import pytest

from tests.conftest import BASE_IMAGE

# the classic builder's view (its steps made the layers); BuildKit's graph view: test_buildkit.py
pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("classic_builder")]


def test_each_step_that_made_a_layer_links_to_it(ip, unique):
    body = f"FROM {BASE_IMAGE}\nRUN echo one > /one\nENV A=1\nRUN echo two > /two\nWORKDIR /\n"
    image = ip.run_cell_magic("dockerfile", f"-t {unique}:links", body)
    steps = image.build_steps
    runs = [s.number for s in steps.steps if s.instruction.startswith("RUN")]
    assert sorted(steps.links()) == runs and len(runs) == 2  # FROM, ENV and WORKDIR made no layer
    assert [layer for layer in steps.layers if layer] == image.layer_digests[-2:], steps.layers

    layers = image.layers()
    html = layers.html()
    for step, layer in zip(steps.steps, steps.layers, strict=True):
        if not layer:
            continue
        anchor = steps.links()[step.number]
        assert f"href='#{anchor}'" in steps.html() and html.count(f"id='{anchor}'") == 1
        # the row that anchor names shows the layer that step made: its instruction and its file
        row = html.split(f"id='{anchor}'")[1].split("</tr>")[0]
        written = step.instruction.split("> /")[1]
        assert f"echo {written}" in row, row
        shown = layers[layers.index_of(layer)]
        assert [path for path, _ in shown["added"]] == [written]
