"""build --pull and --platform reach the engine's builder (the classic one, as with the CLI's
DOCKER_BUILDKIT=0), checked by what the engine does with them."""

import time

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE

pytestmark = pytest.mark.usefixtures("classic_builder")  # what the engine's classic builder does


@pytest.fixture
def context(tmp_path, unique):
    (tmp_path / "Dockerfile").write_text(f"FROM {BASE_IMAGE}\nRUN echo {unique} > /built\n")
    return tmp_path


def pulls_since(client, since: float) -> list[str]:
    """The engine's own record of image pulls (the local registry serves the base image)."""
    events = client.api.events(
        since=int(since), until=int(time.time()) + 1, decode=True, filters={"type": "image", "event": "pull"}
    )
    return [e.get("id") or e.get("Actor", {}).get("ID", "") for e in events]


def test_build_pull_asks_the_registry_for_the_base_image(ip, client, unique, context):
    ip.run_line_magic("docker", f"build -q -t {unique}:plain {context}")
    start = time.time() - 1
    ip.run_line_magic("docker", f"build -q --pull -t {unique}:pulled {context}")
    assert BASE_IMAGE in pulls_since(client, start)


def cli_build(*args: str):
    import os
    import subprocess

    return subprocess.run(
        ["docker", "build", *args],
        capture_output=True,
        timeout=300,
        env={**os.environ, "DOCKER_BUILDKIT": "0"},
    )


def test_build_platform_reaches_the_engine(ip, client, unique, context, test_label):
    ours = ip.run_line_magic("docker", f"build -q --platform linux/amd64 -t {unique}:amd64 {context}")
    theirs = cli_build(
        "-q", "--label", test_label, "--platform", "linux/amd64", "-t", f"{unique}:cli", str(context)
    )
    assert theirs.returncode == 0, theirs.stderr
    assert ours.id == theirs.stdout.decode().strip()  # the same image: same steps, same cache
    assert client.api.inspect_image(ours.id)["Architecture"] == "amd64"
    # the engine parses the value it is sent: a malformed one is refused there, as for the CLI
    refusal = 'is an invalid component of "linux/x86 64"'
    cli = cli_build("-q", "--platform", "linux/x86 64", str(context))
    assert cli.returncode != 0 and refusal in cli.stderr.decode()
    with pytest.raises(UsageError, match=refusal) as info:
        ip.run_line_magic("docker", f"build -q --platform 'linux/x86 64' {context}")
    assert "\n" not in str(info.value)
