"""Swarm's grammar, request bodies and views, on payloads recorded from a one-node swarm
(``tests/data/swarm_payloads.json``: ``GET /services?status=true``, ``/tasks``, ``/nodes``, and the
CLI's output read from the same engine at the same moment)."""

from __future__ import annotations

import json
import pathlib

import pytest

from dockermagic.actions.listing import formatted
from dockermagic.actions.services import create_body, ports_shown, scaled, service_rows, updated_spec
from dockermagic.actions.swarm import node_rows, task_rows
from dockermagic.commands import parse_line
from dockermagic.engine.services import split_details
from dockermagic.errors import DockerMagicError
from dockermagic.views.services import TASK_COLUMNS, Convergence, NodeTable, ServiceTable, TaskTable

DATA = json.loads((pathlib.Path(__file__).parents[1] / "data" / "swarm_payloads.json").read_text())


def spec(line: str):
    return parse_line(line)


def test_service_ls_prints_the_clis_table():
    assert ServiceTable(service_rows(DATA["services"])).text() == DATA["cli"]["service ls"].rstrip("\n")


def test_node_ls_prints_the_clis_table_with_this_node_marked():
    rows = node_rows(DATA["nodes"], DATA["info_swarm"]["NodeID"])
    assert NodeTable(rows).text() == DATA["cli"]["node ls"].rstrip("\n")
    assert rows[0]["IDSelf"].endswith(" *")
    assert NodeTable(node_rows(DATA["nodes"], "another")).text().splitlines()[1].split()[1] == "node-1"


def _task_table(now: float = 2e9):
    services = {s["ID"]: s["Spec"]["Name"] for s in DATA["services"]}
    nodes = {n["ID"]: n["Description"]["Hostname"] for n in DATA["nodes"]}
    return task_rows(DATA["tasks"], services, nodes, now=now)


def test_service_ps_rows_are_the_clis_in_its_order():
    rows = _task_table()
    template = "{{.ID}}\\t{{.Name}}\\t{{.Image}}\\t{{.Node}}\\t{{.DesiredState}}\\t{{.Error}}\\t{{.Ports}}"
    plain = [{**r, "Name": r["Name"].removeprefix(" \\_ ")} for r in rows]
    assert str(formatted(plain, template, TASK_COLUMNS)) == DATA["cli"][
        "service ps web talk mesh (format)"
    ].rstrip("\n")
    # in the table, the earlier tasks of a slot are indented under its newest one
    names = [r["Name"] for r in rows]
    assert names.index("web.1") + 1 == names.index(" \\_ web.1")
    assert all(r["CurrentState"].endswith(" ago") for r in rows)


def test_task_table_faces_say_where_tasks_run_and_escape():
    rows = _task_table()
    rows[0] = {**rows[0], "Error": '"<b>no</b> & PASSWORD=hunter2"'}
    table = TaskTable(rows)
    assert table.by_node() == {"node-1": ["mesh.1", "talk.1", "talk.2", "web.1"]}
    assert "Shutdown" in {r["DesiredState"] for r in table}
    html = table.html()
    assert "<b>no</b>" not in html and "&lt;b&gt;no&lt;/b&gt; &amp;" in html
    assert "hunter2" not in html and "hunter2" not in table.text()
    assert "color:#1a7f37'>Running" in html
    frame = table.to_pandas()
    assert list(frame.columns) == [h for _, h in TASK_COLUMNS] and len(frame) == len(rows)
    assert table.sorted("NAME", reverse=True)[0]["Name"] == "web.1"


def test_published_ports_fold_ranges_and_leave_host_mode_out():
    ports = [
        {"Protocol": "tcp", "TargetPort": 81, "PublishedPort": 8081, "PublishMode": "ingress"},
        {"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"},
        {"Protocol": "udp", "TargetPort": 53, "PublishedPort": 53, "PublishMode": "ingress"},
        {"Protocol": "tcp", "TargetPort": 443, "PublishedPort": 443, "PublishMode": "host"},
    ]
    assert ports_shown(ports) == "*:8080-8081->80-81/tcp, *:53->53/udp"


def test_create_body_is_the_clis_service_spec():
    parsed = spec(
        "service create --name web --replicas 3 -p 8080:80 -p published=9000,target=90,mode=host "
        "-e A=1 -l team=x --container-label c=1 --constraint node.role==manager --mount type=volume,src=v,dst=/d "
        "--network net1 --update-parallelism 2 --update-delay 10s --restart-condition on-failure "
        "--limit-memory 64m --health-cmd true debian:bookworm sleep infinity"
    )
    body = create_body(parsed, {"dockermagic.session": "s1", "team": "x"})
    task = body["TaskTemplate"]
    container = task["ContainerSpec"]
    assert body["Name"] == "web" and body["Mode"] == {"Replicated": {"Replicas": 3}}
    assert body["Labels"] == {"dockermagic.session": "s1", "team": "x"}
    assert container["Image"] == "debian:bookworm" and container["Args"] == ["sleep", "infinity"]
    assert container["Env"] == ["A=1"] and container["Labels"] == {"c": "1"}
    assert container["Mounts"] == [{"Type": "volume", "Source": "v", "Target": "/d"}]
    assert container["Healthcheck"] == {"Test": ["CMD-SHELL", "true"]}
    assert task["Placement"]["Constraints"] == ["node.role==manager"]
    assert task["Networks"] == [{"Target": "net1"}]
    assert task["Resources"]["Limits"] == {"MemoryBytes": 64 * 1024 * 1024}
    assert task["RestartPolicy"] == {"Condition": "on-failure", "Delay": 5_000_000_000, "MaxAttempts": 0}
    assert body["UpdateConfig"] == {
        "Parallelism": 2,
        "Delay": 10_000_000_000,
        "FailureAction": "pause",
        "Monitor": 5_000_000_000,
        "MaxFailureRatio": 0,
        "Order": "stop-first",
    }
    assert "RollbackConfig" not in body  # none of its flags given: the engine's default, as the CLI
    assert body["EndpointSpec"] == {
        "Mode": "vip",
        "Ports": [
            {"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"},
            {"Protocol": "tcp", "TargetPort": 90, "PublishedPort": 9000, "PublishMode": "host"},
        ],
    }
    assert create_body(spec("service create --mode global x"), {})["Mode"] == {"Global": {}}


def test_update_merges_into_the_current_spec():
    current = create_body(
        spec("service create --name web -e A=1 -e B=2 -p 80 --constraint a==b --replicas 2 x"), {"k": "v"}
    )
    new = updated_spec(
        spec(
            "service update --env-add B=3 --env-rm A --image y --publish-rm 80 --publish-add 8080:81 "
            "--constraint-rm a==b --constraint-add c==d --label-add l=1 --replicas 4 --update-order start-first web"
        ),
        current,
    )
    container = new["TaskTemplate"]["ContainerSpec"]
    assert container["Env"] == ["B=3"] and container["Image"] == "y"
    assert new["EndpointSpec"]["Ports"] == [
        {"Protocol": "tcp", "TargetPort": 81, "PublishedPort": 8080, "PublishMode": "ingress"}
    ]
    assert new["TaskTemplate"]["Placement"]["Constraints"] == ["c==d"]
    assert new["Labels"] == {"k": "v", "l": "1"} and new["Mode"]["Replicated"]["Replicas"] == 4
    assert new["UpdateConfig"]["Order"] == "start-first" and new["UpdateConfig"]["Parallelism"] == 1
    assert current["TaskTemplate"]["ContainerSpec"]["Env"] == ["A=1", "B=2"]  # not changed in place
    assert scaled(current, 7, "web")["Mode"] == {"Replicated": {"Replicas": 7}}
    with pytest.raises(DockerMagicError, match="only be used with replicated"):
        scaled(create_body(spec("service create --mode global x"), {}), 2, "g")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("service create -p 127.0.0.1:80:80 x", "routing mesh, which listens on every interface"),
        ("service create -p 80-81:90 x", "differ in length"),
        ("service create -p published=80 x", "missing mandatory field 'target'"),
        ("service create --mode global --replicas 2 x", "--replicas can only be used"),
        ("service create --mode other x", "use replicated, global"),
        ("service create --name 'a b' x", "letters, digits and dashes"),
        ("service create --secret s x", "--secret is not supported by '%docker service create'"),
        ("service create --health-start-interval 1s x", "Engine API 1.44"),
        ("service update --config-add c web", "no secret and config commands"),
        ("service scale web", "use SERVICE=REPLICAS"),
        ("service scale web=-1", "a number of 0 or more"),
        ("node update --availability gone self", 'use "active", "pause" or "drain"'),
        ("node update --role boss self", 'use "worker" or "manager"'),
        ("swarm join-token boss", "unknown role boss"),
        ("swarm join 10.0.0.1:2377", "needs --token"),
        ("swarm ca --rotate", "rotating the swarm's root CA"),
        ("swarm init --external-ca x", "external CA"),
        ("swarm init --default-addr-pool nope", "10.20.0.0/16"),
    ],
)
def test_bad_lines_are_one_line(line, words):
    with pytest.raises(DockerMagicError) as failed:
        spec(line)
    assert words in str(failed.value) and "\n" not in str(failed.value)


def test_grammar_reads_the_clis_spellings():
    parsed = spec("service create -dt --name w -p 8000-8001:80-81/udp x echo -p")
    assert parsed.detach and parsed.tty and parsed.args == ("echo", "-p")
    assert [(p["PublishedPort"], p["TargetPort"], p["Protocol"]) for p in parsed.publish] == [
        (8000, 80, "udp"),
        (8001, 81, "udp"),
    ]
    assert spec("service scale a=1 b=2").targets == (("a", 1), ("b", 2))
    assert spec("swarm update --autolock=false").autolock is False
    assert spec("swarm update --autolock").autolock is True
    assert spec("swarm update --task-history-limit 2").autolock is None
    assert spec("service logs -f -n 5 -t web").tail == "5"
    assert spec("node ls").__class__ is spec("node list").__class__


def test_log_details_split_from_the_text():
    line = "2026-11-28T21:27:51.44Z com.docker.swarm.node.id=n1,com.docker.swarm.task.id=t1 hello world"
    details, stamp, text = split_details(line)
    assert details == {"com.docker.swarm.node.id": "n1", "com.docker.swarm.task.id": "t1"}
    assert (stamp, text) == ("2026-11-28T21:27:51.44Z", "hello world")
    assert split_details("com.docker.swarm.task.id=t2 x")[1:] == ("", "x")


def test_convergence_view_text_and_escaped_html():
    view = Convergence("<web>", desired=2)
    view.slots = {"1/2": ("running", ""), "2/2": ("rejected", "No such image: <x>")}
    assert view.text().splitlines() == [
        "<web>",
        "overall progress: 1 out of 2 tasks",
        "1/2: running",
        "2/2: rejected (No such image: <x>)",
    ]
    assert "<web>" not in view.html() and "&lt;web&gt;" in view.html() and "&lt;x&gt;" in view.html()


def test_clean_up_removes_services_before_their_containers():
    from dockermagic.engine.labelled import CONTAINER, SERVICE, Labelled
    from dockermagic.reaper.model import Mode
    from dockermagic.reaper.plan import doomed

    mine = {"dockermagic.session": "s1"}
    items = [
        Labelled(CONTAINER, "c1", "web.1.x", "running", mine),
        Labelled(SERVICE, "s", "web", "service", mine),
    ]
    assert [i.kind for i in doomed(items, Mode.SESSION, "s1")] == [SERVICE, CONTAINER]
    assert doomed(items, Mode.TEMPORARY, "s1") == []  # a service is never temporary


def test_swarm_unlock_sends_the_key_from_a_prompt(monkeypatch):
    """The key never appears in the line: it comes from getpass and goes to POST /swarm/unlock."""
    from dockermagic.actions import perform

    sent = []

    class Answer:
        content = b""

    class Api:
        def _url(self, path):
            return "http+docker://engine" + path

        def _post_json(self, url, data, params):
            sent.append((url, data))
            return Answer()

        def _raise_for_status(self, response):
            pass

    class Session:
        api = Api()

    monkeypatch.setattr("getpass.getpass", lambda prompt: "SWMKEY-1-abc\n")
    assert str(perform(spec("swarm unlock"), Session())) == ""
    assert sent == [("http+docker://engine/swarm/unlock", {"UnlockKey": "SWMKEY-1-abc"})]

    def no_terminal(prompt):
        raise EOFError

    monkeypatch.setattr("getpass.getpass", no_terminal)
    with pytest.raises(DockerMagicError, match="cannot prompt for the key"):
        perform(spec("swarm unlock"), Session())
