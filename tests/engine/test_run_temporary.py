"""run -i without a TTY reads an empty stdin, as !docker run -i does in a notebook; and what the
user made temporary (--rm, a foreground run, a terminal) carries the temporary label."""

import time

import pytest

from dockermagic.session import TEMPORARY_LABEL
from tests.conftest import BASE_IMAGE

pytestmark = pytest.mark.podman  # in the subset scripts/podman.sh runs against Podman


@pytest.mark.timeout(60)
def test_run_i_without_t_reads_an_empty_stdin_and_returns(ip):
    begun = time.monotonic()
    result = ip.run_line_magic("docker", f"run -i --rm {BASE_IMAGE} sh -c 'cat; echo stdin-ended'")
    assert result.exit_code == 0 and result.stdout == "stdin-ended\n"
    assert time.monotonic() - begun < 20


def temporary(client, name: str) -> bool:
    return client.api.inspect_container(name)["Config"]["Labels"].get(TEMPORARY_LABEL) == "1"


def test_temporary_label_on_what_the_user_made_temporary(ip, client, unique):
    ip.run_line_magic("docker", f"run -d --rm --name {unique}-rm {BASE_IMAGE} sleep 300")
    ip.run_line_magic("docker", f"run -d --name {unique}-kept {BASE_IMAGE} sleep 300")
    ip.run_line_magic("docker", f"create --name {unique}-created {BASE_IMAGE} true")
    ip.run_line_magic("docker", f"run --name {unique}-fg {BASE_IMAGE} true")
    terminal = ip.run_line_magic("docker", f"run -it --name {unique}-tty {BASE_IMAGE} bash")
    try:
        assert temporary(client, f"{unique}-rm") and temporary(client, f"{unique}-fg")
        assert temporary(client, f"{unique}-tty")
        # -d without --rm stays, as the CLI leaves it; so does a created container
        assert not temporary(client, f"{unique}-kept") and not temporary(client, f"{unique}-created")
    finally:
        terminal.close()
