"""stack deploy's reading of a compose file (deploy keys, ignored keys, refusals) and the
ServiceSpec and network bodies it makes; the same bodies against the CLI's are in
tests/engine/test_stack.py."""

from __future__ import annotations

import pytest

from dockermagic.commands.registry import parse_line
from dockermagic.commands.stack import StackDeploySpec
from dockermagic.compose import swarm_file
from dockermagic.compose.swarm_spec import network_bodies, service_specs
from dockermagic.errors import CommandError


def _load(tmp_path, text: str, namespace: str = "st"):
    path = tmp_path / "stack.yml"
    path.write_text(text)
    return swarm_file.load([str(path)], namespace, {})


def test_deploy_keys_become_the_service_spec(tmp_path):
    stack = _load(
        tmp_path,
        """
services:
  web:
    image: debian:bookworm
    command: sleep infinity
    environment: {B: "2", A: "1"}
    ports: ["8080:80", {target: 81, published: 8081, mode: host}, "82"]
    deploy:
      replicas: 3
      placement: {constraints: [node.role == worker], preferences: [spread: node.labels.zone], max_replicas_per_node: 2}
      resources: {limits: {cpus: "0.5", memory: 64M, pids: 10}, reservations: {memory: 16M}}
      update_config: {parallelism: 2, delay: 1s, order: start-first, failure_action: rollback}
      restart_policy: {condition: on-failure, max_attempts: 3, window: 10s}
      labels: [tier=front]
""",
    )
    spec = service_specs(stack, "st", {"dockermagic.session": "s1"})["st_web"]
    assert spec["Name"] == "st_web"
    assert spec["Labels"] == {
        "tier": "front",
        "dockermagic.session": "s1",
        "com.docker.stack.namespace": "st",
        "com.docker.stack.image": "debian:bookworm",
    }
    task = spec["TaskTemplate"]
    assert task["ContainerSpec"]["Args"] == ["sleep", "infinity"]
    assert task["ContainerSpec"]["Env"] == ["A=1", "B=2"]
    assert task["Placement"] == {
        "Constraints": ["node.role == worker"],
        "Preferences": [{"Spread": {"SpreadDescriptor": "node.labels.zone"}}],
        "MaxReplicas": 2,
    }
    assert task["Resources"] == {
        "Limits": {"NanoCPUs": 500_000_000, "MemoryBytes": 64 << 20, "Pids": 10},
        "Reservations": {"MemoryBytes": 16 << 20},
    }
    assert task["RestartPolicy"] == {"Condition": "on-failure", "MaxAttempts": 3, "Window": 10_000_000_000}
    assert task["Networks"] == [{"Target": "st_default", "Aliases": ["web"]}]
    assert spec["Mode"] == {"Replicated": {"Replicas": 3}}
    assert spec["UpdateConfig"] == {
        "Parallelism": 2,
        "Delay": 1_000_000_000,
        "FailureAction": "rollback",
        "Order": "start-first",
    }
    # sorted by published port, the unpublished one first; mode: host kept
    assert spec["EndpointSpec"]["Ports"] == [
        {"Protocol": "tcp", "TargetPort": 82, "PublishMode": "ingress"},
        {"Protocol": "tcp", "TargetPort": 80, "PublishMode": "ingress", "PublishedPort": 8080},
        {"Protocol": "tcp", "TargetPort": 81, "PublishMode": "host", "PublishedPort": 8081},
    ]


def test_global_mode_restart_and_networks(tmp_path):
    stack = _load(
        tmp_path,
        """
services:
  a: {image: x, restart: "on-failure:2", networks: {back: {aliases: [b1]}}, deploy: {mode: global}}
  b: {image: x, restart: "no"}
  c: {image: x, restart: always}
networks:
  back: {driver_opts: {k: v}, attachable: true}
  unused: {}
""",
    )
    specs = service_specs(stack, "st", {})
    assert specs["st_a"]["Mode"] == {"Global": {}}
    assert specs["st_a"]["TaskTemplate"]["RestartPolicy"] == {"Condition": "on-failure", "MaxAttempts": 2}
    assert "RestartPolicy" not in specs["st_b"]["TaskTemplate"]  # 'no': the engine's default
    assert specs["st_c"]["TaskTemplate"]["RestartPolicy"] == {"Condition": "any"}
    assert specs["st_b"]["Mode"] == {"Replicated": {}}
    assert specs["st_a"]["TaskTemplate"]["Networks"] == [{"Target": "st_back", "Aliases": ["b1", "a"]}]
    # only the networks a service uses are made; the default is overlay
    assert network_bodies(stack.project, "st", {}) == {
        "st_back": {
            "Labels": {"com.docker.stack.namespace": "st"},
            "Driver": "overlay",
            "Options": {"k": "v"},
            "Attachable": True,
        },
        "st_default": {"Labels": {"com.docker.stack.namespace": "st"}, "Driver": "overlay"},
    }
    assert stack.warnings == ("Ignoring unsupported options: restart",)


def test_named_volumes_are_scoped_and_labelled(tmp_path):
    stack = _load(
        tmp_path,
        """
services:
  db: {image: x, volumes: [data:/var/lib/db, ./conf:/etc/conf:ro, /anon, old:/old]}
volumes:
  data: {labels: {k: v}}
  old: {external: true}
""",
    )
    mounts = service_specs(stack, "st", {})["st_db"]["TaskTemplate"]["ContainerSpec"]["Mounts"]
    assert mounts == [
        {
            "Type": "volume",
            "Target": "/var/lib/db",
            "Source": "st_data",
            "VolumeOptions": {"Labels": {"k": "v", "com.docker.stack.namespace": "st"}},
        },
        {"Type": "bind", "Target": "/etc/conf", "Source": str(tmp_path / "conf"), "ReadOnly": True},
        {"Type": "volume", "Target": "/anon"},
        {"Type": "volume", "Target": "/old", "Source": "old", "VolumeOptions": {}},
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "services:\n  a:\n    image: x\n    deploy:\n      mode: replicated-job\n",
            "stack.yml: 'services.a.deploy.mode' (line 5): 'replicated-job': use replicated or global.",
        ),
        (
            "services:\n  a:\n    image: x\n    deploy: {replicas: 2, mode: global}\n",
            "a global service runs one task per node: remove replicas.",
        ),
        (
            "services:\n  a:\n    image: x\n    deploy:\n      resources: {limits: {gpus: 1}}\n",
            "'services.a.deploy.resources.limits.gpus' (line 5): 'gpus' is not supported here",
        ),
        (
            "services:\n  a:\n    image: x\n    secrets: [pw]\n",
            "'services.a.secrets' (line 4): swarm secrets",
        ),
        ("services:\n  a: {image: x}\nconfigs:\n  c: {file: ./c}\n", "'configs' (line 3): swarm configs"),
        ("services:\n  a:\n    build: .\n", "service 'a' has no image: a swarm pulls images"),
        ("services:\n  a:\n    image: x\n    privileged: true\n", "'services.a.privileged' (line 4)"),
    ],
)
def test_what_a_swarm_cannot_take_is_one_line(tmp_path, text, message):
    with pytest.raises(CommandError) as caught:
        _load(tmp_path, text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_ignored_keys_are_named_as_the_cli_names_them(tmp_path):
    stack = _load(
        tmp_path,
        "services:\n  a: {image: x, build: ., container_name: c, expose: ['80'], depends_on: [b]}\n"
        "  b: {image: x}\n",
    )
    assert stack.warnings[0] == "Ignoring unsupported options: build"
    assert stack.warnings[1].startswith("Ignoring deprecated options:\n\ncontainer_name: Setting the")
    assert "expose: Exposing ports is unnecessary" in stack.warnings[1]


def test_deploy_line():
    spec = parse_line("stack deploy -c a.yml --compose-file b.yml --prune --detach=false st")
    assert spec == StackDeploySpec("st", ("a.yml", "b.yml"), detach=False, prune=True)
    for line, words in [
        ("stack deploy st", "needs -c FILE"),
        ("stack deploy -c - st", "no stdin"),
        ("stack deploy --with-registry-auth -c a st", "--with-registry-auth is not supported"),
        ("stack deploy --resolve-image sometimes -c a st", 'use "always", "changed" or "never"'),
        ("stack ls --orchestrator kubernetes", "only swarm stacks"),
    ]:
        with pytest.raises(CommandError, match=words):
            parse_line(line)
