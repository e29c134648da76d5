"""The build view: a timeline of steps with durations and cache hits, and the bloating habits by line."""

from dockermagic.engine.build import Step
from dockermagic.engine.dockerfile import parse
from dockermagic.views.build import BuildLogView
from dockermagic.views.habits import bloat_warnings

from ._viewdata import XSS_IMG, assert_inert

BLOATED = """FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y nano
RUN echo one
COPY . /app
ENV A=1
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
ADD ["./", "/src"]
COPY app.py /app/
"""


def test_each_habit_is_reported_with_its_line():
    found = bloat_warnings(parse(BLOATED))
    assert [line for line, _ in found] == [2, 3, 5, 8]
    assert found[0][1].startswith("3 RUN instructions in a row (lines 2-4) make 3 layers")
    assert found[1][1].startswith("apt-get install leaves the package lists")
    assert found[2][1].startswith("COPY copies the whole build context") and found[3][1].startswith(
        "ADD copies"
    )


def test_a_clean_dockerfile_has_no_warnings():
    clean = "FROM debian:bookworm\nRUN apt install -y x && rm -rf /var/lib/apt/lists/*\nCOPY src/ /src\nRUN a\nRUN b\n"
    assert bloat_warnings(parse(clean)) == []


def steps():
    return [
        Step(1, 3, "FROM debian:bookworm", cached=False, seconds=0.0),
        Step(
            2,
            3,
            f"RUN echo {XSS_IMG}",
            output=[XSS_IMG],
            cached=False,
            seconds=4.0,
            layer="sha256:abcdef0123456789",
        ),
        Step(3, 3, "ENV A=1", cached=True),
    ]


def test_timeline_text_and_html():
    view = BuildLogView(steps(), [(2, "a <warning>")])
    text = view.text().splitlines()
    assert text[1].endswith("[4.0s]") and text[2].endswith("[cached]")
    assert text[3] == "3 steps, 1 from the cache, 4.0s building" and text[4] == "warning: line 2: a <warning>"
    html = view.html()
    assert_inert(html)
    assert html.count("class='dm-step'") == 3 and "width:100%" in html  # the longest step fills its bar
    assert ">cached</span>" in html and "<li>line 2: a &lt;warning&gt;</li>" in html
    assert "abcdef012345" in html  # each step names its layer


def test_a_step_that_made_a_layer_links_to_it_in_the_layers_view():
    from dockermagic.views.layers import LayersView

    from ._viewdata import load

    data = load("image_layers.json")
    made = data["layers"][-1]["digest"]  # the second step made the image's top layer
    view = BuildLogView(steps(), image=data["image"], layers=[None, made, None])
    html = view.html()
    anchor = view.links()[2]
    assert list(view.links()) == [2] and html.count("class='dm-layer-link'") == 1
    assert f"href='#{anchor}'" in html
    # the target: the row of that very layer in the built image's layers view
    layers_html = LayersView(data).html()
    assert layers_html.count(f"id='{anchor}'") == 1
    row = layers_html.split(f"id='{anchor}'")[1].split("</tr>")[0]
    assert row.startswith(f"><td>{data['layers'][-1]['index']}</td>")


def test_without_the_image_or_a_layer_nothing_links():
    assert BuildLogView(steps()).links() == {} and "dm-layer-link" not in BuildLogView(steps()).html()
    assert BuildLogView(steps(), image="sha256:" + "1" * 64, layers=[None, None, None]).links() == {}


def test_the_widgets_button_opens_the_layers_view_at_the_steps_layer():
    from dockermagic.views.layers import LayersView

    from ._viewdata import load

    data = load("image_layers.json")
    made = data["layers"][1]["digest"]
    view = BuildLogView(
        steps(), image=data["image"], layers=[None, made, None], open_layers=lambda: LayersView(data)
    )
    box = view.widget()
    timeline, buttons, below = box.children
    assert [b.description for b in buttons.children] == ["step 2: its layer"] and below.value == ""
    buttons.children[0].click()
    opened = below.value.split("<tr class='dm-layer'")
    assert [i for i, row in enumerate(opened[1:]) if "<details open>" in row] == [1]  # that layer, unfolded
    assert f"id='{view.links()[2]}'" in below.value
    assert BuildLogView(steps()).widget() is None  # nothing to open: the static face alone
