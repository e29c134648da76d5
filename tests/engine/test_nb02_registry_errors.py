"""nb02's search cell against the real engine: with no route to Docker Hub, search and pull
fail at once with one line that names Docker Hub and the cause, never the registry's host."""

import time

import pytest
from IPython.core.error import UsageError


@pytest.mark.parametrize("line", ["search debian --limit 5", "pull nosuch-dockermagic/image:1"])
def test_unreachable_docker_hub_is_one_line_without_host_names(ip, line):
    start = time.monotonic()
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", line)
    message = str(info.value)
    assert time.monotonic() - start < 30
    assert "Docker Hub cannot be reached from the engine" in message
    assert "docker.io" not in message and "lookup" not in message
    assert "\n" not in message
