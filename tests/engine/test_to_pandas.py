"""``.to_pandas()`` on the results of ps, images, stats, history and session, on the real engine:
one row per object the CLI lists, the CLI's headers as columns, the cells as the text face shows
them. pandas stays optional: without it, one line that says what to install."""

from __future__ import annotations

import sys

import pytest

from dockermagic.errors import DockerMagicError
from tests.conftest import BASE_IMAGE, docker_cli

pytestmark = pytest.mark.engine


@pytest.fixture
def box(client, test_label, unique) -> str:
    """A running container carrying the test's label (removed by ``ip``)."""
    key, value = test_label.split("=", 1)
    client.api.start(
        client.api.create_container(BASE_IMAGE, ["sleep", "60"], name=unique, labels={key: value})
    )
    return unique


def _cli_lines(*args: str) -> list[str]:
    return docker_cli(*args).stdout.decode().split("\n")[:-1]


def test_ps_images_stats_and_history_as_data_frames(ip, box, test_label):
    ps = ip.run_line_magic("docker", f"ps -a --filter label={test_label}").to_pandas()
    assert list(ps.columns) == ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]
    assert ps["NAMES"].tolist() == [box] and ps["IMAGE"].tolist() == [BASE_IMAGE]
    assert ps["CONTAINER ID"].tolist() == _cli_lines("ps", "-a", "--filter", f"label={test_label}", "-q")

    images = ip.run_line_magic("docker", "images debian").to_pandas()
    assert list(images.columns) == ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]
    cli = _cli_lines("images", "debian", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}")
    assert sorted(
        f"{r}:{t} {i}"
        for r, t, i in zip(images["REPOSITORY"], images["TAG"], images["IMAGE ID"], strict=True)
    ) == sorted(cli)

    stats = ip.run_line_magic("docker", f"stats --no-stream {box}").to_pandas()
    assert list(stats.columns)[:3] == ["CONTAINER ID", "NAME", "CPU %"] and stats["NAME"].tolist() == [box]
    assert stats["PIDS"].tolist() == ["1"]

    history = ip.run_line_magic("docker", f"history {BASE_IMAGE}").to_pandas()
    assert list(history.columns) == ["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"]
    assert history["SIZE"].tolist() == _cli_lines("history", BASE_IMAGE, "--format", "{{.Size}}")


def test_session_as_a_data_frame(ip, unique):
    ip.run_line_magic("docker", f"volume create {unique}-vol")
    frame = ip.run_line_magic("docker", "session").to_pandas()
    assert list(frame.columns) == ["KIND", "NAME", "ID", "STATE", "KERNEL", "ON EXIT"]
    assert f"{unique}-vol" in frame["NAME"].tolist()
    ip.run_line_magic("docker", f"volume rm {unique}-vol")


def test_without_pandas_it_says_what_to_install(ip, box, test_label, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    for line in (
        f"ps -a --filter label={test_label}",
        f"stats --no-stream {box}",
        f"history {BASE_IMAGE}",
        "session",
    ):
        result = ip.run_line_magic("docker", line)
        with pytest.raises(DockerMagicError, match=r"^to_pandas\(\) needs pandas: pip install pandas$"):
            result.to_pandas()
