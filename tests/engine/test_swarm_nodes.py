"""A swarm of several engines in containers (tests/nodes.py), driven only through %docker: one
manager, the other nodes workers; a stack's service with two replicas per node spreads over all
of them, and draining a node moves its tasks to the others, which the tasks view shows.

Two nodes here (CI); ``DM_SWARM_NODES=3`` (scripts/swarm-3-nodes.sh) runs it on three, with the
timings of each step printed.
"""

from __future__ import annotations

import os
import time

import pytest
from IPython.core.error import UsageError

from dockermagic.views.services import TaskTable

pytestmark = pytest.mark.engine

NODES = int(os.environ.get("DM_SWARM_NODES", "2"))
SPREAD_FILE = """\
services:
  spread:
    image: debian:bookworm
    command: sleep infinity
    deploy:
      replicas: {replicas}
      update_config: {{parallelism: 0}}
"""


def on(ip, node):
    """The shell with its engine the given node's."""
    ip.run_line_magic("config", f"DockerMagics.base_url = {node.address!r}")
    return ip


def running_by_node(ip, stack: str) -> tuple[TaskTable, dict[str, list[str]]]:
    try:
        table = ip.run_line_magic("docker", f"stack ps {stack}")
    except UsageError as exc:  # just deployed: the manager has made no task yet, as the CLI says
        assert "nothing found in stack" in str(exc)
        return TaskTable([]), {}
    assert isinstance(table, TaskTable)
    return table, table.by_node("Running")


def wait_for(condition, within: float, what: str):
    deadline = time.monotonic() + within
    while True:
        result = condition()
        if result:
            return result
        assert time.monotonic() < deadline, f"not within {within:.0f} s: {what}"
        time.sleep(0.5)


def test_replicas_spread_over_the_nodes_and_move_off_a_drained_one(ip, node_set, tmp_path):
    timings: dict[str, float] = {}
    started = time.monotonic()
    nodes = node_set(NODES)
    timings["nodes up"] = time.monotonic() - started
    manager, *workers = nodes
    try:
        step = time.monotonic()
        on(ip, manager).run_line_magic("docker", f"swarm init --advertise-addr {manager.ip}")
        token = str(ip.run_line_magic("docker", "swarm join-token -q worker")).strip()
        for worker in workers:
            on(ip, worker).run_line_magic("docker", f"swarm join --token {token} {manager.ip}:2377")
        on(ip, manager)
        listed = str(ip.run_line_magic("docker", "node ls"))
        assert all(n.name in listed for n in nodes), listed
        assert listed.count(" Ready ") == NODES, listed
        timings["swarm formed"] = time.monotonic() - step

        step = time.monotonic()
        path = tmp_path / "spread.yml"
        path.write_text(SPREAD_FILE.format(replicas=2 * NODES))
        ip.run_line_magic("docker", f"stack deploy -c {path} spread")
        table, placed = wait_for(
            lambda: (lambda t, p: (t, p) if sum(map(len, p.values())) == 2 * NODES else None)(
                *running_by_node(ip, "spread")
            ),
            120,
            f"{2 * NODES} tasks running",
        )
        timings["replicas running"] = time.monotonic() - step
        # two on each node: the scheduler spreads the tasks of a service
        assert sorted(placed) == sorted(n.name for n in nodes), table.text()
        assert all(len(tasks) == 2 for tasks in placed.values()), table.text()

        step = time.monotonic()
        drained = nodes[-1]
        ip.run_line_magic("docker", f"node update --availability drain {drained.name}")
        table, placed = wait_for(
            lambda: (
                lambda t, p: (
                    (t, p) if drained.name not in p and sum(map(len, p.values())) == 2 * NODES else None
                )
            )(*running_by_node(ip, "spread")),
            120,
            f"the tasks of {drained.name} running elsewhere",
        )
        timings["drained tasks moved"] = time.monotonic() - step
        others = [n.name for n in nodes if n is not drained]
        assert sorted(placed) == sorted(others), table.text()
        assert sum(len(placed[n]) for n in others) == 2 * NODES
        # the view keeps the drained node's tasks, shut down, under the slots they served
        shut = [r for r in table.rows if r["Node"] == drained.name]
        assert len(shut) == 2 and all(r["DesiredState"] == "Shutdown" for r in shut), table.text()
        assert all(r["Name"].startswith(" \\_ ") for r in shut), table.text()
        nodes_text = str(ip.run_line_magic("docker", "node ls"))
        assert [line for line in nodes_text.splitlines() if drained.name in line][0].split()[3] == "Drain"
        ip.run_line_magic("docker", "stack rm spread")
    finally:
        ip.run_line_magic("config", "DockerMagics.base_url = None")
    timings["total"] = time.monotonic() - started
    print(f"\n{NODES}-node swarm: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
