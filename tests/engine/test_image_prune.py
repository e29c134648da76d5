"""image prune: the CLI and %docker remove the same images and report them alike, with and without -a,
and with until= and label= filters.

Every prune here, the CLI's included, is narrowed by ``--filter label=`` to this test's own label and
a side label, so that nothing made by anyone else on the engine can be removed.
"""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, docker_cli

SIDES = ("cli", "dm")


def cli_text(*args: str) -> str:
    return docker_cli(*args).stdout.decode().strip()


def make_images(side: str, unique: str, test_label: str) -> dict[str, str]:
    """On ``side``: a dangling image, an unused tagged one and a tagged one a container uses; the
    ids (full and short) and names by role."""
    labels = ["--label", test_label, "--label", f"side={side}"]
    source = cli_text("create", *labels, BASE_IMAGE, "true")
    roles: dict[str, str] = {}

    def commit(role: str, tag: str) -> None:
        image = cli_text("commit", "-c", f"ENV ROLE={role}", source, tag)  # the container's labels carry
        roles[image] = roles[image.removeprefix("sha256:")] = roles[image.removeprefix("sha256:")[:12]] = role

    commit("dangling", f"{unique}-{side}:d")
    commit("tagged-twice", f"{unique}-{side}:d")  # takes the tag: the first one is dangling now
    commit("unused", f"{unique}-{side}:unused")
    commit("used", f"{unique}-{side}:used")
    docker_cli("create", *labels, f"{unique}-{side}:used", "true")
    for tag in ("d", "unused", "used"):
        roles[f"{unique}-{side}:{tag}"] = f"name-{tag}"
    return roles


def normalised(text: str, roles: dict[str, str]) -> dict[str, list[str]]:
    """A prune report with ids and names replaced by their roles, by section, lines sorted (the
    engine lists what it removed in no fixed order)."""
    for actual, role in sorted(roles.items(), key=lambda item: -len(item[0])):
        text = text.replace(actual, role)
    found = {}
    for block in text.strip().split("\n\n"):
        head, *lines = block.strip().split("\n")
        found[head] = sorted(lines)
    return found


def left(test_label: str, side: str, roles: dict[str, str]) -> set[str]:
    """The roles of this side's images that are still there."""
    ids = cli_text(
        "images",
        "-a",
        "--no-trunc",
        "--format",
        "{{.ID}}",
        "--filter",
        f"label={test_label}",
        "--filter",
        f"label=side={side}",
    ).split()
    return {roles.get(i.removeprefix("sha256:"), i) for i in ids}


def test_image_prune_matches_the_cli(ip, unique, test_label):
    roles = {side: make_images(side, unique, test_label) for side in SIDES}
    everything = {"dangling", "tagged-twice", "unused", "used"}

    def both(options: str) -> dict[str, dict[str, list[str]]]:
        narrow = f"--filter label={test_label} --filter label=side="
        theirs = cli_text("image", "prune", *options.split(), *f"{narrow}cli".split())
        ours = ip.run_line_magic("docker", f"image prune {options} {narrow}dm").text()
        return {"cli": normalised(theirs, roles["cli"]), "dm": normalised(ours, roles["dm"])}

    # until=: only what is older than an hour; everything here is newer
    reports = both("-f --filter until=1h")
    assert reports["dm"] == reports["cli"] == {"Total reclaimed space: 0B": []}
    assert left(test_label, "cli", roles["cli"]) == left(test_label, "dm", roles["dm"]) == everything

    # without -a: the dangling image only
    reports = both("-f")
    assert reports["dm"] == reports["cli"]
    assert reports["dm"]["Deleted Images:"] == ["deleted: dangling"]
    assert (
        left(test_label, "cli", roles["cli"])
        == left(test_label, "dm", roles["dm"])
        == everything - {"dangling"}
    )

    # -a: every image no container uses, tagged or not
    reports = both("-a -f")
    assert reports["dm"] == reports["cli"]
    assert reports["dm"]["Deleted Images:"] == sorted(
        [
            "untagged: name-d",
            "deleted: tagged-twice",
            "untagged: name-unused",
            "deleted: unused",
        ]
    )
    assert left(test_label, "cli", roles["cli"]) == left(test_label, "dm", roles["dm"]) == {"used"}


def test_image_prune_without_force_removes_nothing(ip, unique, test_label):
    roles = make_images("dm", unique, test_label)
    with pytest.raises(
        UsageError, match=r"^'%docker image prune' removes every dangling \(untagged\) image: add -f"
    ):
        ip.run_line_magic("docker", f"image prune --filter label={test_label}")
    assert "dangling" in left(test_label, "dm", roles)
