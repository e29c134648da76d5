"""State-changing commands beyond run/create: the CLI and %docker leave the same engine state."""

import pytest

from tests.conftest import BASE_IMAGE, docker_cli, empty_as_none


def seconds(stamp: str) -> float:
    """The engine's RFC 3339 times (nanoseconds, trailing zeros cut) as epoch seconds."""
    import datetime as dt

    head, _, frac = stamp.rstrip("Z").partition(".")
    return dt.datetime.fromisoformat(head).replace(tzinfo=dt.timezone.utc).timestamp() + float(
        "0." + (frac or "0")
    )


def strip_ours(labels):
    return {k: v for k, v in (labels or {}).items() if not k.startswith("dockermagic.")}


def test_network_create_and_connect(ip, client, unique, test_label):
    docker_cli(
        "network",
        "create",
        "--label",
        test_label,
        "--label",
        "team=data",
        "--internal",
        "--subnet",
        "172.31.251.0/24",
        f"{unique}-cli",
    )
    ip.run_line_magic(
        "docker", f"network create --label team=data --internal --subnet 172.31.252.0/24 {unique}-dm"
    )
    try:
        cli_net, dm_net = (client.api.inspect_network(f"{unique}-{w}") for w in ("cli", "dm"))
        for key in ("Driver", "Internal", "Attachable", "EnableIPv6", "Options", "Scope"):
            assert empty_as_none(cli_net[key]) == empty_as_none(dm_net[key]), key
        assert strip_ours(cli_net["Labels"]) == strip_ours(dm_net["Labels"])
        assert [c["Subnet"][-3:] for c in cli_net["IPAM"]["Config"]] == [
            c["Subnet"][-3:] for c in dm_net["IPAM"]["Config"]
        ]
        box = ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep 30")
        docker_cli("network", "connect", "--alias", "db", f"{unique}-cli", unique)
        ip.run_line_magic("docker", f"network connect --alias db {unique}-dm {unique}")
        nets = client.api.inspect_container(box.id)["NetworkSettings"]["Networks"]
        assert sorted(nets[f"{unique}-cli"]["Aliases"]) == sorted(nets[f"{unique}-dm"]["Aliases"])
    finally:
        docker_cli("rm", "-f", unique, check=False)
        docker_cli("network", "rm", f"{unique}-cli", check=False)


def test_volume_create(ip, client, unique, test_label):
    docker_cli("volume", "create", "--label", test_label, "--label", "kind=cache", f"{unique}-cli")
    ip.run_line_magic("docker", f"volume create --label kind=cache {unique}-dm")
    try:
        cli_vol, dm_vol = (client.api.inspect_volume(f"{unique}-{w}") for w in ("cli", "dm"))
        for key in ("Driver", "Options", "Scope"):
            assert empty_as_none(cli_vol[key]) == empty_as_none(dm_vol[key]), key
        assert strip_ours(cli_vol["Labels"]) == strip_ours(dm_vol["Labels"])
    finally:
        docker_cli("volume", "rm", f"{unique}-cli", check=False)


def test_commit_with_changes(ip, client, unique, test_label):
    ip.run_line_magic("docker", f"run --name {unique} {BASE_IMAGE} sh -c 'echo x > /x'")
    docker_cli(
        "commit",
        "-m",
        "msg",
        "-a",
        "me",
        "-c",
        "ENV MODE=test",
        "-c",
        'CMD ["cat", "/x"]',
        unique,
        f"{unique}-cli:1",
    )
    ip.run_line_magic(
        "docker", f"commit -m msg -a me -c 'ENV MODE=test' -c 'CMD [\"cat\", \"/x\"]' {unique} {unique}-dm:1"
    )
    try:
        cli_img, dm_img = (client.api.inspect_image(f"{unique}-{w}:1") for w in ("cli", "dm"))
        for key in ("Comment", "Author"):
            assert cli_img[key] == dm_img[key]
        for key in ("Env", "Cmd", "Entrypoint", "WorkingDir", "User"):
            assert cli_img["Config"][key] == dm_img["Config"][key], key
        assert strip_ours(cli_img["Config"]["Labels"]) == strip_ours(dm_img["Config"]["Labels"])
        assert cli_img["RootFS"]["Layers"][:-1] == dm_img["RootFS"]["Layers"][:-1]
    finally:
        docker_cli("rmi", f"{unique}-cli:1", f"{unique}-dm:1", check=False)


@pytest.mark.parametrize("verb", ["stop", "kill", "restart", "pause", "unpause", "start"])
def test_lifecycle_state(ip, client, unique, verb):
    for who in ("cli", "dm"):
        ip.run_line_magic(
            "docker",
            f"{'create' if verb == 'start' else 'run -d'} --name {unique}-{who} {BASE_IMAGE} sleep 300",
        )
        if verb == "unpause":
            client.api.pause(f"{unique}-{who}")
    before = [client.api.inspect_container(f"{unique}-{w}")["State"] for w in ("cli", "dm")]
    docker_cli(verb, *(["-t", "1"] if verb in ("stop", "restart") else []), f"{unique}-cli")
    ip.run_line_magic("docker", f"{verb} {'-t 1 ' if verb in ('stop', 'restart') else ''}{unique}-dm")
    states = [client.api.inspect_container(f"{unique}-{w}")["State"] for w in ("cli", "dm")]
    for key in ("Status", "Running", "Paused", "Restarting", "ExitCode", "OOMKilled"):
        assert states[0][key] == states[1][key], key
    for old, new in zip(before, states, strict=True):  # what the verb changed, the same way for both
        assert (new["StartedAt"] != old["StartedAt"]) == (verb in ("restart", "start")), verb
        assert (new["FinishedAt"] != old["FinishedAt"]) == (verb in ("stop", "kill", "restart")), verb
        assert new["Pid"] != old["Pid"] or verb in ("pause", "unpause")
    if verb == "restart":
        assert all(s["Running"] and seconds(s["StartedAt"]) > seconds(s["FinishedAt"]) for s in states)
    if verb == "pause":
        for who in ("cli", "dm"):
            client.api.unpause(f"{unique}-{who}")


def test_tag_and_rmi(ip, client, unique):
    docker_cli("tag", BASE_IMAGE, f"{unique}-cli:t")
    ip.run_line_magic("docker", f"tag {BASE_IMAGE} {unique}-dm:t")
    ids = {client.api.inspect_image(f"{unique}-{w}:t")["Id"] for w in ("cli", "dm")}
    assert ids == {client.api.inspect_image(BASE_IMAGE)["Id"]}
    docker_cli("rmi", f"{unique}-cli:t")
    ip.run_line_magic("docker", f"rmi {unique}-dm:t")
    assert not client.images.list(name=f"{unique}-cli") and not client.images.list(name=f"{unique}-dm")
    assert client.api.inspect_image(BASE_IMAGE)  # only the names went
