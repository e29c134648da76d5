"""Image, registry, network and volume commands against the real engine and registry."""

import io
import re
import tarfile
import time

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, docker_cli
from tests.podman import PULL_ALL, PUSH_WORDS, SEARCH

pytestmark = pytest.mark.podman  # in the subset scripts/podman.sh runs against Podman

REGISTRY = "127.0.0.1:5000"


def _table(text: str) -> list[list[str]]:
    return [re.split(r"\s{3,}", line.strip()) for line in text.strip().splitlines()]


@pytest.fixture
def tiny(client, test_label, unique):
    """A small labelled image with three history rows, built from the base image."""
    key, value = test_label.split("=")
    df = (
        f"FROM {BASE_IMAGE}\nLABEL {key}={value}\nRUN echo one > /one\n"
        "RUN echo a-much-longer-command-line-that-the-cli-truncates > /two\n"
    )
    image, _ = client.images.build(fileobj=io.BytesIO(df.encode()), tag=f"{unique}-tiny:1", rm=True)
    yield f"{unique}-tiny:1"
    client.images.remove(image.id, force=True)


# the CLI runs a moment later: its relative times may have moved on ("1 second ago" -> "2 seconds ago")
_TIMES = re.compile(r"\b(Less than a second|About a minute|About an hour|\d+ (second|minute|hour)s?) ago")


def _untimed(text: str) -> list[list[str]]:
    return _table(_TIMES.sub("<time>", text))


def test_images_and_history_tables_match_the_cli(ip, tiny, test_label):
    ours = ip.run_line_magic("docker", f"images --filter label={test_label}").text()
    theirs = docker_cli("images", "--filter", f"label={test_label}").stdout.decode()
    assert _untimed(ours) == _untimed(theirs)
    assert _untimed(ip.run_line_magic("docker", f"history {tiny}").text()) == _untimed(
        docker_cli("history", tiny).stdout.decode()
    )
    assert _untimed(ip.run_line_magic("docker", f"history --no-trunc {tiny}").text()) == _untimed(
        docker_cli("history", "--no-trunc", tiny).stdout.decode()
    )


TEMPLATES = [
    "{{.NetworkSettings.IPAddress}}",
    "{{json .Config}}",
    "{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}",
    '{{index .Config.Labels "dockermagic.test"}}',
    "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
    "{{.State.Running}} {{.State.Pid}} {{.HostConfig.Memory}}",
    "{{.Config.Env}}",
    "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}",
    "{{if .State.Running}}up{{else}}down{{end}}",
    '{{.Name}} {{.Config.Image | printf "%s!"}}',
]


@pytest.mark.parametrize("template", TEMPLATES)
def test_inspect_format_matches_the_cli(ip, unique, tmp_path, template):
    ip.run_line_magic(
        "docker", f"run -d --name {unique} -v {tmp_path}:/data -e A=1 --memory 64m {BASE_IMAGE} sleep 30"
    )
    ours = ip.run_line_magic("docker", f"inspect -f '{template}' {unique}").text()
    theirs = docker_cli("inspect", "-f", template, unique).stdout.decode().rstrip("\n")
    assert ours == theirs


def test_inspect_masks_secrets_and_escapes(ip, unique):
    hostile = "'X=<img src=x onerror=alert(1)>'"
    ip.run_line_magic("docker", f"create --name {unique} -e DB_PASSWORD=hunter2 -e {hostile} {BASE_IMAGE}")
    view = ip.run_line_magic("docker", f"inspect {unique}")
    assert "hunter2" not in view.text() and "hunter2" not in view.html()
    assert "DB_PASSWORD=hunter2" in view["Config"]["Env"]  # the data itself is intact
    assert "<img" not in view.html() and "&lt;img src=x onerror=alert(1)&gt;" in view.html()
    assert "{{.Config.Env}}" in view.html()


def test_tag_save_load_rmi(ip, client, tiny, unique, tmp_path):
    image = ip.run_line_magic("docker", f"tag {tiny} {unique}-copy:v2")
    assert f"{unique}-copy:v2" in image.tags
    path = tmp_path / "img.tar"
    ip.run_line_magic("docker", f"save -o {path} {unique}-copy:v2")
    with tarfile.open(path) as tar:
        assert "manifest.json" in tar.getnames()
    ip.run_line_magic("docker", f"rmi {unique}-copy:v2")
    assert not client.images.list(name=f"{unique}-copy")
    loaded = ip.run_line_magic("docker", f"load -i {path}")
    assert loaded.tags and f"{unique}-copy:v2" in loaded.tags
    ip.run_line_magic("docker", f"rmi {unique}-copy:v2")


@pytest.mark.podman_differs(PUSH_WORDS)
def test_push_and_pull_through_the_local_registry(ip, client, tiny, unique, capfd):
    ref = f"{REGISTRY}/dmtest/{unique}:1"
    ip.run_line_magic("docker", f"tag {tiny} {ref}")
    try:
        ip.run_line_magic("docker", f"push {ref}")
        ip.run_line_magic("docker", f"rmi {ref}")
        pulled = ip.run_line_magic("docker", f"pull {ref}")
        assert ref in pulled.tags
        out = capfd.readouterr().out
        assert "Pushed" in out or "Layer already exists" in out
    finally:
        docker_cli("rmi", ref, check=False)


@pytest.mark.podman_differs(PULL_ALL)
def test_pull_all_tags_of_a_repository(ip, tiny, unique):
    repo = f"{REGISTRY}/dmtest/{unique}-all"
    try:
        for tag in ("1", "2"):
            ip.run_line_magic("docker", f"tag {tiny} {repo}:{tag}")
            ip.run_line_magic("docker", f"push -q {repo}:{tag}")
        ip.run_line_magic("docker", f"rmi {repo}:1 {repo}:2")
        pulled = ip.run_line_magic("docker", f"pull -q -a {repo}")
        assert len(pulled) == 1  # both tags name one image: one handle
        assert sorted(t for t in pulled[0].tags if t.startswith(repo)) == [f"{repo}:1", f"{repo}:2"]
        with pytest.raises(UsageError, match="a tag can't be used with --all-tags/-a"):
            ip.run_line_magic("docker", f"pull -a {repo}:1")
    finally:
        docker_cli("rmi", f"{repo}:1", f"{repo}:2", check=False)


def test_unreachable_registry_fails_fast_in_one_line(ip):
    for line in ("search debian", "pull nosuch-dockermagic/image:1"):
        start = time.monotonic()
        with pytest.raises(UsageError) as info:
            ip.run_line_magic("docker", line)
        assert time.monotonic() - start < 30
        assert "cannot be reached" in str(info.value) or "not found" in str(info.value).lower()


def test_network_and_volume_lifecycle(ip, client, unique, test_label):
    ip.run_line_magic("docker", f"network create --subnet 172.31.250.0/24 {unique}-net")
    net = client.networks.get(f"{unique}-net")
    assert net.attrs["IPAM"]["Config"][0]["Subnet"] == "172.31.250.0/24"
    assert net.attrs["Labels"][test_label.split("=")[0]] == test_label.split("=")[1]
    c = ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep 30")
    ip.run_line_magic("docker", f"network connect --alias db {unique}-net {unique}")
    aliases = client.api.inspect_container(c.id)["NetworkSettings"]["Networks"][f"{unique}-net"]["Aliases"]
    assert "db" in aliases
    listed = ip.run_line_magic("docker", f"network ls -q --filter name={unique}-net").text()
    assert listed == net.id[:12]
    ip.run_line_magic("docker", f"network disconnect {unique}-net {unique}")
    ip.run_line_magic("docker", f"network rm {unique}-net")
    ip.run_line_magic("docker", f"volume create {unique}-vol")
    assert f"{unique}-vol" in ip.run_line_magic("docker", "volume ls -q").text().split()
    ip.run_line_magic("docker", f"volume rm {unique}-vol")
    with pytest.raises(UsageError, match="No such"):
        ip.run_line_magic("docker", f"volume inspect {unique}-vol")


def test_system_df_counts_images(ip, client):
    table = ip.run_line_magic("docker", "system df")
    # the CLI's disk usage context: TotalCount, as a string (what --format json prints)
    assert table[0]["Type"] == "Images" and table[0]["TotalCount"] == str(len(client.api.df()["Images"]))


def test_logs_split_streams(ip, unique):
    ip.run_line_magic("docker", f"run --name {unique} {BASE_IMAGE} sh -c 'echo out; echo err >&2'")
    view = ip.run_line_magic("docker", f"logs {unique}")  # a LogsView (views/logs.py)
    assert sorted(view.buffer.lines) == [(1, "out"), (2, "err")]
    assert "<span class='dm-stderr'" in view.html() and view.text() in ("out\nerr", "err\nout")


@pytest.mark.podman_differs(SEARCH)
def test_search_on_the_local_registry_names_why_it_cannot(ip):
    """No registry here answers a search: Docker Hub is out of reach and the distribution
    registry (Debian's docker-registry) has no search endpoint. The engine's own answer is
    a 404; the CLI prints 'Unexpected status code 404', dockermagic says what it means."""
    cli = docker_cli("search", f"{REGISTRY}/debian", check=False)
    assert cli.returncode != 0 and "404" in cli.stderr.decode()
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"search {REGISTRY}/debian")
    message = str(info.value)
    assert "\n" not in message
    assert f"the registry {REGISTRY} has no search endpoint" in message and "internal error" not in message


def test_network_inspect_matches_the_cli(ip, unique, test_label):
    ip.run_line_magic("docker", f"network create --label role=db --subnet 172.31.253.0/24 {unique}-net")
    ip.run_line_magic("docker", f"run -d --name {unique} --network {unique}-net {BASE_IMAGE} sleep 30")
    view = ip.run_line_magic("docker", f"network inspect {unique}-net")
    import json

    theirs = json.loads(docker_cli("network", "inspect", f"{unique}-net").stdout)[0]
    assert (
        view["Id"] == theirs["Id"] and view["IPAM"] == theirs["IPAM"] and view["Labels"] == theirs["Labels"]
    )
    assert [c["Name"] for c in view["Containers"].values()] == [unique]
    assert "172.31.253.0/24" in view.text() and "role" in view.html()
    fmt = "{{.Name}} {{.Driver}} {{range .IPAM.Config}}{{.Subnet}}{{end}} {{len .Containers}}"
    ours = ip.run_line_magic("docker", f"network inspect -f '{fmt}' {unique}-net").text()
    assert ours == docker_cli("network", "inspect", "-f", fmt, f"{unique}-net").stdout.decode().strip()
