"""The same create line through the docker CLI and through %docker gives the same container.

Each case creates a container both ways, inspects both, and compares the
documents after removing what necessarily differs (ids, names, times, paths
derived from ids, the session's own labels).
"""

import json
import re

import pytest

from tests.conftest import BASE_IMAGE, docker_cli, empty_as_none

VOLATILE_TOP = {
    "Id",
    "Created",
    "Name",
    "ResolvConfPath",
    "HostnamePath",
    "HostsPath",
    "LogPath",
    "GraphDriver",
    "State",
    "NetworkSettings",
    "Mounts",
    "SizeRw",
    "SizeRootFs",
}


def normalise(doc: dict, name: str) -> dict:
    doc = {k: v for k, v in doc.items() if k not in VOLATILE_TOP}
    config = dict(doc["Config"])
    if config.get("Hostname") == doc.get("Id", "")[:12] or re.fullmatch(
        r"[0-9a-f]{12}", config.get("Hostname", "")
    ):
        config["Hostname"] = "<id>"
    config["Labels"] = {
        k: v for k, v in (config.get("Labels") or {}).items() if not k.startswith("dockermagic.")
    }
    if config.get("Env"):  # the 28.x CLI orders -e and --env entries differently from run to run
        config["Env"] = sorted(config["Env"])
    host = dict(doc["HostConfig"])
    for key in ("CapAdd", "CapDrop"):  # the 28.x CLI writes CAP_NET_ADMIN, docker.io's 20.10 NET_ADMIN
        if host.get(key):
            host[key] = sorted(cap.upper().removeprefix("CAP_") for cap in host[key])
    if host.get("Links"):
        host["Links"] = [link.replace(f"/{name}/", "/<name>/") for link in host["Links"]]
    doc["Config"], doc["HostConfig"] = config, host
    return empty_as_none(json.loads(json.dumps(doc).replace(name, "<name>")))


@pytest.fixture
def env_file(tmp_path):
    path = tmp_path / "app.env"
    path.write_text("# comment\nFROM_FILE=1\n\nSPACED=a b\n")
    return str(path)


@pytest.fixture
def peers(client, unique, test_label):
    """A network and a container to link to, removed afterwards."""
    key, value = test_label.split("=")
    net = client.networks.create(f"{unique}-net", labels={key: value})
    db = client.containers.create(BASE_IMAGE, "sleep 60", name=f"{unique}-db", labels={key: value})
    yield {"net": net.name, "db": db.name}
    db.remove(force=True)
    net.remove()


CASES = [
    "{img} true",
    "-i -t {img} bash",
    "-e A=1 --env B=two -e HOME_FROM_HOST --env-file {env_file} {img} env",
    "-p 8080:80 -p 127.0.0.1:9090:90/udp -p 7000-7001:7000-7001 -p 5432 --expose 6000 {img}",
    "-P --expose 3000 {img}",
    "-v {tmp}:/data:ro -v /anon --mount type=volume,target=/vol --mount type=tmpfs,target=/scratch {img}",
    "-w /tmp -u 1000:1000 -h myhost --entrypoint /bin/sh {img} -c 'echo hi'",
    "--network {net} --network-alias web --network-alias www {img}",
    "--link {db}:database {img}",
    "--label a=1 -l b {img}",
    "--memory 64m --cpus 0.5 --restart on-failure:3 {img}",
    "--privileged --cap-add NET_ADMIN --cap-drop MKNOD --add-host example.test:10.0.0.1 {img}",
    "--health-cmd 'true' --health-interval 5s --health-timeout 2s --health-retries 3 --health-start-period 1s {img}",
    "--no-healthcheck {img}",
    "--rm -d {img} sleep 5",
    "--init --read-only --stop-signal SIGINT --shm-size 32m {img}",
    "--platform linux/amd64 {img}",
    "--device /dev/fuse --device /dev/null:/dev/xnull:r --device /dev/zero:/dev/zz {img}",
]


@pytest.mark.parametrize("case", CASES)
def test_create_matches_the_cli(ip, client, case, env_file, tmp_path, peers, unique, test_label, monkeypatch):
    monkeypatch.setenv("HOME_FROM_HOST", "set-in-the-kernel")
    ip.run_line_magic(
        "config", "DockerMagics.publish_host = '0.0.0.0'"
    )  # the CLI's own default: all interfaces
    try:
        line = case.format(img=BASE_IMAGE, env_file=env_file, tmp=tmp_path, **peers)
        verb = "run" if " -d " in f" {line} " else "create"
        cli_name, magic_name = f"{unique}-cli", f"{unique}-magic"
        import shlex

        args = shlex.split(line)
        if verb == "run":
            args = [a for a in args if a != "-d"]
        docker_cli(
            verb,
            *(["-d"] if verb == "run" else []),
            "--label",
            test_label,
            "--name",
            cli_name,
            *args,
            input=None,
        )
        ip.run_line_magic(
            "docker",
            f"{verb} {'-d ' if verb == 'run' else ''}--name {magic_name} {' '.join(shlex.quote(a) for a in args)}",
        )
        ours = normalise(client.api.inspect_container(magic_name), magic_name)
        theirs = normalise(client.api.inspect_container(cli_name), cli_name)
        assert ours == theirs
    finally:
        ip.run_line_magic("config", "DockerMagics.publish_host = '127.0.0.1'")
        for name in (f"{unique}-cli", f"{unique}-magic"):
            docker_cli("rm", "-f", "-v", name, check=False)


def test_ports_default_to_loopback(ip, client, unique):
    c = ip.run_line_magic("docker", f"create --name {unique} -p 8080:80 -p 9000 {BASE_IMAGE}")
    bindings = client.api.inspect_container(c.id)["HostConfig"]["PortBindings"]
    assert bindings == {
        "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}],
        "9000/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
    }


def test_publish_all_stays_on_loopback(ip, client, unique):
    c = ip.run_line_magic("docker", f"run -d --name {unique} -P --expose 3000 {BASE_IMAGE} sleep 30")
    ports = client.api.inspect_container(c.id)["NetworkSettings"]["Ports"]["3000/tcp"]
    assert [p["HostIp"] for p in ports] == ["127.0.0.1"] and int(ports[0]["HostPort"]) > 0
    assert c.host_port(3000) == int(ports[0]["HostPort"])


def test_platform_the_image_lacks_is_refused_as_by_the_cli(ip, test_label):
    from IPython.core.error import UsageError

    cli = docker_cli("create", "--label", test_label, "--platform", "linux/arm64", BASE_IMAGE, check=False)
    refusal = "does not match the specified platform: wanted linux/arm64, actual: linux/amd64"
    assert cli.returncode != 0 and refusal in cli.stderr.decode()
    with pytest.raises(UsageError, match=refusal) as info:
        ip.run_line_magic("docker", f"create --platform linux/arm64 {BASE_IMAGE}")
    assert "\n" not in str(info.value)
