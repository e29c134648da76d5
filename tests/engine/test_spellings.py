"""Every spelling the installed docker CLIs have for a command %docker supports is one of ours too
(the management commands' and their aliases, read from each CLI's own --help), and the management
inspect commands inspect their own kind only, as the CLI's do."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from IPython.core.error import UsageError

from dockermagic.commands import registry
from tests.conftest import BASE_IMAGE, docker_cli

GROUPS = ("container", "image", "network", "volume", "system")


def clis() -> list[str]:
    """The docker CLI on PATH and docker.io's, when both are here (CI has only the latter)."""
    found = [shutil.which("docker"), "/usr/bin/docker"]
    return list(dict.fromkeys(p for p in found if p and os.path.exists(p)))


def help_of(cli: str, *words: str) -> str:
    return subprocess.run([cli, *words, "--help"], capture_output=True, text=True, timeout=60).stdout


def subcommands(cli: str, group: str) -> list[str]:
    lines = help_of(cli, group).splitlines()
    start = lines.index("Commands:") + 1
    return [line.split()[0] for line in lines[start:] if line.strip()][: len(lines)]


def spellings_of(cli: str, group: str, sub: str) -> set[str]:
    """``GROUP SUB`` and what its help lists under ``Aliases:`` (a newer CLI lists them all)."""
    lines = help_of(cli, group, sub).splitlines()
    found = {f"{group} {sub}"}
    if "Aliases:" in lines:
        listed = lines[lines.index("Aliases:") + 1]
        for name in (n.strip() for n in listed.split(",")):
            # a newer CLI writes whole command lines; docker.io's 20.10 the group's own words (ls, ps)
            found.add(name.removeprefix("docker ") if name.startswith("docker ") else f"{group} {name}")
    return found


def cli_classes() -> list[set[str]]:
    classes = []
    for cli in clis():
        for group in GROUPS:
            for sub in subcommands(cli, group):
                if not sub.startswith("-"):
                    classes.append(spellings_of(cli, group, sub))
    return classes


def test_each_command_we_support_has_every_spelling_the_cli_has():
    ours = set(registry.spellings())
    missing = {}
    for spellings in cli_classes():
        supported = spellings & ours
        if supported and spellings - ours:
            missing[min(supported)] = sorted(spellings - ours)
    assert not missing
    # the everyday ones, by name
    everyday = ["container ls", "container list", "container ps", "image ls", "image list", "image rm"]
    everyday += ["image remove", "image inspect", "container inspect", "image import", "container export"]
    everyday += [
        "system events",
        "system info",
        "system df",
        "system prune",
        "network remove",
        "volume remove",
    ]
    assert not [name for name in everyday if name not in ours]


def test_the_spellings_reach_the_same_command():
    assert registry.get("container ls") is registry.get("ps") is registry.get("container ps")
    assert registry.get("image remove") is registry.get("rmi")
    assert registry.get("system info") is registry.get("info")
    assert registry.get("system events") is registry.get("events")


@pytest.fixture
def same_name(ip, unique, test_label):
    """A container and an image both named ``unique``."""
    docker_cli("create", "--label", test_label, "--name", unique, BASE_IMAGE, "true")
    docker_cli("tag", BASE_IMAGE, f"{unique}:latest")
    yield unique
    docker_cli("rmi", f"{unique}:latest")


def test_image_inspect_inspects_images_only(ip, client, same_name):
    ours = ip.run_line_magic("docker", f"image inspect -f '{{{{.Id}}}}' {same_name}")
    theirs = docker_cli("image", "inspect", "-f", "{{.Id}}", same_name).stdout.decode().strip()
    assert str(ours) == theirs == client.api.inspect_image(same_name)["Id"]
    # the plain inspect finds the container first, as the CLI's does
    plain = ip.run_line_magic("docker", f"inspect -f '{{{{.Id}}}}' {same_name}")
    assert str(plain) == docker_cli("inspect", "-f", "{{.Id}}", same_name).stdout.decode().strip()
    assert str(plain) == client.api.inspect_container(same_name)["Id"]


def test_container_inspect_inspects_containers_only(ip, client, unique, test_label):
    docker_cli("tag", BASE_IMAGE, f"{unique}-img:latest")
    try:
        with pytest.raises(UsageError) as info:
            ip.run_line_magic("docker", f"container inspect {unique}-img")
        assert "\n" not in str(info.value)
        assert docker_cli("container", "inspect", f"{unique}-img", check=False).returncode != 0
    finally:
        docker_cli("rmi", f"{unique}-img:latest")
    docker_cli("create", "--label", test_label, "--name", unique, BASE_IMAGE, "true")
    ours = ip.run_line_magic(
        "docker", f"container inspect -s -f '{{{{.Name}}}} {{{{.SizeRootFs}}}}' {unique}"
    )
    assert (
        str(ours)
        == docker_cli("container", "inspect", "-s", "-f", "{{.Name}} {{.SizeRootFs}}", unique)
        .stdout.decode()
        .strip()
    )
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"image inspect {unique}")
    assert "\n" not in str(info.value)
