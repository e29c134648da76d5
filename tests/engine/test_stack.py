"""stack deploy/ls/ps/services/rm on a real swarm (an engine in a container, tests/nodes.py),
against `docker stack` on the same swarm: the same services, labels and networks, the same
listings, and stacks made by either seen and removed by the other."""

from __future__ import annotations

import json
import re
import subprocess
import time

import pytest
from IPython.core.error import UsageError

from tests.nodes import docker_on

pytestmark = pytest.mark.engine

# Every key the CLI reads in both docker.io's 20.10 (which needs a version) and a 28.x CLI.
STACK_FILE = """\
version: "3.8"
services:
  web:
    image: debian:bookworm
    command: sleep infinity
    environment: {B: "2", A: "1"}
    labels: {x.k: z}
    ports: ["18080:80", {target: 81, published: 18081, mode: host}, "82"]
    volumes: [data:/data, /tmp:/host:ro, {type: tmpfs, target: /t, tmpfs: {size: 1000}}]
    hostname: h
    working_dir: /w
    user: root
    entrypoint: ["/usr/bin/env"]
    healthcheck: {test: ["CMD", "true"], interval: 5s, retries: 2}
    deploy:
      replicas: 2
      labels: {d.k: v}
      placement: {constraints: [node.role == manager], max_replicas_per_node: 2}
      resources: {limits: {cpus: "0.5", memory: 64M}, reservations: {memory: 16M}}
      update_config: {parallelism: 2, delay: 1s, order: start-first}
      rollback_config: {parallelism: 1, failure_action: continue}
      restart_policy: {condition: on-failure, max_attempts: 3}
  job:
    image: debian:bookworm
    command: ["true"]
    restart: "on-failure:2"
    networks: {back: {aliases: [worker]}}
    deploy: {mode: global, endpoint_mode: dnsrr}
networks:
  back: {driver_opts: {com.x: val}, attachable: true, labels: {nk: l}}
volumes:
  data: {labels: {vk: l}}
"""

SMALL_FILE = """\
version: "3.8"
services:
  app:
    image: debian:bookworm
    command: sleep infinity
    ports: ["80"]
"""


@pytest.fixture(scope="module")
def manager(node_set):
    (node,) = node_set(1)
    inner = node.client()
    inner.swarm.init(advertise_addr=node.ip)
    yield node, inner
    inner.close()


@pytest.fixture
def swarm_ip(ip, manager):
    """The test shell, its engine the swarm's manager."""
    node, _ = manager
    ip.run_line_magic("config", f"DockerMagics.base_url = {node.address!r}")
    yield ip
    ip.run_line_magic("config", "DockerMagics.base_url = None")


def cli(node, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """The docker CLI on the node (argument list, no shell)."""
    return docker_on(node, *args, check=check)


def magic(ip, line: str, capsys) -> tuple[str, str]:
    """Run ``%docker LINE``; what it printed and returned as text (out), and its errors."""
    capsys.readouterr()
    result = ip.run_line_magic("docker", line)
    out, err = capsys.readouterr()
    return out + (str(result) + "\n" if result is not None else ""), err


def _without_session_labels(value):
    if isinstance(value, dict):
        return {
            k: _without_session_labels(v)
            for k, v in value.items()
            if not (isinstance(k, str) and k.startswith("dockermagic."))
        }
    if isinstance(value, list):
        return [_without_session_labels(v) for v in value]
    return value


def snapshot(api, namespace: str) -> dict:
    """The stack's services (their specs) and networks as the engine has them, by name, with the
    namespace written as STACK, network ids as names, and no session labels."""
    label = {"label": f"com.docker.stack.namespace={namespace}"}
    networks = {n["Id"]: n for n in (api.inspect_network(n["Id"]) for n in api.networks(filters=label))}
    out: dict = {"services": {}, "networks": {}}
    for s in api.services(filters=label):
        spec = api.inspect_service(s["ID"])["Spec"]
        for attachment in spec["TaskTemplate"].get("Networks") or []:
            attachment["Target"] = networks[attachment["Target"]]["Name"]
        out["services"][spec["Name"]] = spec
    for n in networks.values():
        options = {k: v for k, v in (n.get("Options") or {}).items() if "vxlanid" not in k}
        out["networks"][n["Name"]] = {
            "Driver": n["Driver"],
            "Scope": n["Scope"],
            "Labels": n["Labels"],
            "Options": options,
            "Attachable": n["Attachable"],
            "Internal": n["Internal"],
            "Ingress": n["Ingress"],
        }
    text = json.dumps(_without_session_labels(out), sort_keys=True).replace(namespace, "STACK")
    return json.loads(text)


def wait_gone(api, namespace: str, within: float = 60) -> None:
    label = {"label": f"com.docker.stack.namespace={namespace}"}
    deadline = time.monotonic() + within
    while api.services(filters=label) or api.networks(filters=label) or api.containers(all=True):
        assert time.monotonic() < deadline, "the stack's services, networks or containers stayed"
        time.sleep(0.5)


def wait_running(api, namespace: str, count: int, within: float = 90) -> None:
    label = {"label": f"com.docker.stack.namespace={namespace}"}
    deadline = time.monotonic() + within
    while sum(t["Status"]["State"] == "running" for t in api.tasks(filters=label)) < count:
        assert time.monotonic() < deadline, f"{namespace}: fewer than {count} tasks running"
        time.sleep(0.5)


def test_deploy_makes_what_the_cli_makes(swarm_ip, manager, tmp_path, capsys):
    node, inner = manager
    path = tmp_path / "stack.yml"
    path.write_text(STACK_FILE)
    out, err = magic(swarm_ip, f"stack deploy -c {path} dmsa", capsys)
    assert out.splitlines() == [
        "Creating network dmsa_back",
        "Creating network dmsa_default",
        "Creating service dmsa_job",
        "Creating service dmsa_web",
    ]
    assert "Ignoring unsupported options: restart" in err
    ours = snapshot(inner.api, "dmsa")
    out, _ = magic(swarm_ip, "stack rm dmsa", capsys)
    assert out.splitlines()[:2] == ["Removing service dmsa_job", "Removing service dmsa_web"]
    assert sorted(out.splitlines()[2:]) == ["Removing network dmsa_back", "Removing network dmsa_default"]
    wait_gone(inner.api, "dmsa")

    made = cli(node, "stack", "deploy", "-c", str(path), "dmsb")
    assert "Ignoring unsupported options: restart" in made.stderr
    try:
        theirs = snapshot(inner.api, "dmsb")
    finally:
        cli(node, "stack", "rm", "dmsb")
        wait_gone(inner.api, "dmsb")
    assert sorted(ours["services"]) == ["STACK_job", "STACK_web"]
    assert ours == theirs


def test_listings_as_the_cli_prints_them_on_a_stack_either_made(swarm_ip, manager, tmp_path, capsys):
    node, inner = manager
    path = tmp_path / "small.yml"
    path.write_text(SMALL_FILE)
    cli(node, "stack", "deploy", "-c", str(path), "dmsc")  # made by the CLI
    magic(swarm_ip, f"stack deploy -c {path} dmsd", capsys)  # made here
    try:
        wait_running(inner.api, "dmsc", 1)
        wait_running(inner.api, "dmsd", 1)
        listed = cli(node, "stack", "ls").stdout
        if "ORCHESTRATOR" in listed:  # docker.io 20.10's third column, gone from current CLIs
            listed = "".join(
                re.sub(r"\s+(ORCHESTRATOR|Swarm)$", "", line) + "\n" for line in listed.splitlines()
            )
        assert magic(swarm_ip, "stack ls", capsys)[0] == listed
        assert magic(swarm_ip, "stack ls --format '{{.Name}}:{{.Services}}'", capsys)[0] == "dmsc:1\ndmsd:1\n"
        for stack in ("dmsc", "dmsd"):
            assert (
                magic(swarm_ip, f"stack services {stack}", capsys)[0]
                == cli(node, "stack", "services", stack).stdout
            )
            assert (
                magic(swarm_ip, f"stack services -q {stack}", capsys)[0]
                == cli(node, "stack", "services", "-q", stack).stdout
            )
            ps_ours = magic(swarm_ip, f"stack ps {stack}", capsys)[0]
            ps_cli = cli(node, "stack", "ps", stack).stdout
            ago = re.compile(r"(Running\s+)(.*?ago)(\s*)")  # the CLI runs a moment later
            assert ago.sub(r"\1AGO", ps_ours).split() == ago.sub(r"\1AGO", ps_cli).split()
            assert len(ps_ours.splitlines()) == 2 and node.name in ps_ours
    finally:
        out, _ = magic(swarm_ip, "stack rm dmsc", capsys)  # the CLI's stack, removed here
        assert out.splitlines() == ["Removing service dmsc_app", "Removing network dmsc_default"]
        removed = cli(node, "stack", "rm", "dmsd")  # ours, removed by the CLI
        assert removed.stdout.splitlines() == ["Removing service dmsd_app", "Removing network dmsd_default"]
    wait_gone(inner.api, "dmsc")
    wait_gone(inner.api, "dmsd")


def test_a_second_deploy_updates_in_place_and_prunes(swarm_ip, manager, tmp_path, capsys):
    node, inner = manager
    path = tmp_path / "stack.yml"
    path.write_text(SMALL_FILE + "  other:\n    image: debian:bookworm\n    command: sleep infinity\n")
    magic(swarm_ip, f"stack deploy -c {path} dmse", capsys)
    try:
        first = {s["Spec"]["Name"]: s["ID"] for s in inner.api.services()}
        smaller = tmp_path / "smaller.yml"  # without 'other'
        smaller.write_text(SMALL_FILE)
        more = tmp_path / "more.yml"  # a second file merged over it
        more.write_text("services:\n  app:\n    deploy: {replicas: 2}\n")
        out, err = magic(swarm_ip, f"stack deploy --prune -c {smaller} -c {more} dmse", capsys)
        assert out.splitlines() == [
            "Removing service dmse_other",
            f"Updating service dmse_app (id: {first['dmse_app']})",
        ]
        assert [s["Spec"]["Name"] for s in inner.api.services()] == ["dmse_app"]
        spec = inner.api.inspect_service("dmse_app")["Spec"]
        assert spec["Mode"]["Replicated"]["Replicas"] == 2
        assert "could not be accessed on a registry" in err  # no registry here: the CLI's warning
    finally:
        magic(swarm_ip, "stack rm dmse", capsys)
    wait_gone(inner.api, "dmse")


def test_bad_stacks_are_one_line(swarm_ip, manager, tmp_path, capsys):
    path = tmp_path / "stack.yml"
    path.write_text(
        "services:\n  a:\n    image: debian:bookworm\n    networks: [outside]\nnetworks:\n  outside: {external: true}\n"
    )
    for line, words in [
        (f"stack deploy -c {path} dmsf", 'network "outside" is declared as external, but could not be found'),
        (f"stack deploy -c {tmp_path}/missing.yml dmsf", "missing.yml: No such file or directory"),
        ("stack ps dmsf", "nothing found in stack: dmsf"),
    ]:
        with pytest.raises(UsageError) as caught:
            swarm_ip.run_line_magic("docker", line)
        assert words in str(caught.value) and "\n" not in str(caught.value)
    assert manager[1].api.services() == []


def test_stacks_on_an_engine_that_is_no_manager_are_one_line(ip):
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("docker", "stack ls")
    assert "not a swarm manager" in str(caught.value)


def test_quiet_and_waiting_deploy_and_rm(swarm_ip, manager, tmp_path, capsys):
    _, inner = manager
    path = tmp_path / "stack.yml"
    path.write_text(SMALL_FILE.replace('ports: ["80"]', "deploy: {replicas: 2}"))
    out, _ = magic(swarm_ip, f"stack deploy -q --detach=false -c {path} dmsg", capsys)
    try:
        # waited for: both tasks run when it returns, and -q printed no progress line
        running = [
            t for t in inner.api.tasks(filters={"service": "dmsg_app"}) if t["Status"]["State"] == "running"
        ]
        assert len(running) == 2
        assert "Creating" not in out
    finally:
        out, _ = magic(swarm_ip, "stack rm --detach=false dmsg", capsys)
    assert "Waiting for the stack to be removed" in out
    # waited for: no task of the stack runs any more when rm returns
    tasks = inner.api.tasks(filters={"label": "com.docker.stack.namespace=dmsg"})
    assert all(t["Status"]["State"] in ("shutdown", "complete", "failed", "remove") for t in tasks), tasks
    wait_gone(inner.api, "dmsg")
