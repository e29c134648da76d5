"""rename, wait, update and container prune: the CLI and %docker leave the same engine state."""

import subprocess
import time

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, docker_cli

UPDATE_CASES = [
    [
        "--cpus",
        "0.5",
        "--memory",
        "64m",
        "--memory-swap",
        "128m",
        "--memory-reservation",
        "32m",
        "--cpu-shares",
        "512",
        "--pids-limit",
        "50",
        "--cpuset-cpus",
        "0",
        "--restart",
        "on-failure:2",
    ],
    [
        "--cpu-period",
        "100000",
        "--cpu-quota",
        "20000",
        "-m",
        "96m",
        "--memory-swap",
        "-1",
        "--kernel-memory",
        "50m",
        "--cpuset-mems",
        "0",
        "--restart",
        "unless-stopped",
    ],
]
UPDATED_KEYS = (
    "NanoCpus",
    "Memory",
    "MemorySwap",
    "MemoryReservation",
    "CpuShares",
    "PidsLimit",
    "CpusetCpus",
    "CpusetMems",
    "CpuPeriod",
    "CpuQuota",
    "KernelMemory",
    "RestartPolicy",
    "BlkioWeight",
    "CpuRealtimePeriod",
    "CpuRealtimeRuntime",
)


def retried(prune, attempts: int = 20):
    """The engine runs one prune of a kind at a time and refuses a second ("a prune operation is
    already running"); ours waits for the other one, the CLI fails: its prune is tried again."""
    for _ in range(attempts - 1):
        try:
            return prune()
        except subprocess.CalledProcessError as exc:
            if b"already running" not in (exc.stderr or b""):
                raise
            time.sleep(0.5)
    return prune()


def pair(ip, unique, *command):
    """Two identical containers, `<unique>-cli` and `<unique>-dm`, made by %docker (so labelled)."""
    for who in ("cli", "dm"):
        ip.run_line_magic("docker", f"run -d --name {unique}-{who} {BASE_IMAGE} {' '.join(command)}")
    return f"{unique}-cli", f"{unique}-dm"


@pytest.mark.parametrize("flags", UPDATE_CASES, ids=["cpus-and-memory", "cfs-quota-and-swap"])
def test_update_sets_the_same_host_config(ip, client, unique, flags):
    cli, dm = pair(ip, unique, "sleep", "300")
    before = client.api.inspect_container(cli)["HostConfig"]
    docker_cli("update", *flags, cli)
    shown = ip.run_line_magic("docker", f"update {' '.join(flags)} {dm}")
    assert str(shown) == dm
    hosts = [client.api.inspect_container(name)["HostConfig"] for name in (cli, dm)]
    changed = {key for key in UPDATED_KEYS if hosts[0][key] != before[key]}
    assert len(changed) >= 6, changed  # what the CLI changed is what is compared
    for key in UPDATED_KEYS:
        assert hosts[0][key] == hosts[1][key], key


def test_update_of_a_missing_container_is_one_line(ip):
    with pytest.raises(UsageError, match="No such container: dmt-missing") as info:
        ip.run_line_magic("docker", "update --memory 64m dmt-missing")
    assert "\n" not in str(info.value)


def test_rename(ip, client, unique):
    cli, dm = pair(ip, unique, "sleep", "300")
    ids = [client.api.inspect_container(name)["Id"] for name in (cli, dm)]
    docker_cli("rename", cli, f"{cli}-new")
    assert str(ip.run_line_magic("docker", f"rename {dm} {dm}-new")) == ""
    names = [client.api.inspect_container(i)["Name"] for i in ids]
    assert names == [f"/{cli}-new", f"/{dm}-new"]


def test_wait_prints_and_returns_the_exit_codes(ip, client, unique, capfd):
    for code in (3, 5):
        ip.run_line_magic(
            "docker", f"run -d --name {unique}-{code} {BASE_IMAGE} sh -c 'sleep 1; exit {code}'"
        )
    cli = docker_cli("wait", f"{unique}-3", f"{unique}-5").stdout.decode()
    result = ip.run_line_magic("docker", f"wait {unique}-3 {unique}-5")
    assert str(result) + "\n" == cli == "3\n5\n"
    assert result.codes == [3, 5]


def test_wait_blocks_until_the_container_stops(ip, unique):
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sh -c 'sleep 2; exit 7'")
    begun = time.monotonic()
    assert ip.run_line_magic("docker", f"wait {unique}").codes == [7]
    assert time.monotonic() - begun > 1.0


def test_container_prune_with_a_label_filter_removes_only_the_stopped_ones(ip, client, unique, test_label):
    key, value = test_label.split("=")
    for who in ("cli", "dm"):
        ip.run_line_magic(
            "docker", f"run --name {unique}-{who}-stopped --label pair={unique}-{who} {BASE_IMAGE} true"
        )
        ip.run_line_magic(
            "docker",
            f"run -d --name {unique}-{who}-running --label pair={unique}-{who} {BASE_IMAGE} sleep 300",
        )
    cli = retried(
        lambda: docker_cli("container", "prune", "-f", "--filter", f"label=pair={unique}-cli").stdout.decode()
    )
    shown = ip.run_line_magic("docker", f"container prune -f --filter label=pair={unique}-dm")
    assert str(shown).splitlines()[0] == cli.splitlines()[0] == "Deleted Containers:"
    left = {c["Names"][0].lstrip("/") for c in client.api.containers(all=True, filters={"label": test_label})}
    assert left == {f"{unique}-cli-running", f"{unique}-dm-running"}
    # the ids printed are the ones removed, as the CLI prints them
    assert len(str(shown).splitlines()[1]) == 64


def test_container_prune_without_force_removes_nothing(ip, client, unique, test_label):
    ip.run_line_magic("docker", f"run --name {unique} {BASE_IMAGE} true")
    with pytest.raises(UsageError, match="add -f"):
        ip.run_line_magic("docker", f"container prune --filter label={test_label}")
    assert client.api.containers(all=True, filters={"label": test_label})


def test_container_prune_until_keeps_what_is_newer(ip, client, unique, test_label):
    ip.run_line_magic("docker", f"run --name {unique} {BASE_IMAGE} true")
    filters = f"--filter until=1h --filter label={test_label}"
    cli = retried(lambda: docker_cli("container", "prune", "-f", *filters.split()).stdout.decode())
    shown = ip.run_line_magic("docker", f"container prune -f {filters}")
    assert str(shown) == cli.strip() == "Total reclaimed space: 0B"
    assert client.api.containers(all=True, filters={"label": test_label})  # younger than an hour: kept
