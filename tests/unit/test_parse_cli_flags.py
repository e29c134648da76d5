"""The flags issue 13 added to the families beyond run/create, as the grammar reads them."""

from __future__ import annotations

import pytest

from dockermagic.commands import parse_line
from dockermagic.commands.containers import CopyIntoSpec, CopyOutArchiveSpec, CopyOutSpec, RmSpec, StopSpec
from dockermagic.errors import CommandError


def error(line: str) -> str:
    with pytest.raises(CommandError) as info:
        parse_line(line)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_stop_and_restart_take_28s_timeout_spelling_and_refuse_signal():
    for command in ("stop", "restart"):
        assert parse_line(f"{command} --timeout 3 c").timeout == parse_line(f"{command} -t 3 c").timeout == 3
        assert parse_line(f"{command} --time=4 c").timeout == 4
        for written in ("-s KILL", "--signal=KILL"):
            assert "needs Engine API 1.42" in error(f"{command} {written} c")
    assert parse_line("stop c") == StopSpec(("c",))


def test_rm_link_and_cp_flags():
    assert parse_line("rm -l /web/db") == RmSpec(("/web/db",), link=True)
    assert parse_line("cp -aLq ./f c:/tmp") == CopyIntoSpec("./f", "c", "/tmp", True, True, True)
    assert parse_line("cp -L c:/etc/x ./x") == CopyOutSpec("c", "/etc/x", "./x", follow_link=True)
    assert parse_line("cp --follow-link c:/etc/x -") == CopyOutArchiveSpec("c", "/etc/x", True)


def test_push_all_tags_and_content_trust():
    for command in ("push", "pull"):
        assert parse_line(f"{command} -a host:5000/repo").all_tags
        assert error(f"{command} -a host:5000/repo:1").startswith(
            f"{command} -a host:5000/repo:1: a tag can't be used with --all-tags/-a"
        )
    for command in ("push x", "pull x", "build ."):
        assert parse_line(f"{command} --disable-content-trust").disable_content_trust
        assert "content trust" in error(f"{command} --disable-content-trust=false")


@pytest.mark.parametrize(
    "line, version",
    [
        ("rmi --platform linux/amd64 x", "1.50"),
        ("save -o f --platform linux/amd64 x", "1.48"),
        ("load -i f --platform linux/amd64", "1.48"),
        ("history --platform linux/amd64 x", "1.48"),
        ("push --platform linux/amd64 x", "1.46"),
        ("images --tree", "1.47"),
        ("network connect --gw-priority 1 n c", "1.48"),
        ("network create --ipv4=false n", "1.47"),
    ],
)
def test_flags_of_newer_apis_are_refused_with_the_version(line, version):
    message = error(line)
    assert f"Engine API {version}" in message and "unknown" not in message


def test_build_flags_reach_the_spec_in_the_engines_units():
    spec = parse_line(
        "build -m 96m --memory-swap -1 --shm-size 1g -c 512 --cpu-period 50000 --cpu-quota 25000 "
        "--cpuset-cpus 0-1 --cpuset-mems 0 --ulimit nofile=1024:2048 --add-host h=[::1] --network none "
        "--cache-from a,b --cache-from c --compress --squash --iidfile /tmp/i --isolation default "
        "--security-opt x --cgroup-parent /p --force-rm ."
    )
    assert (spec.memory, spec.memory_swap, spec.shm_size) == (96 << 20, -1, 1 << 30)
    assert (spec.cpu_shares, spec.cpu_period, spec.cpu_quota) == (512, 50000, 25000)
    assert (spec.cpuset_cpus, spec.cpuset_mems, spec.network) == ("0-1", "0", "none")
    assert spec.ulimits == ({"Name": "nofile", "Soft": 1024, "Hard": 2048},)
    assert spec.extra_hosts == ("h:::1",)
    assert spec.cache_from == ("a", "b", "c")
    assert spec.compress and spec.squash and spec.force_remove and spec.remove
    assert (spec.iidfile, spec.isolation, spec.security_opt, spec.cgroup_parent) == (
        "/tmp/i",
        "default",
        ("x",),
        "/p",
    )
    assert "--rm=false would keep" in error("build --rm=false .")
    assert "ulimit" in error("build --ulimit nofile=2:1 .")


def test_listing_and_log_flags():
    assert parse_line("logs --details c").details
    assert parse_line("stats --no-trunc --no-stream").no_trunc
    assert parse_line("system df --format '{{.Type}}'").format == "{{.Type}}"


@pytest.mark.parametrize(
    "line, words",
    [
        ("exec --detach-keys ctrl-x c ls", "ctrl-p,ctrl-q"),
        ("version --kubeconfig k", "Kubernetes"),
        ("volume create --scope multi v", "swarm manager"),
        ("volume ls --cluster", "swarm manager"),
    ],
)
def test_refused_by_name_with_why(line, words):
    message = error(line)
    assert line.split()[1].split("=")[0] in message or line.split()[2] in message
    assert words in message
