"""Pull/push progress on recorded engine events: final lines once, bars escaped."""

from dockermagic.views.progress import LayerProgress

EVENTS = [
    {"status": "Pulling from library/debian", "id": "bookworm"},
    {"status": "Pulling fs layer", "id": "a1b2c3d4e5f6"},
    {"status": "Downloading", "id": "a1b2c3d4e5f6", "progressDetail": {"current": 500, "total": 1000}},
    {"status": "Downloading", "id": "a1b2c3d4e5f6", "progressDetail": {"current": 1000, "total": 1000}},
    {"status": "Pull complete", "id": "a1b2c3d4e5f6", "progressDetail": {}},
    {"status": "Digest: sha256:0123"},
    {"status": "Status: Downloaded newer image for debian:bookworm"},
]


def test_final_states_written_once():
    lines = []
    progress = LayerProgress(lines.append)
    for event in EVENTS:
        progress.feed(event)
    progress.close()
    assert lines == [
        "Pulling from library/debian\n",
        "a1b2c3d4e5f6: Pull complete\n",
        "Digest: sha256:0123\n",
        "Status: Downloaded newer image for debian:bookworm\n",
    ]
    assert progress.status_lines[-1].startswith("Status: Downloaded")


def test_bars_are_escaped_html():
    progress = LayerProgress(lambda s: None)
    progress.feed(
        {
            "status": "Downloading <img src=x onerror=alert(1)>",
            "id": "<b>layer</b>",
            "progressDetail": {"current": 5, "total": 10},
        }
    )
    html = progress.bars.html()
    assert (
        "<img" not in html and "&lt;b&gt;layer&lt;/b&gt;" in html and "<progress max='10' value='5'" in html
    )
