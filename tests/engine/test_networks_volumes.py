"""network and volume commands against the real engine, side by side with the CLI."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, docker_cli

pytestmark = pytest.mark.podman  # in the subset scripts/podman.sh runs against Podman


def cli_text(*args: str) -> str:
    return docker_cli(*args).stdout.decode().strip()


@pytest.mark.parametrize(
    "kind, fmt",
    [
        ("network", "{{.Name}} {{.Driver}} {{.Scope}}"),
        ("volume", "{{.Name}} {{.Driver}}"),
    ],
)
def test_ls_filters_and_formats_as_the_cli(ip, unique, test_label, kind, fmt):
    for n in range(3):
        ip.run_line_magic("docker", f"{kind} create --label n={n} {unique}-{n}")
    narrowed = f"--filter label={test_label} --filter label=n=1"
    assert ip.run_line_magic("docker", f"{kind} ls -q {narrowed}").text().split() == (
        cli_text(kind, "ls", "-q", *narrowed.split()).split()
    )
    ours = ip.run_line_magic("docker", f"{kind} ls --filter label={test_label} --format '{fmt}'").text()
    theirs = cli_text(kind, "ls", "--filter", f"label={test_label}", "--format", fmt)
    assert sorted(ours.splitlines()) == sorted(theirs.splitlines())
    assert len(ours.splitlines()) == 3


def test_disconnect_and_remove_as_the_cli(ip, client, unique, test_label):
    for side in ("cli", "dm"):
        ip.run_line_magic("docker", f"network create {unique}-{side}")
    box = ip.run_line_magic("docker", f"run -d --name {unique} --network {unique}-cli {BASE_IMAGE} sleep 300")
    ip.run_line_magic("docker", f"network connect {unique}-dm {unique}")
    docker_cli("network", "disconnect", "-f", f"{unique}-cli", unique)
    ip.run_line_magic("docker", f"network disconnect -f {unique}-dm {unique}")
    assert set(client.api.inspect_container(box.id)["NetworkSettings"]["Networks"]) == set()
    assert ip.run_line_magic("docker", f"network rm {unique}-cli {unique}-dm").text().split() == [
        f"{unique}-cli",
        f"{unique}-dm",
    ]
    assert not client.api.networks(names=[f"{unique}-cli", f"{unique}-dm"])


def test_volume_rm_force_ignores_a_missing_volume_as_the_cli(ip, unique):
    assert docker_cli("volume", "rm", "-f", f"{unique}-nothing", check=False).returncode == 0
    assert ip.run_line_magic("docker", f"volume rm -f {unique}-nothing").text() == f"{unique}-nothing"
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"volume rm {unique}-nothing")
    assert "\n" not in str(info.value) and f"{unique}-nothing" in str(info.value)


@pytest.mark.parametrize("kind", ["network", "volume"])
def test_inspect_of_a_missing_object_says_where_to_look(ip, unique, kind):
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"{kind} inspect {unique}-nothing")
    assert str(info.value) == (
        f"No such {kind}: {unique}-nothing. See %docker {kind} ls for the names that exist."
    )


def test_created_networks_and_volumes_carry_the_session_labels_and_the_users(ip, client, unique, test_label):
    net = ip.run_line_magic("docker", f"network create --label team=data {unique}").text()
    vol = ip.run_line_magic("docker", f"volume create --label team=data {unique}").text()
    key, value = test_label.split("=")
    for labels in (client.api.inspect_network(net)["Labels"], client.api.inspect_volume(vol)["Labels"]):
        assert labels["team"] == "data" and labels[key] == value and "dockermagic.session" in labels
