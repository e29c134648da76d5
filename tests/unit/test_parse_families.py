"""Parsing of the build, logs, network/volume/system and lifecycle families into their specs, with the
exact one-line errors for bad values."""

import time

import pytest

from dockermagic.commands import parse_line
from dockermagic.commands.build import BuildSpec, parse_cell_line
from dockermagic.commands.containers import (
    KillSpec,
    PauseSpec,
    RestartSpec,
    RmSpec,
    StartSpec,
    StopSpec,
    UnpauseSpec,
)
from dockermagic.commands.networks import (
    NetworkConnectSpec,
    NetworkCreateSpec,
    NetworkDisconnectSpec,
    NetworkInspectSpec,
    NetworkLsSpec,
    NetworkPruneSpec,
    NetworkRmSpec,
)
from dockermagic.commands.system import ShortVersionSpec, SystemPruneSpec, VersionSpec
from dockermagic.commands.volumes import (
    VolumeCreateSpec,
    VolumeInspectSpec,
    VolumeLsSpec,
    VolumePruneSpec,
    VolumeRmSpec,
)
from dockermagic.errors import CommandError
from dockermagic.parsing.ipam import Pool


def error(line: str) -> str:
    with pytest.raises(CommandError) as info:
        parse_line(line)
    return str(info.value)


def test_build_takes_every_option():
    spec = parse_line(
        "build -t a:1 -t b --build-arg A=1 --build-arg B --label x=y --target t --no-cache "
        "--pull --platform linux/amd64 -q -f D ctx"
    )
    assert spec == BuildSpec(
        context="ctx",
        dockerfile="D",
        cell=None,
        tags=("a:1", "b"),
        build_args=(("A", "1"), ("B", None)),
        target="t",
        no_cache=True,
        pull=True,
        labels=(("x", "y"),),
        platform="linux/amd64",
        quiet=True,
    )


def test_build_pairs_need_a_key():
    assert error("build --build-arg =x .") == "--build-arg '=x': use KEY=VALUE."
    assert error("build --label =x .") == "--label '=x': use KEY=VALUE."


def test_dockerfile_cell_line():
    assert parse_cell_line("-t x --context d", "FROM a\n") == BuildSpec(
        context="d",
        dockerfile=None,
        cell="FROM a\n",
        tags=("x",),
        build_args=(),
        target=None,
        no_cache=False,
        pull=False,
        labels=(),
        platform=None,
        quiet=False,
    )
    with pytest.raises(CommandError) as info:
        parse_cell_line("-t x", "  \n")
    assert str(info.value) == "The %%dockerfile cell is empty: write the Dockerfile below the magic line."
    text = parse_cell_line("--help", "")
    assert (
        text.startswith(
            "Usage:  %%dockerfile [OPTIONS]\n\nBuild the cell as a Dockerfile, streaming the "
            "build.\n\nOptions:\n"
        )
        and "--context string" in text
    )


def test_logs_options_and_their_checks():
    spec = parse_line("logs --keep 5 -f -t --since 1m --until 2m -n 7 c")
    assert (spec.container, spec.follow, spec.tail, spec.timestamps, spec.keep) == ("c", True, "7", True, 5)
    # --since/--until become unix seconds when parsed: 1m and 2m before now
    assert (
        abs(time.time() - 60 - float(spec.since)) < 5
        and abs(float(spec.since) - float(spec.until) - 60) < 0.1
    )
    assert parse_line("logs --since 1700000000 c").since == "1700000000"
    assert error("logs --since yesterday c").startswith(
        'invalid argument "yesterday" for "--since" flag: use e.g. 42m'
    )
    default = parse_line("logs c")
    assert (default.tail, default.keep, default.follow) == ("all", 1000, False)
    assert parse_line("logs -n all c").tail == "all"
    assert error("logs -n x c") == (
        "invalid argument \"x\" for \"-n\" flag: use a number of lines or 'all'. See '%docker logs --help'."
    )
    assert error("logs --keep 0 c") == (
        'invalid argument "0" for "--keep" flag: use a positive number of lines. See \'%docker logs --help\'.'
    )
    assert "positive" in error("logs --keep x c")


@pytest.mark.parametrize(
    "kind, ls, inspect",
    [
        ("network", NetworkLsSpec, NetworkInspectSpec),
        ("volume", VolumeLsSpec, VolumeInspectSpec),
    ],
)
def test_object_lists_and_inspects(kind, ls, inspect):
    spec = parse_line(f"{kind} ls -q -f driver=local -f name=x -f name=y --format '{{{{.Name}}}}'")
    assert spec == ls(quiet=True, filters=(("driver", ("local",)), ("name", ("x", "y"))), format="{{.Name}}")
    assert parse_line(f"{kind} ls") == parse_line(f"{kind} list") == ls()
    assert parse_line(f"{kind} inspect -f x a b") == inspect(("a", "b"), "x")
    if kind == "network":
        assert parse_line("network ls --no-trunc") == ls(no_trunc=True)
        assert parse_line("network inspect -v a") == inspect(("a",), verbose=True)
    assert error(f"{kind} ls -f bad") == "bad filter 'bad': use key=value, e.g. -f status=running"


def test_network_commands_have_a_spec_each():
    assert parse_line(
        "network create -d overlay --subnet 10.9.0.0/16 --gateway 10.9.0.1 --label a=1 --label b "
        "--internal --attachable -o com.docker.network.bridge.name=br9 n"
    ) == NetworkCreateSpec(
        "n",
        pools=(Pool("10.9.0.0/16", gateway="10.9.0.1"),),
        driver="overlay",
        labels=(("a", "1"), ("b", "")),
        internal=True,
        attachable=True,
        options=(("com.docker.network.bridge.name", "br9"),),
    )
    assert parse_line("network create n") == NetworkCreateSpec("n")
    assert parse_line("network connect --alias db --alias sql,cache --ip 10.9.0.5 n c") == NetworkConnectSpec(
        "n", "c", ("db", "sql", "cache"), "10.9.0.5"
    )
    assert parse_line(
        "network connect --ip6 2001:db8:0::33 --link web:w --link-local-ip 169.254.1.1,fe80::1 "
        "--driver-opt ' a = 1 ',b=2 n c"
    ) == NetworkConnectSpec(
        "n",
        "c",
        ip6="2001:db8::33",
        links=("web:w",),
        link_local_ips=("169.254.1.1", "fe80::1"),
        driver_opts=(("a", "1"), ("b", "2")),
    )
    assert "invalid key/value pair" in error("network connect --driver-opt x n c")
    assert "IP address is not correctly formatted" in error("network connect --ip 10.9 n c")
    assert parse_line("network disconnect -f n c") == NetworkDisconnectSpec("n", "c", True)
    assert parse_line("network disconnect n c") == NetworkDisconnectSpec("n", "c", False)
    assert parse_line("network rm a b") == NetworkRmSpec(("a", "b"))
    assert parse_line("network rm -f a") == NetworkRmSpec(("a",), force=True)
    assert parse_line(
        "network create --subnet 10.1.0.0/16,fd00::/64 --ip-range 10.1.2.0/24 --aux-address h=fd00::5 "
        "--ipam-driver x --ipam-opt k=v --ipv6 --scope local --config-only --ingress n"
    ) == NetworkCreateSpec(
        "n",
        pools=(Pool("10.1.0.0/16", "10.1.2.0/24"), Pool("fd00::/64", aux_addresses=(("h", "fd00::5"),))),
        ipam_driver="x",
        ipam_options=(("k", "v"),),
        ipv6=True,
        scope="local",
        config_only=True,
        ingress=True,
    )
    assert parse_line("network create --config-from base n").config_from == "base"
    assert "no matching subnet" in error("network create --subnet 10.1.0.0/16 --gateway 10.2.0.1 n")
    assert "--ipv4=false needs Engine API 1.47" in error("network create --ipv4=false n")
    assert parse_line("network create --ipv4 n") == NetworkCreateSpec("n")
    assert error("network create --label =x n") == "--label '=x': use KEY=VALUE."
    assert error("network create -o =x n") == "--opt '=x': use KEY=VALUE."


def test_volume_commands_have_a_spec_each():
    assert parse_line(
        "volume create -d local --label a=1 -o type=tmpfs -o device=tmpfs v"
    ) == VolumeCreateSpec("v", "local", (("a", "1"),), (("type", "tmpfs"), ("device", "tmpfs")))
    assert parse_line("volume create") == VolumeCreateSpec(None)
    assert parse_line("volume rm -f a b") == VolumeRmSpec(("a", "b"), True)
    assert parse_line("volume rm a") == VolumeRmSpec(("a",), False)


@pytest.mark.parametrize(
    "line, spec",
    [
        ("network prune -f", NetworkPruneSpec()),
        (
            "network prune --force --filter label=a=1 --filter label=b --filter until=1h",
            NetworkPruneSpec((("label", ("a=1", "b")), ("until", ("1h",)))),
        ),
        ("volume prune -f", VolumePruneSpec()),
        ("volume prune -af --filter label=a", VolumePruneSpec(True, (("label", ("a",)),))),
        ("system prune -f", SystemPruneSpec()),
        (
            "system prune -a --volumes -f --filter label=x=y",
            SystemPruneSpec(True, True, (("label", ("x=y",)),)),
        ),
    ],
)
def test_prunes(line, spec):
    assert parse_line(line) == spec


@pytest.mark.parametrize(
    "line, removes",
    [
        ("network prune", "all custom networks not used by a container"),
        ("volume prune -a", "local volumes not used by a container"),
        (
            "system prune --filter label=x",
            "all stopped containers, all networks not used by a container, "
            "all dangling images and the build cache",
        ),
        (
            "system prune -a --volumes",
            "all stopped containers, all networks not used by a container, all volumes "
            "not used by a container, all images without a container and the build cache",
        ),
    ],
)
def test_a_prune_without_force_is_refused_with_what_it_would_remove(line, removes):
    command = line.split(" -")[0]
    assert error(line) == (
        f"'%docker {command}' removes {removes}: add -f to confirm (a notebook cell cannot "
        "answer the CLI's prompt), and --filter label=... to narrow it."
    )


def test_version_flags():
    assert parse_line("--version") == parse_line("-v") == ShortVersionSpec()
    assert parse_line("version --format '{{.Server.Version}}'") == VersionSpec("{{.Server.Version}}")
    assert error("-v -x") == "unknown shorthand flag: 'x' in -x. See '%docker --version --help'."


def test_filters_are_key_value_pairs():
    assert parse_line("ps -f status=exited -f ' name =db' -f status=created").filters == (
        ("name", ("db",)),
        ("status", ("exited", "created")),
    )
    assert error("ps -f bad") == "bad filter 'bad': use key=value, e.g. -f status=running"
    assert error("ps -f =x") == "bad filter '=x': use key=value, e.g. -f status=running"


@pytest.mark.parametrize(
    "line, spec",
    [
        ("stop -t 5 a b", StopSpec(("a", "b"), 5)),
        ("restart a", RestartSpec(("a",), None)),
        ("kill -s HUP a", KillSpec(("a",), "HUP")),
        ("rm -f -v a", RmSpec(("a",), True, True)),
        ("start a", StartSpec(("a",))),
        ("pause a b", PauseSpec(("a", "b"))),
        ("unpause a", UnpauseSpec(("a",))),
    ],
)
def test_lifecycle_commands(line, spec):
    assert parse_line(line) == spec
