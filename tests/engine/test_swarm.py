"""Swarm on a one-node swarm: an engine in a container (``tests/nodes.py``), never the main engine.

``%docker swarm init`` makes the node a manager; then the node, service and task commands run
against it through ``%config DockerMagics.base_url``, each compared with the docker CLI run on the
same node (``DOCKER_HOST=tcp://127.0.0.1:PORT docker ...``). The node is started once for the
module and removed with everything on it at the end.
"""

from __future__ import annotations

import re
import signal
import threading
import time
import urllib.request

import pytest

from tests.conftest import BASE_IMAGE
from tests.nodes import docker_on

pytestmark = pytest.mark.engine

WEB_PORT = 8081  # the web service's port on the routing mesh
HOST_PORT = 8080  # a mode=host port, which the node publishes on 127.0.0.1 too
# A web server from what debian:bookworm has (perl-base): each answer names the task's container.
SERVER = (
    "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalPort => 80, Listen => 5, ReuseAddr => 1) or die;"
    ' while ($c = $s->accept) { <$c>; print $c "HTTP/1.0 200 OK\\r\\n\\r\\nhello from $ENV{HOSTNAME}\\n"; close $c }\''
)
AGO = re.compile(
    r"(Running|Shutdown|Pending|Ready|Preparing|Starting|Assigned|Accepted|New|Complete|Failed|Rejected) "
    r"(less than a second|about a minute|\d+ \w+) ago"
)


@pytest.fixture(scope="module")
def swarm(node_set, shell):
    """The node, made a one-node swarm by ``%docker swarm init``; what init printed."""
    (node,) = node_set(1, publish=[HOST_PORT])
    shell.run_line_magic("config", f"DockerMagics.base_url = {node.address!r}")
    shell.run_line_magic("config", "DockerMagics.short_errors = True")
    try:
        init = shell.run_line_magic("docker", f"swarm init --advertise-addr {node.ip}")
        yield node, str(init)
    finally:
        try:
            shell.run_line_magic("docker", "swarm leave --force")
        except Exception:
            pass
        shell.run_line_magic("config", "DockerMagics.base_url = None")


@pytest.fixture
def dm(swarm, shell):
    """``dm("service ls")``: a %docker line on the node."""
    return lambda line: shell.run_line_magic("docker", line)


def cli(node, *args: str, check: bool = True) -> str:
    """The docker CLI on the node (``DOCKER_HOST``); its stdout."""
    return docker_on(node, *args, check=check, timeout=300).stdout


def settled(text: str) -> str:
    """Task tables with relative times read alike (the CLI runs a moment later)."""
    return AGO.sub(lambda m: f"{m.group(1)} SOME TIME ago", str(text)).rstrip("\n")


def captured(shell):
    """Collect what the session writes (progress lines) into a list of (time, line)."""
    session = shell.magics_manager.registry["DockerMagics"].session
    seen: list[tuple[float, str]] = []
    before = session.out
    session.out = lambda text: seen.extend((time.monotonic(), line) for line in text.splitlines())
    return session, before, seen


def test_init_prints_the_join_command_and_join_token_is_the_clis(swarm, dm):
    node, init = swarm
    token = cli(node, "swarm", "join-token", "-q", "worker").strip()
    assert init.startswith("Swarm initialized: current node (") and "is now a manager." in init
    assert f"docker swarm join --token {token} {node.ip}:2377" in init
    for role in ("worker", "manager"):
        assert str(dm(f"swarm join-token {role}")).rstrip("\n") == cli(
            node, "swarm", "join-token", role
        ).rstrip("\n")
        assert str(dm(f"swarm join-token -q {role}")) == cli(node, "swarm", "join-token", "-q", role).strip()
    assert str(dm("swarm ca")) == cli(node, "swarm", "ca").strip()


def test_node_ls_and_inspect_are_the_clis(swarm, dm):
    node, _ = swarm
    assert str(dm("node ls")) == cli(node, "node", "ls").rstrip("\n")
    assert str(dm("node ls -q")) == cli(node, "node", "ls", "-q").strip()
    template = "{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}} {{.Self}}"
    assert str(dm(f"node ls --format '{template}'")) == cli(node, "node", "ls", "--format", template).strip()
    template = "{{.ID}} {{.Status.State}} {{.Spec.Role}} {{.Spec.Availability}} {{.ManagerStatus.Leader}}"
    assert (
        str(dm(f"node inspect -f '{template}' self"))
        == cli(node, "node", "inspect", "-f", template, "self").strip()
    )


def test_node_update_drains_and_labels_the_node(swarm, dm):
    node, _ = swarm
    assert str(dm("node update --availability drain --label-add zone=a self")) == "self"
    assert "Drain" in cli(node, "node", "ls")
    assert cli(node, "node", "inspect", "-f", "{{.Spec.Availability}} {{.Spec.Labels}}", "self").strip() == (
        "drain map[zone:a]"
    )
    dm("node update --availability active --label-rm zone self")
    assert cli(node, "node", "inspect", "-f", "{{.Spec.Availability}} {{.Spec.Labels}}", "self").strip() == (
        "active map[]"
    )


def test_swarm_update_autolock_unlock_key_and_roles(swarm, dm):
    node, _ = swarm
    with pytest.raises(Exception) as failed:
        dm("swarm unlock-key")
    assert "no unlock key is set" in str(failed.value) and "\n" not in str(failed.value)
    assert str(dm("swarm update --task-history-limit 3")) == "Swarm updated."
    assert (
        cli(node, "info", "-f", "{{.Swarm.Cluster.Spec.Orchestration.TaskHistoryRetentionLimit}}").strip()
        == "3"
    )
    updated = str(dm("swarm update --autolock"))
    key = cli(node, "swarm", "unlock-key", "-q").strip()
    assert updated.startswith("Swarm updated.") and key in updated
    assert str(dm("swarm unlock-key -q")) == key
    # current CLIs' words; docker.io's 20.10 says "Please remember" where they say "Remember"
    theirs = cli(node, "swarm", "unlock-key").replace("Please remember", "Remember")
    assert str(dm("swarm unlock-key")).rstrip("\n") == theirs.rstrip("\n")
    dm("swarm update --autolock=false")
    assert (
        cli(node, "info", "-f", "{{.Swarm.Cluster.Spec.EncryptionConfig.AutoLockManagers}}").strip()
        == "false"
    )
    assert str(dm("node promote self")) == "Node self is already a manager."
    with pytest.raises(Exception) as failed:  # the engine's own refusal, in one line
        dm("node demote self")
    assert "\n" not in str(failed.value) and "manager" in str(failed.value)


@pytest.fixture(scope="module")
def web(swarm, shell):
    """A service of 3 replicas publishing port 80 as 8081 on the mesh, made by ``%docker service create``
    (which waits for convergence), with the progress lines it wrote."""
    session, before, seen = captured(shell)
    try:
        start = time.monotonic()
        handle = shell.run_line_magic(
            "docker",
            f"service create --name web --replicas 3 -p {WEB_PORT}:80 -l purpose=test --stop-grace-period 1s "
            "--update-monitor 1s --rollback-monitor 1s "
            f"{BASE_IMAGE} {SERVER}",
        )
        took = time.monotonic() - start
    finally:
        session.out = before
    yield handle, seen, took


def test_service_create_waits_for_convergence_and_returns_a_handle(swarm, web):
    node, _ = swarm
    handle, seen, _ = web
    lines = [line for _, line in seen]
    assert lines[0] == handle.id and lines[-1] == "verify: Service converged"
    assert {f"{slot}/3: running" for slot in (1, 2, 3)} <= set(lines)
    # it waited: every task runs once create returns
    running = [t for t in handle.tasks() if t["Status"]["State"] == "running"]
    assert len(running) == 3
    assert handle.name == "web" and handle.replicas == 3 and handle.labels["purpose"] == "test"
    assert handle.labels["dockermagic.session"]  # the session's labels, for the clean-up
    assert (80, WEB_PORT, "tcp", "ingress") in handle.ports


def test_a_mode_host_port_answers_on_the_node(swarm, dm):
    """The routing mesh needs the kernel's IPVS, which this machine's kernel does not offer to the
    node (its dockerd logs that /proc/sys/net/ipv4/vs is missing): a mode=host port is reached."""
    node, _ = swarm
    handle = dm(
        f"service create --name direct --mode global -p published={HOST_PORT},target=80,mode=host {BASE_IMAGE} {SERVER}"
    )
    assert (80, HOST_PORT, "tcp", "host") in handle.ports
    answer = ""
    deadline = time.monotonic() + 30
    while not answer and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{node.ports[HOST_PORT]}/", timeout=5) as reply:
                answer = reply.read().decode().strip()
        except OSError:
            time.sleep(0.5)
    task = handle.tasks(running=True)[0]
    assert answer == f"hello from {task['Status']['ContainerStatus']['ContainerID'][:12]}"
    handle.remove()


def test_service_ls_ps_and_inspect_are_the_clis(swarm, dm, web):
    node, _ = swarm
    assert str(dm("service ls")) == cli(node, "service", "ls").rstrip("\n")
    assert str(dm("service ls -q")) == cli(node, "service", "ls", "-q").strip()
    template = "{{.Name}} {{.Mode}} {{.Replicas}} {{.Image}} {{.Ports}}"
    assert (
        str(dm(f"service ls --format '{template}'"))
        == cli(node, "service", "ls", "--format", template).strip()
    )
    assert settled(dm("service ps web")) == settled(cli(node, "service", "ps", "web"))
    assert str(dm("service ps -q web")) == cli(node, "service", "ps", "-q", "web").strip()
    template = "{{.Name}} {{.Node}} {{.DesiredState}}"
    assert (
        str(dm(f"service ps --format '{template}' web"))
        == cli(node, "service", "ps", "--format", template, "web").strip()
    )
    assert str(dm("node ps -q")) == cli(node, "node", "ps", "-q").strip()
    assert settled(dm("node ps")) == settled(cli(node, "node", "ps"))
    for template in (
        "{{.Spec.Name}} {{.Spec.Mode.Replicated.Replicas}} {{.Spec.Labels}}",
        "{{json .Spec.EndpointSpec.Ports}}",
        "{{range .Endpoint.Ports}}{{.PublishedPort}}->{{.TargetPort}}/{{.Protocol}} {{.PublishMode}}{{end}}",
        "{{.Spec.TaskTemplate.ContainerSpec.Image}} {{.Spec.TaskTemplate.ContainerSpec.Args}}",
    ):
        assert (
            str(dm(f"service inspect -f '{template}' web"))
            == cli(node, "service", "inspect", "-f", template, "web").strip()
        ), template


def test_service_views_have_three_faces(swarm, dm, web):
    table = dm("service ps web")
    assert table.by_node() == {table[0]["Node"]: ["web.1", "web.2", "web.3"]}
    html = table.html()
    assert "<table" in html and "Running" in html and "&lt;" not in table.text()
    assert list(table.to_pandas().columns) == [
        "ID",
        "NAME",
        "IMAGE",
        "NODE",
        "DESIRED STATE",
        "CURRENT STATE",
        "ERROR",
        "PORTS",
    ]
    services = dm("service ls")
    assert services.to_pandas().loc[0, "REPLICAS"] == "3/3"


def test_scale_and_a_rolling_update_then_rollback(swarm, dm, shell, web):
    node, _ = swarm
    session, before, seen = captured(shell)
    try:
        dm("service scale web=2")
        dm("service update --update-parallelism 1 --update-delay 2s --env-add COLOR=blue web")
    finally:
        session.out = before
    lines = [line for _, line in seen]
    assert lines[0] == "web scaled to 2" and lines.count("verify: Service converged") == 2
    inspect = (
        "{{.Spec.TaskTemplate.ContainerSpec.Env}} {{.Spec.UpdateConfig.Parallelism}} {{.UpdateStatus.State}}"
    )
    assert cli(node, "service", "inspect", "-f", inspect, "web").strip() == "[COLOR=blue] 1 completed"
    # one task at a time, 2 s apart: the new tasks started at least the delay apart
    new = sorted(
        t["Status"]["Timestamp"] for t in web[0].tasks(running=True) if t["Status"]["State"] == "running"
    )
    assert len(new) == 2
    started = [time.mktime(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")) for stamp in new]
    assert started[1] - started[0] >= 2
    dm("service rollback -q web")
    assert (
        cli(node, "service", "inspect", "-f", "{{.Spec.TaskTemplate.ContainerSpec.Env}}", "web").strip()
        == "[]"
    )
    handle = web[0].scale(3)  # the handle asks, and does not wait
    assert handle.replicas == 3
    assert cli(node, "service", "inspect", "-f", "{{.Spec.Mode.Replicated.Replicas}}", "web").strip() == "3"


def test_logs_are_the_clis_and_follow_stops_on_an_interrupt(swarm, dm, web):
    node, _ = swarm
    talk = dm(
        f"service create -d --name talk --replicas 2 {BASE_IMAGE} sh -c 'echo hello from $HOSTNAME; sleep 600'"
    )
    deadline = time.monotonic() + 60
    while cli(node, "service", "logs", "talk").count("hello") < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    ours = sorted(str(dm("service logs talk")).splitlines())
    assert ours == sorted(cli(node, "service", "logs", "talk").splitlines()) and len(ours) == 2
    assert sorted(str(dm("service logs --raw talk")).splitlines()) == sorted(
        cli(node, "service", "logs", "--raw", "talk").splitlines()
    )
    assert sorted(str(dm("service logs -t --no-task-ids talk")).splitlines()) == sorted(
        cli(node, "service", "logs", "-t", "--no-task-ids", "talk").splitlines()
    )
    assert sorted(talk.logs().splitlines()) == sorted(line.split("| ", 1)[1] for line in ours)
    main = threading.main_thread().ident
    timer = threading.Timer(1.0, signal.pthread_kill, (main, signal.SIGINT))
    start = time.monotonic()
    timer.start()
    view = dm("service logs -f talk")
    took = time.monotonic() - start
    timer.join()
    assert took < 3 and view.note == "stopped following (interrupted)"
    assert sorted(view.lines) == ours
    talk.remove()


def test_an_interrupt_stops_waiting_and_the_service_goes_on(swarm, dm, shell):
    node, _ = swarm
    session, before, seen = captured(shell)
    main = threading.main_thread().ident
    timer = threading.Timer(2.0, signal.pthread_kill, (main, signal.SIGINT))
    timer.start()
    try:  # an image the node does not have: the tasks never run
        handle = dm("service create --name never --replicas 1 dockermagic-absent:1")
    finally:
        timer.join()
        session.out = before
    lines = [line for _, line in seen]
    assert lines[-1].startswith("Stopped waiting (interrupted): the service goes on converging")
    assert "never" in cli(node, "service", "ls", "--format", "{{.Name}}").split()
    shell.run_line_magic("config", "DockerMagics.wait_timeout = 3")
    try:
        with pytest.raises(Exception) as failed:
            dm("service scale never=2")
        assert "did not converge within 3 s" in str(failed.value) and "\n" not in str(failed.value)
    finally:
        shell.run_line_magic("config", "DockerMagics.wait_timeout = 120.0")
    with pytest.raises(Exception) as paused:  # the swarm pauses an update whose tasks fail
        dm("service update --force never")
    assert "update paused" in str(paused.value) and "\n" not in str(paused.value)
    handle.remove()


def test_bad_input_is_one_line(swarm, dm):
    for line, words in (
        ("service create -p 127.0.0.1:80:80 x", "routing mesh"),
        ("service create --mode global --replicas 2 x", "--replicas can only be used"),
        ("service scale web", "SERVICE=REPLICAS"),
        ("node update --availability gone self", 'use "active", "pause" or "drain"'),
        ("service create --secret s x", "--secret is not supported"),
        ("service inspect nothing-here", "No such service: nothing-here"),
    ):
        with pytest.raises(Exception) as failed:
            dm(line)
        assert words in str(failed.value) and "\n" not in str(failed.value), (line, str(failed.value))


def test_service_rm(swarm, dm, web):
    node, _ = swarm
    assert str(dm("service rm web")) == "web"
    assert "web" not in cli(node, "service", "ls", "--format", "{{.Name}}").split()


def test_session_clean_up_removes_services(swarm, dm, shell):
    node, _ = swarm
    dm(f"service create -d --name passing {BASE_IMAGE} sleep 600")
    listed = dm("session")
    assert "passing" in str(listed)
    dm("session rm")
    assert "passing" not in cli(node, "service", "ls", "--format", "{{.Name}}").split()


def test_leave(swarm, dm):
    node, _ = swarm
    assert str(dm("swarm leave --force")) == "Node left the swarm."
    assert cli(node, "info", "-f", "{{.Swarm.LocalNodeState}}").strip() == "inactive"
