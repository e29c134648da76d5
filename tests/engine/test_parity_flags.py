"""Flags that change engine state, beyond run/create: the same line through the CLI and through
``%docker`` leaves the same inspect document (ids, names, times and the session's labels aside).

Two networks cannot share a subnet, so the CLI's copy gets its own block (``{a}``) and ours another
(``{b}``); the CLI's document is compared with ``{a}`` written as ``{b}``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, docker_cli


def blocks(unique: str) -> tuple[int, int]:
    """Two third octets for 10.213.X.0/24, different per test (colleagues' tests run beside)."""
    n = int(hashlib.sha1(unique.encode()).hexdigest()[:4], 16) % 120
    return 2 * n + 1, 2 * n + 2


def comparable(doc: dict, a: int, b: int, *drop: str) -> dict:
    """``doc`` without what differs by nature, with the CLI's block written as ours."""
    doc = {k: v for k, v in doc.items() if k not in ("Id", "Name", "Created", "Containers", *drop)}
    doc["Labels"] = {
        k: v for k, v in (doc.get("Labels") or {}).items() if not k.startswith("dockermagic.")
    } or None
    text = json.dumps(doc, sort_keys=True)
    return json.loads(
        text.replace(f"10.213.{a}.", f"10.213.{b}.").replace(f"fd00:213:{a}:", f"fd00:213:{b}:")
    )


NETWORK_LINES = [
    "--subnet 10.213.{n}.0/24 --ip-range 10.213.{n}.128/25 --gateway 10.213.{n}.254 "
    "--aux-address host1=10.213.{n}.5 --aux-address host2=10.213.{n}.6 --label team=data "
    "--opt com.docker.network.bridge.enable_icc=false",
    "--ipam-driver default --ipam-opt foo=bar --subnet 10.213.{n}.0/24 --internal --attachable",
    "--ipv6 --subnet fd00:213:{n}::/64 --subnet 10.213.{n}.0/24 --gateway 10.213.{n}.1",
    "--config-only --subnet 10.213.{n}.0/24 --ip-range 10.213.{n}.0/25",
    "--scope local -d bridge --label a=1 --label b",
    "--gateway 10.213.{n}.1 --subnet 10.213.{n}.0/24,fd00:213:{n}::/64 --ipv6",
]


@pytest.mark.parametrize("line", NETWORK_LINES)
def test_network_create(ip, client, unique, test_label, line):
    a, b = blocks(unique)
    docker_cli("network", "create", "--label", test_label, *line.format(n=a).split(), f"{unique}-cli")
    ip.run_line_magic("docker", f"network create {line.format(n=b)} {unique}-dm")
    cli_doc, dm_doc = (client.api.inspect_network(f"{unique}-{w}") for w in ("cli", "dm"))
    if "--subnet" not in line:  # the engine picks a free block for each: only their number compares
        for doc in (cli_doc, dm_doc):
            doc["IPAM"]["Config"] = len(doc["IPAM"]["Config"])
    assert comparable(cli_doc, a, b) == comparable(dm_doc, a, b)  # the test's label is dockermagic.test


@pytest.mark.parametrize(
    "line, error",
    [
        ("--ip-range 10.213.{n}.0/25", "--subnet"),
        ("--subnet 10.213.{n}.0/24 --gateway 10.214.0.1", "no matching subnet"),
        ("--subnet 10.213.{n}.0/24 --subnet 10.213.{n}.128/25", "overlapping"),
        ("--subnet 10.213.{n}.0/24 --aux-address x=10.9.9.9", "no matching subnet"),
    ],
)
def test_network_create_refuses_what_the_cli_refuses(ip, unique, line, error):
    a, b = blocks(unique)
    cli = docker_cli("network", "create", *line.format(n=a).split(), f"{unique}-cli", check=False)
    assert cli.returncode != 0
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"network create {line.format(n=b)} {unique}-dm")
    assert error in str(info.value) and "\n" not in str(info.value)


def test_network_create_config_from_fares_as_the_clis(ip, client, unique, test_label):
    a, _ = blocks(unique)
    docker_cli(
        "network",
        "create",
        "--label",
        test_label,
        "--config-only",
        "--subnet",
        f"10.213.{a}.0/24",
        f"{unique}-cfg",
    )
    cli = docker_cli(
        "network",
        "create",
        "--label",
        test_label,
        "--config-from",
        f"{unique}-cfg",
        f"{unique}-cli",
        check=False,
    )
    try:
        ip.run_line_magic("docker", f"network create --config-from {unique}-cfg {unique}-dm")
        ours = None
    except UsageError as exc:
        ours = str(exc)
    assert (cli.returncode == 0) == (ours is None), (cli.stderr, ours)
    if ours is None:
        cli_doc, dm_doc = (client.api.inspect_network(f"{unique}-{w}") for w in ("cli", "dm"))
        assert cli_doc["ConfigFrom"] == dm_doc["ConfigFrom"] == {"Network": f"{unique}-cfg"}
        assert comparable(cli_doc, a, a, "Labels") == comparable(dm_doc, a, a, "Labels")
        for side in ("cli", "dm"):  # before the config network they use
            client.api.remove_network(f"{unique}-{side}")
    else:
        assert cli.stderr.decode().split("daemon: ")[-1].strip() in ours


def test_network_connect(ip, client, unique, test_label):
    a, _ = blocks(unique)
    net = f"{unique}-net"
    docker_cli(
        "network",
        "create",
        "--label",
        test_label,
        "--ipv6",
        "--subnet",
        f"10.213.{a}.0/24",
        "--subnet",
        f"fd00:213:{a}::/64",
        net,
    )
    docker_cli(
        "run",
        "-d",
        "--label",
        test_label,
        "--name",
        f"{unique}-peer",
        "--network",
        net,
        BASE_IMAGE,
        "sleep",
        "300",
    )
    for side in ("cli", "dm"):
        docker_cli("create", "--label", test_label, "--name", f"{unique}-{side}", BASE_IMAGE, "true")
    host = {"cli": 10, "dm": 11}
    words = (
        "--alias db --alias cache,store --link {peer}:p --driver-opt com.example.x=1 "
        "--ip 10.213.{a}.{h} --ip6 fd00:213:{a}::{h} --link-local-ip 169.254.7.{h}"
    )
    cli_words = words.format(peer=f"{unique}-peer", a=a, h=host["cli"]).split()
    docker_cli("network", "connect", *cli_words, net, f"{unique}-cli")
    ip.run_line_magic(
        "docker",
        f"network connect {words.format(peer=f'{unique}-peer', a=a, h=host['dm'])} {net} {unique}-dm",
    )
    ends = {}
    for side in ("cli", "dm"):
        doc = client.api.inspect_container(f"{unique}-{side}")
        end = doc["NetworkSettings"]["Networks"][net]
        ends[side] = {k: end[k] for k in ("IPAMConfig", "Links", "Aliases", "DriverOpts")}
        ends[side]["Aliases"].remove(doc["Id"][:12])  # the engine adds each container's short id
    assert json.dumps(ends["cli"], sort_keys=True).replace(".10", ".11").replace(
        "::10", "::11"
    ) == json.dumps(ends["dm"], sort_keys=True)
    assert ends["dm"]["IPAMConfig"]["IPv4Address"] == f"10.213.{a}.11"
    assert sorted(ends["dm"]["Aliases"]) == ["cache", "db", "store"]


def test_network_rm_force_skips_a_missing_network_as_the_cli(ip, client, unique):
    ip.run_line_magic("docker", f"network create {unique}-real")
    cli = docker_cli("network", "rm", "-f", f"{unique}-nothing", check=False)
    if b"unknown shorthand flag" not in cli.stderr:  # docker.io's 20.10 CLI has no -f here
        assert cli.returncode == 0 and cli.stdout == b""
    out = ip.run_line_magic("docker", f"network rm -f {unique}-nothing {unique}-real").text()
    assert out == f"{unique}-real"
    assert not client.api.networks(names=[f"{unique}-real"])
    with pytest.raises(UsageError):
        ip.run_line_magic("docker", f"network rm {unique}-nothing")


def test_network_ls_no_trunc_and_inspect_verbose(ip, client, unique):
    full = ip.run_line_magic("docker", f"network create {unique}").text()
    ours = ip.run_line_magic(
        "docker", f"network ls --no-trunc --filter name={unique} --format '{{{{.ID}}}}'"
    ).text()
    assert (
        ours
        == docker_cli("network", "ls", "--no-trunc", "--filter", f"name={unique}", "--format", "{{.ID}}")
        .stdout.decode()
        .strip()
    )
    assert ours == full and len(full) == 64
    table = ip.run_line_magic("docker", f"network ls --no-trunc --filter name={unique}").text()
    assert full in table
    assert full not in ip.run_line_magic("docker", f"network ls --filter name={unique}").text()
    verbose = ip.run_line_magic("docker", f"network inspect --verbose -f '{{{{.Name}}}}' {unique}").text()
    assert verbose == unique


def test_rm_link_removes_the_link_as_the_cli(ip, client, unique, test_label):
    docker_cli("run", "-d", "--label", test_label, "--name", f"{unique}-peer", BASE_IMAGE, "sleep", "300")
    for side in ("cli", "dm"):
        docker_cli(
            "create",
            "--label",
            test_label,
            "--name",
            f"{unique}-{side}",
            "--link",
            f"{unique}-peer:al",
            BASE_IMAGE,
            "true",
        )
    docker_cli("rm", "--link", f"/{unique}-cli/al")
    assert ip.run_line_magic("docker", f"rm --link /{unique}-dm/al").text() == f"/{unique}-dm/al"
    for side in ("cli", "dm"):
        doc = client.api.inspect_container(f"{unique}-{side}")  # the container itself stays
        assert not doc["HostConfig"]["Links"], side


def owner_in(client, container: str, path: str) -> tuple[int, int]:
    import io
    import tarfile

    stream, _ = client.api.get_archive(container, path)
    with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as tar:
        member = tar.getmembers()[0]
    return member.uid, member.gid


def test_cp_archive_gives_the_files_the_containers_user_as_the_cli(ip, client, unique, test_label, tmp_path):
    local = tmp_path / "note.txt"
    local.write_text("hello\n")
    for side in ("cli", "dm", "plain"):
        docker_cli("create", "--label", test_label, "-u", "nobody", "--name", f"{unique}-{side}", BASE_IMAGE)
    docker_cli("cp", "-a", str(local), f"{unique}-cli:/tmp/")
    assert ip.run_line_magic("docker", f"cp -a {local} {unique}-dm:/tmp/").text().startswith("Copied ")
    ip.run_line_magic("docker", f"cp {local} {unique}-plain:/tmp/")
    assert owner_in(client, f"{unique}-cli", "/tmp/note.txt") == (65534, 65534)
    assert owner_in(client, f"{unique}-dm", "/tmp/note.txt") == (65534, 65534)
    assert owner_in(client, f"{unique}-plain", "/tmp/note.txt") == (0, 0)


def test_cp_follow_link_copies_what_the_link_points_to_as_the_cli(ip, client, unique, test_label, tmp_path):
    docker_cli("run", "-d", "--label", test_label, "--name", unique, BASE_IMAGE, "sleep", "300")
    docker_cli("exec", unique, "sh", "-c", "echo hi > /tmp/real && ln -s real /tmp/ln")
    for side in ("cli", "dm", "plain"):
        (tmp_path / side).mkdir()
    docker_cli("cp", "-L", f"{unique}:/tmp/ln", str(tmp_path / "cli"))
    assert ip.run_line_magic("docker", f"cp -q -L {unique}:/tmp/ln {tmp_path / 'dm'}").text() == ""
    ip.run_line_magic("docker", f"cp {unique}:/tmp/ln {tmp_path / 'plain'}")
    for side in ("cli", "dm"):
        copied = tmp_path / side / "ln"
        assert not copied.is_symlink() and copied.read_text() == "hi\n", side
    assert (tmp_path / "plain" / "ln").is_symlink()
    # into the container: a local link given with -L arrives as the file it points to
    (tmp_path / "target.txt").write_text("local\n")
    (tmp_path / "link.txt").symlink_to(tmp_path / "target.txt")
    docker_cli("cp", "-L", str(tmp_path / "link.txt"), f"{unique}:/tmp/cli-link.txt")
    ip.run_line_magic("docker", f"cp -L {tmp_path / 'link.txt'} {unique}:/tmp/dm-link.txt")
    for side in ("cli", "dm"):
        _, stat = client.api.get_archive(unique, f"/tmp/{side}-link.txt")
        assert not stat["linkTarget"] and stat["size"] == len("local\n"), side


def registry_tags(repo: str) -> list[str]:
    """The tags the local registry holds for ``repo`` (its HTTP API)."""
    import urllib.request

    host, _, path = repo.partition("/")
    with urllib.request.urlopen(f"http://{host}/v2/{path}/tags/list", timeout=30) as answer:
        return sorted(json.load(answer)["tags"] or [])


def test_push_all_tags_pushes_every_tag_as_the_cli(ip, unique):
    repos = {side: f"127.0.0.1:5000/dmtest/{unique}-{side}" for side in ("cli", "dm")}
    try:
        for repo in repos.values():
            for tag in ("1", "2"):
                docker_cli("tag", BASE_IMAGE, f"{repo}:{tag}")
        docker_cli("push", "-a", repos["cli"])
        ip.run_line_magic("docker", f"push -q -a {repos['dm']}")
        assert registry_tags(repos["dm"]) == registry_tags(repos["cli"]) == ["1", "2"]
        with pytest.raises(UsageError, match="a tag can't be used with --all-tags/-a"):
            ip.run_line_magic("docker", f"push -a {repos['dm']}:1")
    finally:
        for repo in repos.values():
            docker_cli("rmi", f"{repo}:1", f"{repo}:2", check=False)


PROBE = (
    "RUN echo probe mem=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
    " swap=$(cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes 2>/dev/null || echo none)"
    " period=$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us) quota=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)"
    " shares=$(cat /sys/fs/cgroup/cpu/cpu.shares) cpus=$(cat /sys/fs/cgroup/cpuset/cpuset.cpus)"
    " mems=$(cat /sys/fs/cgroup/cpuset/cpuset.mems) shm=$(df -k /dev/shm | tail -1 | tr -s ' ' | cut -d' ' -f2)"
    " nofile=$(ulimit -Sn):$(ulimit -Hn) hosts=$(grep -c dmhost /etc/hosts) net=$(ls /sys/class/net | tr '\\n' ,)"
)
BUILD_LINE = (
    "--memory 96m --memory-swap 192m --cpu-period 50000 --cpu-quota 25000 -c 512 --cpuset-cpus 0 "
    "--cpuset-mems 0 --shm-size 24m --ulimit nofile=1024:2048 --add-host dmhost:10.1.2.3 --network none "
    "--compress --force-rm --rm --isolation default --disable-content-trust"
)


def probe_line(text: str) -> str:
    return next(line.strip() for line in text.splitlines() if line.strip().startswith("probe "))


def test_build_resource_and_sandbox_flags_reach_the_run_steps_as_the_clis(ip, unique, test_label, tmp_path):
    (tmp_path / "Dockerfile").write_text(f"FROM {BASE_IMAGE}\n{PROBE} {unique}\n")
    env = {**os.environ, "DOCKER_BUILDKIT": "0"}
    cli = subprocess.run(
        [
            "docker",
            "build",
            "--no-cache",
            "--label",
            test_label,
            "-t",
            f"{unique}:cli",
            *BUILD_LINE.split(),
            str(tmp_path),
        ],
        capture_output=True,
        env=env,
        timeout=300,
    )
    assert cli.returncode == 0, cli.stderr
    image = ip.run_line_magic(
        "docker", f"build -q --no-cache -t {unique}:dm --iidfile {tmp_path}/iid {BUILD_LINE} {tmp_path}"
    )
    ours, theirs = probe_line(image.build_log), probe_line(cli.stdout.decode())
    assert ours == theirs
    assert "mem=100663296 swap=201326592 period=50000 quota=25000 shares=512 cpus=0 mems=0 shm=24576" in ours
    assert "nofile=1024:2048 hosts=1 net=lo," in ours
    assert (tmp_path / "iid").read_text() == image.id and image.id.startswith("sha256:")


def test_build_squash_needs_an_experimental_engine_as_with_the_cli(ip, client, unique, tmp_path):
    (tmp_path / "Dockerfile").write_text(f"FROM {BASE_IMAGE}\nRUN true\n")
    if client.version().get("Experimental"):  # the engine serves it: both build
        docker_cli("build", "--squash", "-t", f"{unique}:cli", str(tmp_path))
        ip.run_line_magic("docker", f"build -q --squash -t {unique}:dm {tmp_path}")
    else:
        cli = docker_cli("build", "--squash", "-t", f"{unique}:cli", str(tmp_path), check=False)
        assert cli.returncode != 0 and b"experimental" in cli.stderr
        with pytest.raises(UsageError) as info:
            ip.run_line_magic("docker", f"build --squash -t {unique}:dm {tmp_path}")
        assert "--squash needs an engine in experimental mode" in str(info.value)
        assert "\n" not in str(info.value)
    # the engine answers --isolation and --security-opt on Linux itself, to the CLI and to %docker alike
    engine_says = 'Unsupported isolation: "hyperv"'
    assert (
        engine_says.encode()
        in docker_cli("build", "--isolation", "hyperv", str(tmp_path), check=False).stderr
    )
    with pytest.raises(UsageError, match=engine_says):
        ip.run_line_magic("docker", f"build --isolation hyperv {tmp_path}")
    engine_says = "does not support setting security options on build"
    assert (
        engine_says.encode()
        in docker_cli("build", "--security-opt", "label=disable", str(tmp_path), check=False).stderr
    )
    with pytest.raises(UsageError, match=engine_says):
        ip.run_line_magic("docker", f"build --security-opt label=disable {tmp_path}")
    with pytest.raises(UsageError, match="--rm=false would keep the build's intermediate containers"):
        ip.run_line_magic("docker", f"build --rm=false {tmp_path}")


def test_logs_details_prefixes_the_log_attributes_as_the_cli(ip, unique, test_label):
    docker_cli(
        "run", "--label", test_label, "--label", "team=data", "--log-opt", "labels=team",
        "--name", unique, BASE_IMAGE, "sh", "-c", "echo one; echo two",
    )  # fmt: skip
    theirs = docker_cli("logs", "--details", unique).stdout.decode().splitlines()
    ours = ip.run_line_magic("docker", f"logs --details {unique}").text().splitlines()
    assert ours == theirs == ["team=data one", "team=data two"]
    assert ip.run_line_magic("docker", f"logs {unique}").text().splitlines() == ["one", "two"]


def test_stats_no_trunc_shows_whole_ids_as_the_cli(ip, unique, test_label):
    docker_cli("run", "-d", "--label", test_label, "--name", unique, BASE_IMAGE, "sleep", "300")
    line = ["--no-stream", "--format", "{{.ID}} {{.Name}}", unique]
    whole = docker_cli("stats", "--no-trunc", *line).stdout.decode().strip()
    ours = ip.run_line_magic(
        "docker", f"stats --no-trunc --no-stream --format '{{{{.ID}}}} {{{{.Name}}}}' {unique}"
    )
    assert ours.text().strip() == whole and len(whole.split()[0]) == 64
    short = ip.run_line_magic("docker", f"stats --no-stream --format '{{{{.ID}}}}' {unique}").text().strip()
    assert short == docker_cli("stats", *line).stdout.decode().split()[0] == whole[:12]


def test_system_df_format_as_the_cli(ip):
    line = "--format '{{.Type}}|{{.TotalCount}}'"
    ours = ip.run_line_magic("docker", f"system df {line}").text().splitlines()
    theirs = docker_cli("system", "df", "--format", "{{.Type}}|{{.TotalCount}}").stdout.decode().splitlines()
    assert [r.split("|")[0] for r in ours] == [r.split("|")[0] for r in theirs]
    assert [r.split("|")[0] for r in ours] == ["Images", "Containers", "Local Volumes", "Build Cache"]
    assert all(r.split("|")[1].isdigit() for r in ours)  # counts move with colleagues' tests: not compared


@pytest.mark.usefixtures("classic_builder")
def test_build_cache_from_decides_the_cache_as_with_the_cli(ip, unique, test_label, tmp_path):
    """With --cache-from the classic builder takes its cache from those images only: a RUN step is
    cached when the named image holds it, and run again when it names another."""
    (tmp_path / "Dockerfile").write_text(f"FROM {BASE_IMAGE}\nRUN echo {unique} > /made\n")
    env = {**os.environ, "DOCKER_BUILDKIT": "0"}

    def cli(*words: str) -> str:
        done = subprocess.run(
            ["docker", "build", "--label", test_label, *words, str(tmp_path)],
            capture_output=True,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.decode()

    cli("-t", f"{unique}:first")
    cached = "Using cache"
    assert cached in cli("--cache-from", f"{unique}:first", "-t", f"{unique}:cli")
    assert cached not in cli("--cache-from", BASE_IMAGE, "-t", f"{unique}:cli2")
    ours = ip.run_line_magic("docker", f"build -q --cache-from {unique}:first -t {unique}:dm {tmp_path}")
    assert cached in ours.build_log
    other = ip.run_line_magic("docker", f"build -q --cache-from {BASE_IMAGE} -t {unique}:dm2 {tmp_path}")
    assert cached not in other.build_log
