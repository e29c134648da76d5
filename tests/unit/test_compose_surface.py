"""%%compose's line, %docker compose's grammar, database URLs and the Stack's faces (no engine)."""

from __future__ import annotations

import pytest

from dockermagic.commands import parse_line
from dockermagic.commands.compose import (
    ComposeDownSpec,
    ComposeExecSpec,
    ComposeLogsSpec,
    ComposePsSpec,
    ComposeUpSpec,
    cell_words,
)
from dockermagic.compose.stack import Stack
from dockermagic.errors import CommandError
from dockermagic.objects.database import database_url


@pytest.mark.parametrize(
    "line, words",
    [
        ("", ["compose", "up"]),
        ("-p demo", ["compose", "-p", "demo", "up"]),
        ("--project-name=demo", ["compose", "--project-name=demo", "up"]),
        ("-p demo up --wait", ["compose", "-p", "demo", "up", "--wait"]),
        ("ps -a", ["compose", "ps", "-a"]),
        ("--profile dev -p x", ["compose", "--profile", "dev", "-p", "x", "up"]),
    ],
)
def test_cell_line_defaults_to_up(line, words):
    assert cell_words(line.split()) == words


def test_options_before_the_subcommand_as_compose_writes_them():
    spec = parse_line("compose -p demo -f a.yml --profile=dev up -d --wait --scale web=3 web")
    assert spec == ComposeUpSpec(
        files=("a.yml",), project_name="demo", profiles=("dev",), services=("web",), detach=True, wait=True,
        scale=(("web", 3),),
    )  # fmt: skip
    assert parse_line("compose down -v -p demo") == ComposeDownSpec(project_name="demo", volumes=True)
    assert parse_line("compose --file=x.yml ps -q") == ComposePsSpec(files=("x.yml",), quiet=True)
    exec_ = parse_line("compose -p d exec --index 2 -u root db ls -l /")
    assert exec_ == ComposeExecSpec(
        project_name="d", service="db", command=("ls", "-l", "/"), index=2, user="root"
    )


def test_logs_dash_f_follows_after_logs_and_names_the_file_before_it():
    spec = parse_line("compose -f a.yml -p demo logs -f -n 5 -t --since 2024-01-02T15:04:05Z web")
    assert spec == ComposeLogsSpec(
        files=("a.yml",), project_name="demo", services=("web",), follow=True, tail="5", timestamps=True,
        since="1704207845.000000000",
    )  # fmt: skip
    assert parse_line("compose logs --file b.yml") == ComposeLogsSpec(files=("b.yml",))
    with pytest.raises(CommandError, match="number of lines"):
        parse_line("compose logs --tail ten")


@pytest.mark.parametrize(
    "line, message",
    [
        ("compose up --scale web", "--scale 'web': write SERVICE=NUMBER"),
        ("compose up --pull sometimes", "use one of always, missing, never"),
        ("compose nothing", "unknown command"),
    ],
)
def test_compose_grammar_refusals(line, message):
    with pytest.raises(CommandError, match=message):
        parse_line(line)


def _doc(image: str, env: list[str]) -> dict:
    return {"Config": {"Image": image, "Env": env}}


URLS = [
    (
        _doc("mariadb:11", ["MARIADB_ROOT_PASSWORD=s3cret"]),
        "mysql+pymysql://root:s3cret@127.0.0.1:3306/",
    ),
    (
        _doc("nb07-mariadb", ["MYSQL_ROOT_PASSWORD=p@ss/word", "MYSQL_DATABASE=notes"]),
        "mysql+pymysql://root:p%40ss%2Fword@127.0.0.1:3306/notes",
    ),
    (
        _doc(
            "mysql:8", ["MYSQL_USER=app", "MYSQL_PASSWORD=pw", "MYSQL_ROOT_PASSWORD=root", "MYSQL_DATABASE=d"]
        ),
        "mysql+pymysql://app:pw@127.0.0.1:3306/d",
    ),
    (_doc("postgres:16", ["POSTGRES_PASSWORD=pg"]), "postgresql://postgres:pg@127.0.0.1:3306/postgres"),
    (
        _doc("my/db", ["POSTGRES_USER=u", "POSTGRES_PASSWORD=x", "POSTGRES_DB=w"]),
        "postgresql://u:x@127.0.0.1:3306/w",
    ),
]


@pytest.mark.parametrize("doc, expected", URLS)
def test_database_urls_from_the_environment_masked_in_every_display(doc, expected):
    url = database_url(doc, "127.0.0.1", 3306)
    assert str(url) == expected
    password = expected.split(":")[2].split("@")[0]
    for face in (repr(url), url._repr_html_(), url.masked):
        assert password not in face and "••••••" in face


def test_not_a_database():
    with pytest.raises(KeyError, match="pass the port"):
        database_url(_doc("nginx", ["A=1"]), "127.0.0.1", 80)


class _Api:
    def __init__(self, found):
        self.found = found

    def containers(self, all=False, filters=None):
        return self.found


class _Session:
    def __init__(self, found):
        self.api = _Api(found)


def _container(name, service, state, status, ports=(), deps=""):
    return {
        "Id": name,
        "Names": [f"/{name}"],
        "State": state,
        "Status": status,
        "Ports": list(ports),
        "Labels": {"com.docker.compose.service": service, "com.docker.compose.depends_on": deps},
    }


def test_stack_faces_show_state_health_ports_replicas_escaped():
    found = [
        _container("p-web-2", "web", "exited", "Exited (1) 2 seconds ago", deps="db:service_healthy:false"),
        _container(
            "p-web-1",
            "web",
            "running",
            "Up 3 seconds",
            [{"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": 32768, "Type": "tcp"}],
            "db:service_healthy:false",
        ),
        _container("p-db-1", "db", "running", "Up 5 seconds (healthy)"),
    ]
    stack = Stack(_Session(found), "p<x>", ("db", "web", "idle"))
    rows = {r["SERVICE"]: r for r in stack.rows}
    assert rows["db"]["HEALTH"] == "healthy" and rows["db"]["REPLICAS"] == "1/1"
    assert rows["web"]["REPLICAS"] == "1/2" and rows["web"]["STATE"] == "exited, running"
    assert rows["web"]["PORTS"] == "127.0.0.1:32768->80/tcp"
    assert rows["idle"]["STATE"] == "absent" and rows["idle"]["REPLICAS"] == "0/0"
    text = stack.text()
    assert text.splitlines()[0] == "Stack p<x>"
    assert "SERVICE   REPLICAS" in text.splitlines()[1]
    html = stack.html()
    assert "p&lt;x&gt;" in html and "p<x>" not in html
    assert stack.services == ["db", "web", "idle"]
    with pytest.raises(KeyError, match="no service 'nope'"):
        stack.service("nope")


def test_stack_widget_face_holds_the_same_escaped_table():
    pytest.importorskip("ipywidgets")
    stack = Stack(_Session([_container("p-db-1", "db", "running", "Up 5 seconds (healthy)")]), "p", ("db",))
    table = stack.widget().children[-1].value
    assert "<td" in table and ">healthy<" in table and ">p-db-1<" in table


def test_container_url_without_a_port_is_the_database_url_on_its_published_port():
    from dockermagic.objects.container import Container

    doc = {
        "Id": "c" * 64,
        "Name": "/db",
        "Config": {
            "Image": "nb07-mariadb",
            "Env": ["MYSQL_ROOT_PASSWORD=kitri"],
            "ExposedPorts": {"3306/tcp": {}},
        },
        "NetworkSettings": {"Ports": {"3306/tcp": [{"HostIp": "127.0.0.1", "HostPort": "32999"}]}},
        "State": {"Status": "running"},
    }
    url = Container(None, "db", doc).url()
    assert str(url) == "mysql+pymysql://root:kitri@127.0.0.1:32999/" and "kitri" not in repr(url)
    web = {**doc, "Config": {"Image": "web", "Env": [], "ExposedPorts": {"80/tcp": {}}}}
    with pytest.raises(KeyError, match="runs no MySQL, MariaDB or Postgres"):
        Container(None, "web", web).url()
