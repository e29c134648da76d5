"""network, volume and system prune: the CLI and %docker remove the same things and report them alike.

Every prune here, the CLI's included, is narrowed by ``--filter label=`` to this test's own label and
a side label, so that nothing made by anyone else on the engine can be removed.
"""

from __future__ import annotations

import time

import pytest
from IPython.core.error import UsageError

from dockermagic.actions.system import BUILD_CACHE_KEPT
from tests.conftest import BASE_IMAGE, docker_cli

SIDES = ("cli", "dm")


def cli_text(*args: str) -> str:
    return docker_cli(*args).stdout.decode().strip()


# The engine runs one prune of a kind at a time and refuses a second with this (409): anyone's
# prune on the same engine can hold it for a moment. %docker waits for it (engine/pruning.py); the
# CLI stops where it is, its steps so far done and printed, so it is run again and its reports joined.
BUSY = "a prune operation is already running"


def cli_prune(*args: str, env: dict[str, str] | None = None) -> str:
    """The CLI's report of ``docker ARGS...``, run again while another prune holds the engine."""
    deadline, said = time.monotonic() + 60, ""
    while True:
        done = docker_cli(*args, check=False, env=env)
        said += done.stdout.decode()
        if done.returncode == 0:
            return said.strip()
        if BUSY not in done.stderr.decode() or time.monotonic() > deadline:
            raise AssertionError(f"docker {' '.join(args)}: {done.stderr.decode()}")
        time.sleep(0.2)


def dm_prune(ip, line: str) -> str:
    return ip.run_line_magic("docker", line).text()


def normalised(text: str, names: dict[str, str]) -> str:
    """``text`` with each side's own names and ids replaced by the role they play."""
    for actual, role in sorted(names.items(), key=lambda item: -len(item[0])):
        text = text.replace(actual, role)
    return text.strip()


def sections(text: str) -> dict[str, list[str]]:
    """A prune report by section, lines sorted: the engine lists what it removed in no fixed order."""
    found: dict[str, list[str]] = {}
    for block in text.split("\n\n"):
        head, *lines = block.strip().split("\n")
        found[head] = sorted(found.get(head, []) + lines)
    return found


def left(test_label: str, side: str) -> dict[str, set[str]]:
    """What this test made on ``side`` that is still there, by kind."""
    filters = ["--filter", f"label={test_label}", "--filter", f"label=side={side}"]
    return {
        kind: set(cli_text(*cmd, *filters).split())
        for kind, cmd in {
            "containers": ["ps", "-a", "--no-trunc", "--format", "{{.ID}}"],
            "networks": ["network", "ls", "--format", "{{.Name}}"],
            "volumes": ["volume", "ls", "--format", "{{.Name}}"],
            "images": ["images", "-a", "--no-trunc", "--format", "{{.ID}}"],
        }.items()
    }


def test_network_prune_matches_the_cli(ip, unique, test_label):
    names = {}
    for side in SIDES:
        labels = ["--label", test_label, "--label", f"side={side}"]
        for role in ("unused", "used"):
            docker_cli("network", "create", *labels, f"{unique}-{side}-{role}")
            names[f"{unique}-{side}-{role}"] = role
        docker_cli("run", "-d", *labels, "--network", f"{unique}-{side}-used", BASE_IMAGE, "sleep", "300")
    docker_cli("network", "create", "--label", test_label, "--label", "side=other", f"{unique}-other")

    theirs = cli_prune(
        "network", "prune", "-f", "--filter", f"label={test_label}", "--filter", "label=side=cli"
    )
    ours = dm_prune(ip, f"network prune -f --filter label={test_label} --filter label=side=dm")

    assert normalised(ours, names) == normalised(theirs, names) == "Deleted Networks:\nunused"
    assert left(test_label, "cli")["networks"] == {f"{unique}-cli-used"}
    assert left(test_label, "dm")["networks"] == {f"{unique}-dm-used"}
    assert left(test_label, "other")["networks"] == {f"{unique}-other"}


def test_network_prune_without_force_removes_nothing(ip, unique, test_label):
    docker_cli("network", "create", "--label", test_label, f"{unique}-net")
    with pytest.raises(UsageError, match="add -f to confirm"):
        ip.run_line_magic("docker", f"network prune --filter label={test_label}")
    assert cli_text("network", "ls", "-q", "--filter", f"name={unique}-net")


def test_volume_prune_matches_the_cli(ip, client, unique, test_label):
    names = {}
    for side in SIDES:
        labels = ["--label", test_label, "--label", f"side={side}"]
        for role in ("unused", "used"):
            docker_cli("volume", "create", *labels, f"{unique}-{side}-{role}")
            names[f"{unique}-{side}-{role}"] = role
        docker_cli("create", *labels, "-v", f"{unique}-{side}-used:/data", BASE_IMAGE, "true")
    prune = ["--filter", f"label={test_label}"]

    theirs = cli_prune("volume", "prune", "-f", *prune, "--filter", "label=side=cli")
    ours = dm_prune(ip, f"volume prune -f --filter label={test_label} --filter label=side=dm")

    expected = "Deleted Volumes:\nunused\n\nTotal reclaimed space: 0B"
    assert normalised(ours, names) == normalised(theirs, names) == expected
    for side in SIDES:
        assert left(test_label, side)["volumes"] == {f"{unique}-{side}-used"}


def test_volume_prune_all_follows_the_engines_api_version(ip, client, unique, test_label):
    """``-a`` exists from API 1.42 (before it a prune removes named volumes anyway, and the CLI
    refuses the flag); either way %docker does what the CLI does."""
    for side in SIDES:
        docker_cli("volume", "create", "--label", test_label, "--label", f"side={side}", f"{unique}-{side}")
    api = tuple(int(n) for n in client.api.api_version.split("."))
    theirs = docker_cli(
        "volume",
        "prune",
        "-a",
        "-f",
        "--filter",
        f"label={test_label}",
        "--filter",
        "label=side=cli",
        check=False,
    )
    line = f"volume prune -a -f --filter label={test_label} --filter label=side=dm"
    if api < (1, 42):
        # a CLI that knows -a names the API version it needs; docker.io's 20.10 CLI does not know -a
        assert theirs.returncode != 0 and (
            b'"--all" requires API version 1.42' in theirs.stderr
            or b"unknown shorthand flag: 'a'" in theirs.stderr
        )
        with pytest.raises(UsageError) as info:
            ip.run_line_magic("docker", line)
        assert str(info.value).startswith(
            f'"--all" requires API version 1.42, but the engine speaks {api[0]}.{api[1]}'
        )
        assert "\n" not in str(info.value)
        expected = {f"{unique}-{side}"}
    else:
        assert theirs.returncode == 0
        dm_prune(ip, line)
        expected = set()
    for side in SIDES:
        assert left(test_label, side)["volumes"] == (expected and {f"{unique}-{side}"})


def make_system(side: str, unique: str, test_label: str) -> dict[str, str]:
    """One of each thing a system prune looks at, on ``side``; their ids and names by role."""
    labels = ["--label", test_label, "--label", f"side={side}"]
    roles = {}
    docker_cli("network", "create", *labels, f"{unique}-{side}-net")
    roles[f"{unique}-{side}-net"] = "unused-network"
    docker_cli("volume", "create", *labels, f"{unique}-{side}-vol")
    roles[f"{unique}-{side}-vol"] = "unused-volume"
    stopped = cli_text("create", *labels, BASE_IMAGE, "true")
    roles[stopped] = "stopped-container"
    running = cli_text("run", "-d", *labels, BASE_IMAGE, "sleep", "300")
    roles[running] = "running-container"
    changes = ["-c", f"LABEL {test_label}", "-c", f"LABEL side={side}"]
    roles[cli_text("commit", *changes, stopped)] = "dangling-image"
    tagged = cli_text("commit", *changes, "-c", "ENV TAGGED=1", stopped, f"{unique}-{side}:1")
    roles[tagged] = "tagged-image"
    roles[f"{unique}-{side}:1"] = "tagged-name"
    return roles


@pytest.mark.parametrize(
    "flags, gone",
    [
        ("", {"stopped-container", "unused-network", "dangling-image"}),
        (
            "-a --volumes",
            {"stopped-container", "unused-network", "dangling-image", "tagged-image", "unused-volume"},
        ),
    ],
)
def test_system_prune_matches_the_cli(ip, client, unique, test_label, flags, gone):
    # The CLI's build-cache step sends the label filter to POST /build/prune, which ignores it and
    # empties everyone's build cache. A CLI on API 1.30 has no such step (build cache prune came
    # with 1.31), and its other steps are the same requests; %docker leaves build cache alone and
    # says so. So the comparison holds on an engine with anyone's build cache, which stays.
    # (Build cache pruning itself is compared on an engine of its own: test_builder_prune.py.)
    roles = {side: make_system(side, unique, test_label) for side in SIDES}
    names = {**roles["cli"], **roles["dm"]}
    before = {side: left(test_label, side) for side in SIDES}

    theirs = cli_prune(
        "system",
        "prune",
        "-f",
        *flags.split(),
        "--filter",
        f"label={test_label}",
        "--filter",
        "label=side=cli",
        env={"DOCKER_API_VERSION": "1.30"},
    )
    ours = dm_prune(ip, f"system prune -f {flags} --filter label={test_label} --filter label=side=dm")

    ours, note = ours.rsplit("\n", 1)
    assert note == BUILD_CACHE_KEPT  # the one difference: %docker says what it left alone
    assert sections(normalised(ours, names)) == sections(normalised(theirs, names))
    for side in SIDES:
        after = left(test_label, side)
        removed = {roles[side].get(x, x) for kind in after for x in before[side][kind] - after[kind]}
        assert removed == gone
    assert "Deleted Containers:\nstopped-container" in normalised(ours, names)
    assert "deleted: dangling-image" in normalised(ours, names)


def test_system_prune_without_force_says_what_it_would_remove(ip, unique, test_label):
    docker_cli("create", "--label", test_label, "--name", unique, BASE_IMAGE, "true")
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"system prune --volumes --filter label={test_label}")
    assert "all volumes not used by a container" in str(info.value) and "add -f" in str(info.value)
    assert cli_text("ps", "-aq", "--filter", f"name={unique}")
