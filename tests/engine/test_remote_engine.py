"""No local-engine assumptions: everything here drives an engine on "another machine".

The engine is a Docker engine in a container (``tests/nodes.py``): its containers live in
that container's network namespace, on its own bridge, which this kernel has no route to
(the bridge even reuses 172.17.0.0/16, the subnet of this machine's own engine, so a
container's address seen from here is some other container's, or nobody's). It is
reached at ``tcp://127.0.0.1:PORT`` (its dockerd's port, published on this machine's
loopback), except where a test needs the machine's own address (``.url()``): there it is
reached as a remote engine is, at ``tcp://NODE_IP:2375`` on the node's network.
"""

from __future__ import annotations

import re
import socket
import time

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, remove_labelled
from tests.engine.kernels import alive, wait_until
from tests.engine.test_containers import LATE_SERVER
from tests.nodes import ENGINE_PORT

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def node(node_set):
    [one] = node_set(1)
    return one


@pytest.fixture
def remote(ip, node, test_label):
    """The shell on the node's engine (at its 127.0.0.1 port); what the test made there is removed."""
    inner = node.client()
    ip.run_line_magic("config", f"DockerMagics.base_url = {node.address!r}")
    try:
        yield inner
    finally:
        ip.run_line_magic("config", "DockerMagics.base_url = None")
        ip.run_line_magic("config", "DockerMagics.publish_host = '127.0.0.1'")
        remove_labelled(inner, test_label)
        inner.close()


def _names(api, label: str) -> set[str]:
    return {c["Names"][0].lstrip("/") for c in api.containers(all=True, filters={"label": label})}


def test_run_wait_checks_the_ports_through_the_engine(ip, remote, unique, client, test_label):
    started = time.time()
    c = ip.run_line_magic(
        "docker", f"run -d --name {unique} -p 7000 --wait=30 {BASE_IMAGE} " + LATE_SERVER.format(after=2)
    )
    returned = time.time()
    said = re.search(r"listening (\S+)", c.logs())
    assert said, "--wait returned before the server inside listened"
    assert float(said.group(1)) <= returned, "--wait returned before the server listened"
    assert returned - started < 15
    assert _names(remote.api, test_label) == {unique}
    assert not client.api.containers(all=True, filters={"label": test_label})  # nothing on this machine's


def test_run_wait_on_a_port_that_never_opens_times_out_there_too(ip, remote, unique, test_label):
    with pytest.raises(
        UsageError, match=r"Timed out after 2s waiting for its published ports.*\n.*never-listens"
    ):
        ip.run_line_magic(
            "docker",
            f"run -d --name {unique} -p 7000 --wait=2 {BASE_IMAGE} sh -c 'echo never-listens; sleep 60'",
        )
    assert _names(remote.api, test_label) == set()  # removed, as on a local engine


def test_url_and_host_port_name_the_engines_machine_and_reach_the_service(ip, node, remote, unique):
    address = f"tcp://{node.ip}:{ENGINE_PORT}"  # the node as a machine on a network
    ip.run_line_magic("config", f"DockerMagics.base_url = {address!r}")
    ip.run_line_magic("config", "DockerMagics.publish_host = '0.0.0.0'")
    c = ip.run_line_magic(
        "docker", f"run -d --name {unique} -p 7000 --wait=30 {BASE_IMAGE} " + LATE_SERVER.format(after=0)
    )
    port = c.host_port(7000)
    assert c.host == node.ip
    assert c.url(7000) == f"http://{node.ip}:{port}"
    with socket.create_connection((c.host, port), timeout=5) as conn:
        assert conn.makefile().readline() == "hello\n"

    # published on the remote machine's loopback: only that machine reaches it, and .url() says so
    ip.run_line_magic("config", "DockerMagics.publish_host = '127.0.0.1'")
    local_only = ip.run_line_magic("docker", f"run -d --name {unique}-lo -p 7000 {BASE_IMAGE} sleep 60")
    with pytest.raises(Exception, match=r"only that machine reaches.*publish_host = '0.0.0.0'"):
        local_only.url(7000)


def test_cp_both_ways_a_build_with_a_context_and_a_volume(ip, remote, unique, tmp_path, test_label):
    src = tmp_path / "note.txt"
    src.write_text("from this machine\n")
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep 60")
    ip.run_line_magic("docker", f"cp {src} {unique}:/tmp/copied.txt")
    back = tmp_path / "back.txt"
    ip.run_line_magic("docker", f"cp {unique}:/tmp/copied.txt {back}")
    assert back.read_text() == "from this machine\n"

    context = tmp_path / "ctx"
    context.mkdir()
    (context / "payload.txt").write_text(f"{unique} in the context\n")
    ip.run_cell_magic(
        "dockerfile",
        f"-t {unique}-img:1 --context {context}",
        f"FROM {BASE_IMAGE}\nCOPY payload.txt /payload.txt\n",
    )
    assert remote.api.images(name=f"{unique}-img")  # built there
    ip.run_line_magic("docker", f"volume create {unique}-vol")
    ip.run_line_magic("docker", f"run --rm -v {unique}-vol:/data {unique}-img:1 cp /payload.txt /data/kept")
    done = ip.run_line_magic("docker", f"run --rm -v {unique}-vol:/data {BASE_IMAGE} cat /data/kept")
    assert done.stdout == f"{unique} in the context\n"
    assert [v["Name"] for v in remote.api.volumes(filters={"label": test_label})["Volumes"]] == [
        f"{unique}-vol"
    ]
    remote.api.remove_image(f"{unique}-img:1", force=True)


def test_exec_and_the_terminals_stream(ip, remote, unique):
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep 60")
    done = ip.run_line_magic("dexec", f"{unique} sh -c 'echo $((6*7)); hostname'")
    assert done.stdout.split()[0] == "42"
    t = ip.run_line_magic("docker", f"exec -it {unique} bash")
    try:
        t.wait_for(r"# ")
        t.send("echo $((7*6))-from-the-terminal\n")
        t.wait_for(r"^42-from-the-terminal", timeout=10)
    finally:
        t.close()
    shell = ip.run_line_magic("docker", f"run -it --rm --name {unique}-it {BASE_IMAGE} bash")
    shell.wait_for(r"# ")
    shell.send("exit 0\n")
    assert shell.wait_closed(10)


def test_the_reaper_cleans_the_remote_engine_after_sigkill(kernels, node, remote, unique, test_label):
    k = kernels(test_label)
    k.run(
        f"%config DockerMagics.base_url = {node.address!r}\n"
        f"%docker run -d --rm --name {unique}-a {BASE_IMAGE} sleep 300\n"
        f"%docker run -d --name {unique}-b {BASE_IMAGE} sleep 300\n"
    )
    [watchdog] = k.watchdog_pids()
    assert _names(remote.api, test_label) == {f"{unique}-a", f"{unique}-b"}
    k.sigkill()
    seconds = wait_until(lambda: _names(remote.api, test_label) == {f"{unique}-b"}, 30)
    print(f"\nremote engine, SIGKILL: clean after {seconds} s")
    assert seconds is not None
    assert wait_until(lambda: not alive(watchdog), 15) is not None
