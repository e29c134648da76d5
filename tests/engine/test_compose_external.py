"""Networks and volumes a compose file declares ``external``: they must exist, are used as they are,
and outlive ``down``; one that another project made is refused."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

pytestmark = pytest.mark.engine

IMAGE = "debian:bookworm"
SLEEP = """[sh, -c, "trap 'exit 0' TERM; sleep infinity & wait"]"""


def stack_file(net: str, vol: str, external: bool = True) -> str:
    ext = "{external: true, name: %s}" if external else "{name: %s}"
    return (
        f"services:\n  a:\n    image: {IMAGE}\n    command: {SLEEP}\n"
        "    networks: [outside]\n    volumes: ['data:/data']\n"
        f"networks:\n  outside: {ext % net}\nvolumes:\n  data: {ext % vol}\n"
    )


def project_containers(client, project: str) -> list[dict]:
    return client.api.containers(all=True, filters={"label": f"com.docker.compose.project={project}"})


def test_external_ones_must_exist_are_used_and_outlive_down(ip, client, unique):
    net, vol = f"{unique}-net", f"{unique}-vol"
    cell = stack_file(net, vol)
    with pytest.raises(UsageError) as caught:
        ip.run_cell_magic("compose", f"-p {unique}", cell)
    assert str(caught.value) == (
        f"network {net} is declared external but does not exist: create it first (%docker network create {net})."
    )
    ip.run_line_magic("docker", f"network create {net}")
    with pytest.raises(UsageError) as caught:
        ip.run_cell_magic("compose", f"-p {unique}", cell)
    assert str(caught.value) == (
        f"volume {vol} is declared external but does not exist: create it first (%docker volume create {vol})."
    )
    assert project_containers(client, unique) == []

    ip.run_line_magic("docker", f"volume create {vol}")
    ip.run_cell_magic("compose", f"-p {unique}", cell)
    (made,) = project_containers(client, unique)
    attrs = client.api.inspect_container(made["Id"])
    assert net in attrs["NetworkSettings"]["Networks"]
    assert [m["Name"] for m in attrs["Mounts"] if m["Type"] == "volume"] == [vol]
    for labels in (client.api.inspect_network(net)["Labels"], client.api.inspect_volume(vol)["Labels"]):
        assert "com.docker.compose.project" not in (labels or {})  # used, not taken over

    ip.run_cell_magic("compose", f"-p {unique} down", cell)
    assert project_containers(client, unique) == []
    assert client.api.inspect_network(net)["Name"] == net and client.api.inspect_volume(vol)["Name"] == vol


def test_a_network_another_project_made_is_refused(ip, client, unique):
    net, vol = f"{unique}-shared", f"{unique}-data"
    ip.run_cell_magic("compose", f"-p {unique}-one", stack_file(net, vol, external=False))
    made = client.api.inspect_network(net)["Labels"]
    assert (
        made["com.docker.compose.project"] == f"{unique}-one"
        and made["com.docker.compose.network"] == "outside"
    )
    with pytest.raises(UsageError) as caught:
        ip.run_cell_magic("compose", f"-p {unique}-two", stack_file(net, vol, external=False))
    assert str(caught.value) == f"network {net} belongs to compose project {unique}-one: use another -p."
    assert project_containers(client, f"{unique}-two") == []
    ip.run_cell_magic("compose", f"-p {unique}-one down -v", stack_file(net, vol, external=False))
