"""The test machines of tests/nodes.py: engines in containers on the shared engine."""

from __future__ import annotations

import os

import pytest

from tests.nodes import NodeSet

pytestmark = pytest.mark.engine


def test_a_node_is_an_engine_of_its_own_with_the_base_image(node_set, client):
    (node,) = node_set(1)
    assert node.address.startswith("tcp://127.0.0.1:")
    inner = node.client()
    try:
        info = inner.info()
        assert info["Name"] == node.name  # its own engine, not the shared one
        assert info["ID"] != client.info()["ID"]
        assert "debian:bookworm" in [t for image in inner.images.list() for t in image.tags]
        out = inner.containers.run("debian:bookworm", ["cat", "/proc/self/cgroup"], remove=True).decode()
    finally:
        inner.close()
    # the inner engine's containers live under its own cgroup parent, never the outer engine's
    assert f"/{node.name}/" in out, out


def test_nodes_see_each_other_and_everything_goes_at_the_end(client):
    machines = NodeSet(client)
    try:
        a, b = machines.start(2, load_base=False)
        assert a.ip != b.ip and a.address != b.address
        inner = a.client()
        try:
            inner.swarm.init(advertise_addr=a.ip)
            token = inner.swarm.attrs["JoinTokens"]["Worker"]
            other = b.client()
            try:
                other.swarm.join(remote_addrs=[f"{a.ip}:2377"], join_token=token, advertise_addr=b.ip)
            finally:
                other.close()
            states = sorted((n["Description"]["Hostname"], n["Status"]["State"]) for n in inner.api.nodes())
        finally:
            inner.close()
        assert states == [(a.name, "ready"), (b.name, "ready")]
    finally:
        machines.close()
    label = machines.label
    assert client.api.containers(all=True, filters={"label": label}) == []
    assert (client.api.volumes(filters={"label": label}) or {}).get("Volumes") in (None, [])
    assert client.api.networks(filters={"label": label}) == []
    leftover = [
        e
        for c in os.listdir("/sys/fs/cgroup")
        for e in _entries(f"/sys/fs/cgroup/{c}")
        if e.startswith(machines.prefix)
    ]
    assert leftover == []


def _entries(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []
