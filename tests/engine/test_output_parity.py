"""Text output of the listing and inspect commands against the CLI's, on the same engine.

One set of objects for the whole module (two containers, two networks, two volumes, an image
tag), made with the CLI; every line below then runs through %docker and through the CLI, and the
two outputs must be equal byte for byte, or, where noted, apart from relative times, or as JSON
lines (the CLI writes map keys in random order for labels, and docker.io's 20.10 CLI lacks some
fields and the ``json`` format of some commands: those lines are checked against the keys the
newer CLI prints).
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import subprocess

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, TEST_LABEL, docker_cli, remove_labelled

TAG = hashlib.sha1(__name__.encode()).hexdigest()[:8]
LABEL = f"{TEST_LABEL}=op-{TAG}"
P = f"dmt-op{TAG}"  # every name starts with it
A, B, IMG = f"{P}-a", f"{P}-b", f"{P}-img:1"
F = "--filter label=" + LABEL


def _cli_version() -> str:
    return docker_cli("version", "--format", "{{.Client.Version}}").stdout.decode().strip()


@pytest.fixture(scope="module")
def objects(shell, client):
    """The module's objects, made with the CLI, all labelled; removed at the end."""
    docker_cli("tag", BASE_IMAGE, IMG)
    for n in (9, 10):
        docker_cli("network", "create", "--label", LABEL, "--label", "team=a", f"{P}-net{n}")
        docker_cli("volume", "create", "--label", LABEL, f"{P}-vol{n}")
    docker_cli(
        "run", "-d", "--name", A, "-l", LABEL, "-l", "x=<a&b>", "-p", "127.0.0.1::80", "-p", "127.0.0.1::81/udp",
        "-e", "A=1", "--network", f"{P}-net9", "-v", f"{P}-vol9:/data", IMG, "sleep", "600",
    )  # fmt: skip
    docker_cli(
        "run", "--name", B, "-l", LABEL, BASE_IMAGE, "sh", "-c", "echo x > /etc/dmt; rm /etc/issue; mkdir /t"
    )
    yield
    remove_labelled(client, LABEL)
    client.api.remove_image(IMG)


def named(line: str) -> str:
    """``line`` with the module's names put in for <A>, <B>, <P>, <F> and <IMG>."""
    for key, value in (("<A>", A), ("<B>", B), ("<P>", P), ("<F>", F), ("<IMG>", IMG)):
        line = line.replace(key, value)
    return line


def ours(shell, line: str) -> str:
    return str(shell.run_line_magic("docker", named(line)))


def theirs(line: str) -> str:
    out = docker_cli(*shlex.split(named(line))).stdout.decode()
    return out[:-1] if out.endswith("\n") else out


_TIMES = re.compile(r"\b(Less than a second|About a minute|About an hour|\d+ (second|minute|hour)s?)\b")


def _untimed(text: str) -> str:
    return _TIMES.sub("TIME", text)


def _columns_apart(text: str) -> list[list[str]]:
    """A table's cells; with times blanked, widths no longer say anything, so split at 3 spaces."""
    return [re.split(r" {3,}", line.rstrip()) for line in _untimed(text).splitlines()]


EXACT = [
    # Go templates the issue found failing, and Go's printing rules on the CLI's typed documents
    "inspect -f '{{range $p, $conf := .NetworkSettings.Ports}}{{$p}} -> {{(index $conf 0).HostPort}};{{end}}' <A>",
    "inspect -f '{{(index (index .NetworkSettings.Ports \"80/tcp\") 0).HostPort}}' <A>",
    "inspect -f '{{.Config.Env}}|{{.Config.Volumes}}|{{.Config.Healthcheck}}|{{.ID}}|"
    "{{.Config.Labels.nope}}|{{.Config.OnBuild}}|{{.HostConfig.Binds}}|{{.State.Health}}|"
    "{{.HostConfig.LogConfig}}|{{.Config.ExposedPorts}}|{{.Config.StopTimeout}}|{{.SizeRw}}' <B>",
    "inspect -f '{{.State.Status}} {{.State.Running}} {{.RestartCount}} {{.HostConfig.PortBindings}} "
    "{{.Mounts}} {{.Config.Cmd}} {{.HostConfig.RestartPolicy}}' <A>",
    "inspect -f '{{json .Config.Labels}} {{json .Config.Env}} {{json .NetworkSettings.Ports}}' <A>",
    "inspect -f '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}' <A>",
    'inspect -f \'{{printf "%s %q %5d|%-6s|%v" .Name .Config.Image 42 "ab" .Config.Cmd}} '
    '{{len .Config.Cmd}} {{index .Config.Cmd 0}} {{upper .State.Status}} {{title "hello world"}} '
    '{{join .Config.Cmd "+"}} {{split "a,b" ","}}\' <A>',
    'inspect -f \'{{if eq .State.Status "running"}}up{{else if .State.Dead}}dead{{else}}other{{end}} '
    "{{with .Config.User}}{{.}}{{else}}root{{end}} {{and .State.Running .Config.Tty}} "
    '{{or .Config.User "none"}} {{not .State.Paused}} {{lt 1 2}} {{ge 2 3}}\' <A>',
    'inspect -f \'{{$n := .Name}}{{range .Config.Cmd}}{{$n}}:{{.}} {{end}}{{println "x"}}'
    '{{truncate .Name 4}}|{{pad .Config.Image 1 2}}|{{print 1 2 "a" 3}}\' <A>',
    "inspect -f '{{.Name}}' <A> <B>",
    "inspect -f '{{.Id}}' <A>",  # not a field of the CLI's struct: the raw document has it
    "network inspect -f '{{.Id}} {{.Name}}' <P>-net9",
    "network inspect -f '{{.ID}} {{.Name}} {{.Driver}} {{.IPAM.Driver}} {{.Labels}} "
    "{{.Options}} {{.Internal}} {{.Containers}} {{.ConfigFrom}} {{.Created}}' <P>-net9",
    "volume inspect -f '{{.Name}} {{.Driver}} {{.Labels}} {{.Options}} {{.Scope}} {{.Status}} "
    "{{.UsageData}}' <P>-vol9",
    "image inspect -f '{{.ID}} {{.RepoTags}} {{.Config.Env}} {{.Config.Cmd}} "
    "{{.ContainerConfig.Healthcheck}} {{.RootFS.Type}} {{len .RootFS.Layers}}' <IMG>",
    "version -f '{{.Client.APIVersion}} {{.Server.APIVersion}} {{.Server.Version}} {{.Server.MinAPIVersion}}'",
    "version -f '{{json .Server}}'",
    "info -f '{{.Name}} {{.NCPU}} {{.Driver}} {{.Plugins.Volume}} {{.RegistryConfig.Mirrors}} {{.ContainerdCommit.ID}} "
    "{{.HTTPProxy}}|{{json .Plugins}}'",
    # inspect prints the engine's documents as one JSON array, one object or several, with --type too
    "inspect <A>",
    "inspect <A> <P>-net9 <P>-vol9",
    "inspect --type volume <P>-vol9",
    "container inspect <B>",
    "network inspect <P>-net9",
    "volume inspect <P>-vol9 <P>-vol10",
    "image inspect <IMG>",
    # lists: templates, table formats with the CLI's headers, order, quiet and untruncated forms
    "ps -a <F> --format 'table {{.Names}}\\t{{.Image}}\\t{{.Command}}\\t{{.Ports}}\\t{{.Label \"x\"}}'",
    "ps -a <F> --format '{{.Names}} {{.LocalVolumes}} {{.Mounts}} {{.Networks}} {{.State}}'",
    "ps -a <F> --format 'table {{.ID}}\\t{{.Size}}'",
    "ps -a -q <F>",
    "ps -a --no-trunc -q <F>",
    "images --filter reference=<P>-img --format 'table {{.Repository}}:{{.Tag}}\\t{{.ID}}\\t{{.Size}}'",
    "images --filter reference=<P>-img --format '{{.Repository}} {{.Tag}} {{.Digest}} {{.VirtualSize}}'",
    "images -q --filter reference=<P>-img",
    "history --format 'table {{.ID}}\\t{{.CreatedBy}}\\t{{.Size}}\\t{{.Comment}}' " + BASE_IMAGE,
    "history -q --no-trunc " + BASE_IMAGE,
    "network ls <F>",
    "network ls --no-trunc <F>",
    "network ls -q <F>",
    "network ls <F> --format 'table {{.Name}}\\t{{.Driver}}\\t{{.Internal}}\\t{{.IPv6}}'",
    "volume ls <F>",
    "volume ls -q <F>",
    "volume ls <F> --format 'table {{.Name}}\\t{{.Driver}}\\t{{.Scope}}\\t{{.Mountpoint}}'",
    "port <A> 80",
    "port <A> 81/udp",
    "top <A>",
    "logs --until 2000-01-01T00:00:00 <B>",
    "stats --no-stream --format 'table {{.Name}}\\t{{.PIDs}}' <A>",
    "system df --format 'table {{.Type}}'",
    "stats --no-stream --format 'table {{.Name}}\\t{{.PIDs}}\\t{{.MemUsage}}\\t{{.NetIO}}' <B>",  # exited: zeros
    "network ls <F> --format table",  # the command's own columns
    "volume ls <F> --format table",
]

UNTIMED = [  # relative times ("3 seconds ago") can move between the two runs
    "ps -a <F>",
    "ps -a --no-trunc <F>",
    "ps -a --size <F>",
    "images --filter reference=<P>-img",
    "images --digests --filter reference=<P>-img",
    "image ls --no-trunc --filter reference=<P>-img",
    "history " + BASE_IMAGE,
    "history --no-trunc " + BASE_IMAGE,
]

JSON = [  # JSON lines: the newer CLI's keys exactly; values equal (labels as a set, times blanked)
    ("ps -a <F> --format json", None),
    ("ps -a <F> --format '{{json .}}'", None),
    ("images --filter reference=<P>-img --format json", None),
    ("history --format json " + BASE_IMAGE, None),
    ("network ls <F> --format json", None),
    ("volume ls <F> --format json", None),
    ("stats --no-stream --format json <A>", ("BlockIO", "CPUPerc", "MemPerc", "MemUsage", "NetIO")),
    (
        "system df --format json",
        ("TotalCount", "Active", "Size", "Reclaimable"),
    ),  # others' objects come and go
]
JSON_KEYS = {  # what the newer CLI (28.x) prints, for a CLI that does not know the json format
    "ps": {"Command", "CreatedAt", "ID", "Image", "Labels", "LocalVolumes", "Mounts", "Names", "Networks",
           "Platform", "Ports", "RunningFor", "Size", "State", "Status"},
    "images": {"Containers", "CreatedAt", "CreatedSince", "Digest", "ID", "Repository", "SharedSize", "Size",
               "Tag", "UniqueSize", "VirtualSize"},
    "history": {"Comment", "CreatedAt", "CreatedBy", "CreatedSince", "ID", "Size"},
    "network": {"CreatedAt", "Driver", "ID", "IPv4", "IPv6", "Internal", "Labels", "Name", "Scope"},
    "volume": {"Availability", "Driver", "Group", "Labels", "Links", "Mountpoint", "Name", "Scope", "Size",
               "Status"},
    "system": {"Active", "Reclaimable", "Size", "TotalCount", "Type"},
    "stats": {"BlockIO", "CPUPerc", "Container", "ID", "MemPerc", "MemUsage", "Name", "NetIO", "PIDs"},
}  # fmt: skip


@pytest.mark.parametrize("line", EXACT)
def test_output_is_the_clis_byte_for_byte(shell, objects, line):
    assert ours(shell, line) == theirs(line)


def test_port_lists_the_clis_lines_sorted_as_newer_clis_sort_them(shell, objects):
    """docker.io's 20.10 CLI prints a container's ports in Go's map order, which changes from one
    run to the next; later CLIs sort the lines, as %docker does."""
    mine, cli = ours(shell, "port <A>").splitlines(), theirs("port <A>").splitlines()
    assert mine == sorted(cli)


@pytest.mark.parametrize("line", UNTIMED)
def test_output_is_the_clis_apart_from_relative_times(shell, objects, line):
    mine, cli = ours(shell, line), theirs(line)
    assert _columns_apart(mine) == _columns_apart(cli)
    assert [len(x) for x in mine.splitlines()[:1]] == [len(x) for x in cli.splitlines()[:1]]  # header widths


def _normal(row: dict, varying) -> dict:
    out = {}
    for key, value in row.items():
        if key in (varying or ()):
            value = "VARIES"
        elif key == "Labels" and isinstance(value, str):
            value = sorted(value.split(","))
        elif isinstance(value, str):
            value = _untimed(value)
        out[key] = value
    return out


@pytest.mark.parametrize("line, varying", JSON, ids=[line for line, _ in JSON])
def test_json_lines_are_the_clis(shell, objects, line, varying):
    mine = [json.loads(x) for x in ours(shell, line).splitlines()]
    assert mine, line
    cli = theirs(line)
    command = shlex.split(line)[0]
    expected_keys = JSON_KEYS[command]
    assert all(set(row) == expected_keys for row in mine), line
    if not cli.startswith("{"):  # docker.io's 20.10 CLI: no json format here (it prints the word)
        assert _cli_version().startswith("20."), cli
        return
    rows = [json.loads(x) for x in cli.splitlines()]
    for row in rows:  # the newer CLI prints exactly those keys; 20.10 a part of them
        assert (
            set(row) == expected_keys if not _cli_version().startswith("20.") else set(row) <= expected_keys
        )
    assert len(mine) == len(rows)
    mine_shared = [{k: v for k, v in r.items() if k in rows[i]} for i, r in enumerate(mine)]
    assert [_normal(r, varying) for r in mine_shared] == [_normal(r, varying) for r in rows]


def test_json_escapes_html_in_list_rows_as_the_cli(shell, objects):
    line = f"ps -a {F} --filter name={A} --format json"
    assert "\\u003ca\\u0026b\\u003e" in ours(shell, line)  # the label x=<a&b>, as json.Marshal writes it


def test_an_unknown_field_is_an_error_as_with_the_cli(shell, objects):
    with pytest.raises(subprocess.CalledProcessError) as cli:
        docker_cli("inspect", "-f", "{{.Nope}}", A)
    assert b'map has no entry for key "Nope"' in cli.value.stderr
    with pytest.raises(UsageError, match='map has no entry for key "Nope"') as info:
        ours(shell, f"inspect -f '{{{{.Nope}}}}' {A}")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "line", [f"inspect -f json {A} {B}", f"network inspect -f json {P}-net9", "version -f json"]
)
def test_json_format_is_the_document_on_one_line(shell, objects, line):
    mine = ours(shell, line)
    assert "\n" not in mine
    if _cli_version().startswith("20."):  # docker.io's 20.10 CLI prints the word "json" for -f json
        assert set(theirs(line).split("\n")) == {"json"}  # once per document
        if not line.startswith("version"):
            assert json.loads(mine) == json.loads(theirs(line.replace(" -f json", "")))
        return
    if line.startswith("version"):  # the client half is dockermagic's: the same keys, other values
        mine_doc, cli_doc = json.loads(mine), json.loads(theirs(line))
        assert mine_doc["Server"] == cli_doc["Server"] and set(mine_doc["Client"]) == set(cli_doc["Client"])
        return
    assert mine == theirs(line)


def test_diff_prints_the_clis_lines(shell, objects):
    mine, cli = ours(shell, f"diff {B}"), theirs(f"diff {B}")
    # the engine lists the changes in no fixed order, which the CLI keeps; ours are sorted by path
    assert mine == "C /etc\nA /etc/dmt\nD /etc/issue\nA /t"
    assert sorted(mine.split("\n")) == sorted(cli.split("\n"))


def test_cp_to_dash_gives_the_clis_tar_stream(shell, objects):
    archive = shell.run_line_magic("docker", f"cp {B}:/etc/dmt -")
    assert bytes(archive) == docker_cli("cp", f"{B}:/etc/dmt", "-").stdout
    assert repr(archive).startswith(f"<tar archive of {B}:/etc/dmt, ")


def test_info_json_has_the_engines_keys_and_the_clis_client_info(shell, objects):
    mine = json.loads(ours(shell, "info -f '{{json .}}'"))
    cli = json.loads(theirs("info -f '{{json .}}'"))
    # current CLIs drop the two BridgeNf keys a 20.10 engine sends, and add CDISpecDirs
    assert set(mine) ^ set(cli) <= {"BridgeNfIptables", "BridgeNfIp6tables", "CDISpecDirs"}
    assert set(cli["ClientInfo"]) <= set(mine["ClientInfo"])
