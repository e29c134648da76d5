"""%%compose and %docker compose on the real engine: up, idempotence, recreate by config hash,
orphans, depends_on conditions, --wait (live, and its failure), scale, profiles, the Stack."""

from __future__ import annotations

import time

import pytest
from IPython.core.error import UsageError

pytestmark = pytest.mark.engine

IMAGE = "debian:bookworm"


def compose(ip, line: str, cell: str):
    return ip.run_cell_magic("compose", line, cell)


def containers(client, project: str) -> dict[str, dict]:
    """name -> the engine's summary, for this project's containers."""
    found = client.api.containers(all=True, filters={"label": f"com.docker.compose.project={project}"})
    return {c["Names"][0].lstrip("/"): c for c in found}


def file(*services: str, top: str = "") -> str:
    return "services:\n" + "".join(services) + top


# a process that ends on SIGTERM (a bare sleep as PID 1 ignores it, and every stop would wait 10 s)
SLEEP = """[sh, -c, "trap 'exit 0' TERM; sleep infinity & wait"]"""


def sleeper(name: str, extra: str = "") -> str:
    return f"  {name}:\n    image: {IMAGE}\n    command: {SLEEP}\n{extra}"


def test_up_is_idempotent_recreates_what_changed_and_removes_orphans(ip, client, unique):
    project = unique
    first = file(sleeper("a"), sleeper("b"))
    stack = compose(ip, f"-p {project}", first)
    made = containers(client, project)
    assert sorted(made) == [f"{project}-a-1", f"{project}-b-1"]
    assert all(c["State"] == "running" for c in made.values())
    assert [row["SERVICE"] for row in stack.rows] == ["a", "b"]

    compose(ip, f"-p {project} up", first)  # unchanged: the same containers keep running
    again = containers(client, project)
    assert {n: c["Id"] for n, c in again.items()} == {n: c["Id"] for n, c in made.items()}

    changed = file(sleeper("a"), f"  b:\n    image: {IMAGE}\n    command: sleep 1000000\n")
    compose(ip, f"-p {project}", changed)
    after = containers(client, project)
    assert after[f"{project}-a-1"]["Id"] == made[f"{project}-a-1"]["Id"]
    assert after[f"{project}-b-1"]["Id"] != made[f"{project}-b-1"]["Id"]
    assert after[f"{project}-b-1"]["Command"] == "sleep 1000000"

    only_a = file(sleeper("a"))
    compose(ip, f"-p {project}", only_a)  # b is an orphan now, kept without --remove-orphans
    assert f"{project}-b-1" in containers(client, project)
    compose(ip, f"-p {project} up --remove-orphans", only_a)
    assert sorted(containers(client, project)) == [f"{project}-a-1"]

    compose(ip, f"-p {project} down", only_a)
    assert containers(client, project) == {}
    assert client.api.networks(filters={"name": f"{project}_default"}) == []


def test_labels_names_and_ports_as_compose_v2_and_the_session(ip, client, unique):
    project = unique
    compose(
        ip,
        f"-p {project}",
        file(
            sleeper("web", '    ports: ["80", "127.0.0.1:0:81"]\n    volumes: [data:/data]\n'),
            top="volumes:\n  data:\n",
        ),
    )
    doc = client.api.inspect_container(f"{project}-web-1")
    labels = doc["Config"]["Labels"]
    assert labels["com.docker.compose.project"] == project
    assert labels["com.docker.compose.service"] == "web"
    assert labels["com.docker.compose.container-number"] == "1"
    assert labels["com.docker.compose.oneoff"] == "False"
    assert len(labels["com.docker.compose.config-hash"]) == 64
    assert labels["com.docker.compose.image"].startswith("sha256:")
    assert (
        labels["dockermagic.session"]
        and labels["dockermagic.test"] == ip.user_ns["_test_label"].split("=")[1]
    )
    bindings = doc["HostConfig"]["PortBindings"]
    assert bindings["80/tcp"] == [{"HostIp": "127.0.0.1", "HostPort": ""}]
    published = doc["NetworkSettings"]["Ports"]["80/tcp"]
    assert published and all(b["HostIp"] == "127.0.0.1" for b in published)
    network = client.api.inspect_network(f"{project}_default")
    assert network["Labels"]["com.docker.compose.network"] == "default"
    assert network["Labels"]["com.docker.compose.project"] == project
    assert "dockermagic.session" in network["Labels"]
    volume = client.api.inspect_volume(f"{project}_data")
    assert volume["Labels"]["com.docker.compose.volume"] == "data"
    assert "web" in network["Containers"][doc["Id"]]["Name"] or doc["Id"] in network["Containers"]
    aliases = doc["NetworkSettings"]["Networks"][f"{project}_default"]["Aliases"]
    assert "web" in aliases
    ip.run_line_magic("docker", f"compose -p {project} down -v")
    assert client.api.volumes(filters={"name": f"{project}_data"})["Volumes"] in (None, [])


HEALTHY_LATER = f"""
  db:
    image: {IMAGE}
    command: sh -c "sleep 2; touch /tmp/ready; exec sleep infinity"
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 500ms
      retries: 20
  init:
    image: {IMAGE}
    command: sh -c "sleep 1; echo init done"
  app:
    image: {IMAGE}
    command: sleep infinity
    depends_on:
      db: {{condition: service_healthy}}
      init: {{condition: service_completed_successfully}}
"""


def test_depends_on_waits_for_healthy_and_completed_and_wait_shows_states_live(ip, client, unique):
    project = unique
    magics = ip.magics_manager.registry["DockerMagics"]
    heard: list[tuple[float, str]] = []
    original = magics.session.out
    magics.session.out = lambda text: heard.append((time.monotonic(), text))
    try:
        begun = time.monotonic()
        compose(ip, f"-p {project} up --wait", "services:" + HEALTHY_LATER)
        ended = time.monotonic()
    finally:
        magics.session.out = original
    db = client.api.inspect_container(f"{project}-db-1")
    app = client.api.inspect_container(f"{project}-app-1")
    init = client.api.inspect_container(f"{project}-init-1")
    healthy_at = min(entry["End"] for entry in db["State"]["Health"]["Log"] if entry["ExitCode"] == 0)
    # the engine's RFC 3339 times compare as text at equal precision: cut both to microseconds
    assert app["State"]["StartedAt"][:26] > healthy_at[:26]
    assert app["State"]["StartedAt"][:26] > init["State"]["FinishedAt"][:26]
    assert init["State"]["ExitCode"] == 0
    text = "".join(t for _, t in heard)
    assert f"Container {project}-db-1  Waiting" in text and f"Container {project}-db-1  Healthy" in text
    # live: the waiting line came while the wait was still going, seconds before up returned
    waiting_at = next(at for at, t in heard if "db-1  Waiting" in t)
    assert ended - waiting_at > 1.0 and waiting_at - begun < ended - begun - 1.0
    assert text.index("Waiting") < text.index(f"{project}-app-1  Created")


def test_up_wait_failure_names_the_service_and_shows_its_last_log_lines(ip, client, unique):
    project = unique
    broken = file(
        sleeper("ok"),
        f'  bad:\n    image: {IMAGE}\n    command: sh -c "echo marker-of-bad-{project}; exit 3"\n',
    )
    with pytest.raises(UsageError) as caught:
        compose(ip, f"-p {project} up --wait --wait-timeout 30", broken)
    message = str(caught.value)
    assert f"service bad ({project}-bad-1) exited with code 3" in message
    assert f"marker-of-bad-{project}" in message


def test_unhealthy_dependency_stops_up_with_its_logs(ip, client, unique):
    project = unique
    cell = file(
        f'  db:\n    image: {IMAGE}\n    command: sh -c "echo db-says-{project}; exec sleep infinity"\n'
        "    healthcheck: {test: [CMD, 'false'], interval: 300ms, retries: 2}\n",
        f"  app:\n    image: {IMAGE}\n    command: sleep infinity\n"
        "    depends_on: {db: {condition: service_healthy}}\n",
    )
    with pytest.raises(UsageError, match=f"(?s)service db .* is unhealthy.*db-says-{project}"):
        compose(ip, f"-p {project}", cell)
    assert f"{project}-app-1" not in containers(client, project)


def test_replicas_scale_and_profiles(ip, client, unique):
    project = unique
    cell = file(
        sleeper("worker", "    deploy: {replicas: 2}\n"),
        sleeper("debug", "    profiles: [dev]\n"),
    )
    compose(ip, f"-p {project}", cell)
    assert sorted(containers(client, project)) == [f"{project}-worker-1", f"{project}-worker-2"]
    kept = containers(client, project)[f"{project}-worker-1"]["Id"]
    stack = compose(ip, f"-p {project} up --scale worker=3", cell)
    names = sorted(containers(client, project))
    assert names == [f"{project}-worker-{n}" for n in (1, 2, 3)]
    assert containers(client, project)[f"{project}-worker-1"]["Id"] == kept  # scaling keeps the others
    assert stack.rows[0]["REPLICAS"] == "3/3"
    compose(ip, f"-p {project} up --scale worker=1", cell)
    assert sorted(containers(client, project)) == [f"{project}-worker-1"]
    compose(ip, f"-p {project} --profile dev up", cell)
    assert f"{project}-debug-1" in containers(client, project)


def test_stack_handles_url_logs_and_down(ip, client, unique):
    project = unique
    stack = compose(
        ip,
        f"-p {project}",
        file(
            f"  web:\n    image: {IMAGE}\n"
            f"    command: sh -c \"trap 'exit 0' TERM; echo hello-{project}; sleep infinity & wait\"\n"
            '    ports: ["8000"]\n'
        ),
    )
    port = client.api.inspect_container(f"{project}-web-1")["NetworkSettings"]["Ports"]["8000/tcp"][0][
        "HostPort"
    ]
    assert stack.url("web", 8000) == f"http://127.0.0.1:{port}"
    assert stack.service("web").url(8000) == f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while f"hello-{project}" not in stack.logs() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert f"{project}-web-1  | hello-{project}" in stack.logs()
    assert "web" in stack.text() and "running" in stack.text() and "1/1" in stack.text()
    assert f"127.0.0.1:{port}-&gt;8000/tcp" in stack.html() or f"127.0.0.1:{port}->8000/tcp" in stack.html()
    stack.down()
    assert containers(client, project) == {}


def test_exec_run_ps_and_config(ip, client, unique):
    project = unique
    cell = file(sleeper("a", "    environment: {GREETING: hi}\n"))
    compose(ip, f"-p {project}", cell)
    done = ip.run_line_magic("docker", f"compose -p {project} exec a sh -c 'echo $GREETING there'")
    assert done.stdout.strip() == "hi there"
    ran = compose(ip, f"-p {project} run --rm a echo one-off", cell)
    assert ran.stdout.strip() == "one-off"
    assert not [c for c in containers(client, project) if "-run-" in c]
    table = ip.run_line_magic("docker", f"compose -p {project} ps")
    assert [row["NAME"] for row in table] == [f"{project}-a-1"]
    config = compose(ip, f"-p {project} config", cell)
    assert "GREETING" in config.text() and f"name: {project}" in config.text()
    ip.run_line_magic("docker", f"compose -p {project} stop")
    assert containers(client, project)[f"{project}-a-1"]["State"] == "exited"
    ip.run_line_magic("docker", f"compose -p {project} start")
    assert containers(client, project)[f"{project}-a-1"]["State"] == "running"
    ip.run_line_magic("docker", f"compose -p {project} down")
    assert containers(client, project) == {}


def test_a_key_outside_the_subset_is_one_line(ip, unique):
    with pytest.raises(
        UsageError, match=r"'services.a.privileged' \(line 5\): 'privileged' is not supported"
    ):
        compose(
            ip,
            f"-p {unique}",
            f"services:\n  a:\n    image: {IMAGE}\n    command: 'true'\n    privileged: true\n",
        )


def test_build_pull_logs_top_and_restart(ip, client, unique, tmp_path, monkeypatch):
    project = unique
    (tmp_path / "Dockerfile").write_text(f"FROM {IMAGE}\nARG WORD\nRUN echo built-$WORD > /built\n")
    cell = file(
        f"  made:\n    build: {{context: ., args: {{WORD: {project}}}}}\n"
        "    command: [sh, -c, \"trap 'exit 0' TERM; cat /built; sleep infinity & wait\"]\n",
        sleeper("pulled"),
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "compose.yaml").write_text(cell)
    try:
        ip.run_line_magic("docker", f"compose -p {project} build")
        image = client.api.inspect_image(f"{project}-made")
        assert image["Config"]["Labels"]["dockermagic.test"] == ip.user_ns["_test_label"].split("=")[1]
        ip.run_line_magic("docker", f"compose -p {project} pull")  # debian:bookworm, from the engine's mirror
        ip.run_line_magic("docker", f"compose -p {project} up")
        deadline = time.monotonic() + 10
        logs = ""
        while f"built-{project}" not in logs and time.monotonic() < deadline:
            logs = ip.run_line_magic("docker", f"compose -p {project} logs made").text()
            time.sleep(0.2)
        assert f"made-1  | built-{project}" in logs  # compose's prefix: without the project's name
        top = ip.run_line_magic("docker", f"compose -p {project} top pulled").text()
        assert top.splitlines()[0] == f"{project}-pulled-1" and "sleep infinity" in top
        started = containers(client, project)[f"{project}-pulled-1"]
        before = client.api.inspect_container(started["Id"])["State"]["StartedAt"]
        ip.run_line_magic("docker", f"compose -p {project} restart pulled")
        after = client.api.inspect_container(started["Id"])["State"]["StartedAt"]
        assert after > before
        ip.run_line_magic("docker", f"compose -p {project} down")
    finally:
        try:
            client.api.remove_image(f"{project}-made", force=True)
        except Exception:
            pass
    assert containers(client, project) == {}
