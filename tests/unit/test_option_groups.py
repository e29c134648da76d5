"""commands.option_groups (and swarm's NodeAddresses): a group of options several commands take is
declared once; every command whose spec derives from it takes those options, reads them into the
same flat fields, and keeps its positional fields first."""

import dataclasses

import pytest

from dockermagic.commands import registry
from dockermagic.commands.build import BuildSpec
from dockermagic.commands.option_groups import ContainerResources, HealthCheck
from dockermagic.commands.registry import parse_line
from dockermagic.commands.swarm import NodeAddresses, SwarmJoinSpec


@pytest.mark.parametrize(
    "group, commands",
    [
        (HealthCheck, ("run", "create", "service create", "service update")),
        (ContainerResources, ("run", "create", "build")),
        (NodeAddresses, ("swarm init", "swarm join")),
    ],
)
def test_every_command_of_a_group_takes_its_options(group, commands):
    declared = set(registry.options_of(group))
    assert declared
    for name in commands:
        found = registry.get(name)
        assert found is not None
        assert declared <= set(found.options), f"{name} lacks options of {group.__name__}"


def test_a_groups_option_lands_in_its_flat_field():
    spec = parse_line("run --health-cmd true --health-retries 3 -m 64m -c 512 debian")
    assert (spec.health_cmd, spec.health_retries, spec.memory, spec.cpu_shares) == ("true", 3, 64 << 20, 512)
    assert parse_line("service update --no-healthcheck web").no_healthcheck is True
    assert parse_line("build --cpuset-cpus 0,1 .").cpuset_cpus == "0,1"
    join = parse_line("swarm join --advertise-addr eth0 --token t 10.0.0.1:2377")
    assert (join.host, join.advertise_addr, join.listen_addr) == ("10.0.0.1:2377", "eth0", "0.0.0.0:2377")


def test_a_groups_fields_are_keywords_so_positionals_come_first():
    assert SwarmJoinSpec("10.0.0.1:2377").host == "10.0.0.1:2377"
    assert BuildSpec(".", memory=1 << 26).context == "."
    for group in (HealthCheck, ContainerResources, NodeAddresses):
        assert all(f.kw_only for f in dataclasses.fields(group))


def test_build_takes_runs_ulimit_option_with_the_clis_word():
    """``build --ulimit`` is run's option (the CLI shows ``--ulimit ulimit`` for both)."""
    assert "--ulimit ulimit " in registry.get("build").help()
    assert (
        parse_line("build --ulimit nofile=1024:2048 .").ulimits
        == parse_line("run --ulimit nofile=1024:2048 debian").ulimits
    )
