"""The compose planner and the create body: what up decides, on recorded states (no engine)."""

from __future__ import annotations

import pytest

from dockermagic.compose import labels as L
from dockermagic.compose.body import creation
from dockermagic.compose.confighash import config_hash
from dockermagic.compose.manage import start_order
from dockermagic.compose.plan import Existing, order, plan
from dockermagic.compose.project import from_text
from dockermagic.errors import CommandError

TEXT = """
services:
  web:
    image: x
    depends_on: {db: {condition: service_healthy}}
    deploy: {replicas: 2}
    ports: ["8080:80", "127.0.0.2::81", "9000"]
    networks: {default: {}, back: {aliases: [www]}}
  db:
    image: y
    environment: {PASSWORD: s3cret}
    volumes: [data:/var/lib/data, ./conf:/etc/conf:ro, {type: tmpfs, target: /tmp}]
    healthcheck: {test: [CMD, ping], interval: 2s, retries: 5}
    restart: on-failure:3
networks:
  back:
volumes:
  data:
"""


@pytest.fixture
def project():
    return from_text(TEXT, "/srv/app", "demo", environ={})


def _existing(project, service, number, running=True, stale=False, image=""):
    digest = "old" if stale else config_hash(project.service(service))
    return Existing(
        f"id-{service}-{number}", f"demo-{service}-{number}", service, number, digest, running, image
    )


def test_order_puts_dependencies_first_and_names_a_cycle(project):
    assert [s.name for s in order(project)] == ["db", "web"]
    cyclic = from_text(
        "services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n",
        "/",
        "p",
        environ={},
    )
    with pytest.raises(CommandError, match="cycle: a -> b -> a"):
        order(cyclic)


# (what exists, scale, force, remove_orphans) -> per service (keep, recreate, create, remove), orphans
CASES = [
    ("nothing yet", [], {}, {"db": ([], [], [1], []), "web": ([], [], [1, 2], [])}, []),
    (
        "all current: nothing changes",
        [("db", 1), ("web", 1), ("web", 2)],
        {},
        {"db": ([1], [], [], []), "web": ([1, 2], [], [], [])},
        [],
    ),
    (
        "a stale config is recreated under its number",
        [("db", 1, True, True), ("web", 1), ("web", 2)],
        {},
        {"db": ([], [1], [], []), "web": ([1, 2], [], [], [])},
        [],
    ),
    ("scale up", [("db", 1), ("web", 1), ("web", 2)], {"web": 4}, {"web": ([1, 2], [], [3, 4], [])}, []),
    ("scale down", [("db", 1), ("web", 1), ("web", 2)], {"web": 1}, {"web": ([1], [], [], [2])}, []),
    ("scale to zero", [("db", 1), ("web", 1), ("web", 2)], {"web": 0}, {"web": ([], [], [], [1, 2])}, []),
    (
        "a missing number is filled",
        [("db", 1), ("web", 2)],
        {},
        {"web": ([2], [], [1], [])},
        [],
    ),
    (
        "orphans are the services the file no longer has",
        [("db", 1), ("old", 1)],
        {},
        {"db": ([1], [], [], [])},
        ["old"],
    ),
]


@pytest.mark.parametrize("title, have, scale, expected, orphans", CASES, ids=[c[0] for c in CASES])
def test_plan_cases(project, title, have, scale, expected, orphans):
    existing = [
        Existing(f"id-{h[0]}-{h[1]}", f"demo-{h[0]}-{h[1]}", h[0], h[1], "stale", True)
        if h[0] == "old"
        else _existing(project, h[0], h[1], *h[2:])
        for h in have
    ]
    decided = plan(project, existing, scale)
    for step in decided.steps:
        if step.service.name not in expected:
            continue
        keep, recreate, create, remove = expected[step.service.name]
        assert [e.number for e in step.keep] == keep
        assert [e.number for e in step.recreate] == recreate
        assert step.create == create
        assert [e.number for e in step.remove] == remove
    assert [o.service for o in decided.orphans] == orphans


def test_force_no_recreate_and_a_new_image(project):
    current = [_existing(project, "db", 1, image="sha256:a")]
    assert [e.number for e in plan(project, current, force_recreate=True).steps[0].recreate] == [1]
    stale = [_existing(project, "db", 1, stale=True)]
    assert [e.number for e in plan(project, stale, no_recreate=True).steps[0].keep] == [1]
    rebuilt = plan(project, current, images={"db": "sha256:b"})
    assert [e.number for e in rebuilt.steps[0].recreate] == [1]
    assert plan(project, current, images={"db": "sha256:a"}).steps[0].keep


def test_stopped_containers_are_kept_and_count_as_a_change(project):
    step = plan(project, [_existing(project, "db", 1, running=False)]).steps[0]
    assert [e.number for e in step.keep] == [1] and step.changes


def test_scale_of_an_unknown_service_or_a_named_container(project):
    with pytest.raises(CommandError, match="No service 'nope'"):
        plan(project, [], {"nope": 2})
    named = from_text("services:\n  a: {image: x, container_name: fixed}\n", "/", "p", environ={})
    with pytest.raises(CommandError, match="container_name 'fixed' and cannot run 2 replicas"):
        plan(named, [], {"a": 2})


def test_create_body_binds_ports_to_the_publish_host_and_carries_compose_labels(project):
    web = project.service("web")
    made = creation(
        project, web, 2, "x", "sha256:img", config_hash(web), "127.0.0.1", {"dockermagic.session": "s1"}
    )
    body = made.body
    assert made.name == "demo-web-2"
    assert body["HostConfig"]["PortBindings"] == {
        "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}],
        "81/tcp": [{"HostIp": "127.0.0.2", "HostPort": ""}],
        "9000/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
    }
    labels = body["Labels"]
    assert labels["dockermagic.session"] == "s1"
    assert labels[L.PROJECT] == "demo" and labels[L.SERVICE] == "web" and labels[L.NUMBER] == "2"
    assert labels[L.ONEOFF] == "False" and labels[L.CONFIG_HASH] == config_hash(web)
    assert labels[L.WORKING_DIR] == "/srv/app" and labels[L.IMAGE] == "sha256:img"
    assert labels[L.DEPENDS_ON] == "db:service_healthy:false"
    assert body["HostConfig"]["NetworkMode"] == "demo_default"
    assert body["NetworkingConfig"] == {"EndpointsConfig": {"demo_default": {"Aliases": ["web"]}}}
    assert made.later_networks == (("demo_back", ("web", "www")),)


def test_create_body_mounts_health_and_restart(project):
    db = project.service("db")
    body = creation(project, db, 1, "y", "", config_hash(db), "0.0.0.0", {}).body
    host = body["HostConfig"]
    assert host["Binds"] == ["/srv/app/conf:/etc/conf:ro"]
    assert host["Mounts"] == [
        {"Type": "volume", "Source": "demo_data", "Target": "/var/lib/data", "ReadOnly": False},
        {"Type": "tmpfs", "Target": "/tmp", "ReadOnly": False},
    ]
    assert host["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 3}
    assert body["Healthcheck"] == {"Test": ["CMD", "ping"], "Interval": 2 * 10**9, "Retries": 5}
    assert body["Env"] == ["PASSWORD=s3cret"]
    assert "Cmd" not in body and "Entrypoint" not in body


def test_down_order_reads_compose_depends_on_labels():
    def c(name, service, deps=""):
        return {"Id": name, "Names": [f"/{name}"], "Labels": {L.SERVICE: service, L.DEPENDS_ON: deps}}

    found = [
        c("p-web-1", "web", "api:service_started:false"),
        c("p-api-1", "api", "db:service_healthy:false"),
        c("p-db-1", "db"),
    ]
    assert [x["Id"] for x in start_order(found)] == ["p-db-1", "p-api-1", "p-web-1"]
