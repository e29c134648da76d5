"""Grammar of the container commands: run/create flags, ps, lifecycle, commit, cp (no engine)."""

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockermagic.commands.containers import (
    CommitSpec,
    ContainerPruneSpec,
    CopyIntoSpec,
    CopyOutArchiveSpec,
    CopyOutSpec,
    KillSpec,
    PsSpec,
    RenameSpec,
    RestartSpec,
    RmSpec,
    StopSpec,
    UpdateSpec,
    WaitSpec,
)
from dockermagic.commands.registry import Help, parse_line
from dockermagic.commands.run import RunSpec
from dockermagic.errors import CommandError


def test_run_clustered_flags_and_command_rest():
    spec = parse_line("run -dp 8080:80 --name=web -e A=1 --env B=2 debian:bookworm sh -c 'echo -d'")
    assert isinstance(spec, RunSpec)
    assert (spec.detach, spec.publish, spec.name, spec.env) == (True, ("8080:80",), "web", ("A=1", "B=2"))
    assert spec.image == "debian:bookworm"
    # flags after the image belong to the container's command, as in the CLI
    assert spec.command == ("sh", "-c", "echo -d")


def test_run_every_listed_flag_reaches_the_spec():
    spec = parse_line(
        "run -d -i -t --rm --name n -e A=1 -p 127.0.0.1:80:80 -P -v /tmp:/data:ro "
        "--mount type=tmpfs,target=/t -w /srv -u 1000:1000 -h box --entrypoint sh "
        "--network net --network-alias db --link other:o --label k=v --memory 512m --cpus 1.5 "
        "--restart on-failure:3 --privileged --cap-add NET_ADMIN --cap-drop MKNOD "
        "--add-host h:10.0.0.1 --health-cmd 'true' --health-interval 1m30s --health-timeout 500ms "
        "--health-retries 3 --health-start-period 2s --platform linux/amd64 debian:bookworm"
    )
    assert (spec.detach, spec.interactive, spec.tty, spec.remove) == (True, True, True, True)
    assert spec.publish == ("127.0.0.1:80:80",) and spec.publish_all
    assert spec.volumes == ("/tmp:/data:ro",) and spec.mounts == ({"Type": "tmpfs", "Target": "/t"},)
    assert (spec.workdir, spec.user, spec.hostname, spec.entrypoint) == ("/srv", "1000:1000", "box", "sh")
    assert (spec.networks, spec.network_aliases, spec.links) == (({"Target": "net"},), ("db",), ("other:o",))
    assert spec.labels == ("k=v",)
    assert spec.memory == 512 * 1024**2 and spec.cpus == 1_500_000_000
    assert spec.restart == ("on-failure", 3) and spec.privileged
    assert (spec.cap_add, spec.cap_drop, spec.add_hosts) == (("NET_ADMIN",), ("MKNOD",), ("h:10.0.0.1",))
    assert spec.health_cmd == "true"
    assert spec.health_interval == 90 * 10**9 and spec.health_timeout == 500 * 10**6
    assert spec.health_retries == 3 and spec.health_start_period == 2 * 10**9
    assert spec.platform == "linux/amd64"


def test_create_is_detached_and_refuses_d():
    spec = parse_line("create --name x debian:bookworm sleep 1")
    assert spec.create_only and spec.detach and spec.command == ("sleep", "1")
    with pytest.raises(CommandError, match="-d"):
        parse_line("create -d debian:bookworm")


def test_wait_forms():
    assert parse_line("run -d --wait debian:bookworm").wait == -1.0
    assert parse_line("run -d --wait=30 debian:bookworm").wait == 30.0
    assert parse_line("run -d --wait=1m debian:bookworm").wait == 60.0
    spec = parse_line("run -d --wait-log 'ready for connections' debian:bookworm")
    assert spec.wait == -1.0 and spec.wait_log == "ready for connections"
    with pytest.raises(CommandError, match="needs -d"):
        parse_line("run --wait debian:bookworm")
    with pytest.raises(CommandError, match="regular expression"):
        parse_line("run -d --wait-log '(' debian:bookworm")


@pytest.mark.parametrize(
    "line, word",
    [
        ("run --memory lots debian:bookworm", "memory"),
        ("run --health-interval soon debian:bookworm", "health-interval"),
        ("run --bogus debian:bookworm", "--bogus"),
        ("run", "image"),
    ],
)
def test_run_bad_input_is_one_line(line, word):
    with pytest.raises(CommandError) as info:
        parse_line(line)
    assert word in str(info.value) and "\n" not in str(info.value)


def test_ps_flags_and_filters():
    spec = parse_line("ps -aq -n 3 -f status=exited --filter name=db -f status=created --no-trunc -s")
    assert isinstance(spec, PsSpec)
    assert spec.all and spec.quiet and spec.last == 3 and spec.no_trunc and spec.size
    assert dict(spec.filters) == {"status": ("exited", "created"), "name": ("db",)}
    assert parse_line("container ls --format '{{.Names}}'").format == "{{.Names}}"
    with pytest.raises(CommandError, match="key=value"):
        parse_line("ps -f exited")


def test_lifecycle_commands_take_several_names():
    assert parse_line("rm -fv a b c") == RmSpec(("a", "b", "c"), force=True, volumes=True)
    assert parse_line("stop -t 3 a b") == StopSpec(("a", "b"), 3)
    assert parse_line("kill -s HUP a") == KillSpec(("a",), "HUP")
    assert parse_line("kill a") == KillSpec(("a",), "KILL")
    assert parse_line("container restart a") == RestartSpec(("a",), None)
    with pytest.raises(CommandError):
        parse_line("stop")


def test_rename_and_wait():
    assert parse_line("rename old new") == RenameSpec("old", "new")
    assert parse_line("wait a b") == WaitSpec(("a", "b"))
    with pytest.raises(CommandError, match="requires 2 arguments"):
        parse_line("rename old")


def test_update_sends_only_the_flags_given_with_the_apis_field_names():
    spec = parse_line(
        "update --cpus 0.5 -m 64m --memory-swap -1 --pids-limit 50 -c 512 "
        "--cpuset-cpus 0 --memory-reservation 32m --restart on-failure:2 a b"
    )
    assert spec == UpdateSpec(
        ("a", "b"),
        (
            ("CpuShares", 512),
            ("NanoCpus", 500_000_000),
            ("CpusetCpus", "0"),
            ("Memory", 64 * 1024**2),
            ("MemoryReservation", 32 * 1024**2),
            ("MemorySwap", -1),
            ("PidsLimit", 50),
            ("RestartPolicy", {"Name": "on-failure", "MaximumRetryCount": 2}),
        ),
    )
    with pytest.raises(CommandError, match="at least one flag"):
        parse_line("update a")
    with pytest.raises(CommandError, match='"--memory" flag'):
        parse_line("update --memory lots a")
    with pytest.raises(CommandError, match='"--restart" flag'):
        parse_line("update --restart always:3 a")


def test_container_prune_needs_force_and_takes_filters():
    assert parse_line("container prune -f --filter until=1h --filter label=a=b") == ContainerPruneSpec(
        (("label", ("a=b",)), ("until", ("1h",)))
    )
    with pytest.raises(CommandError, match="add -f"):
        parse_line("container prune")


def test_commit_and_cp():
    spec = parse_line("commit -m msg -a 'A <a@b>' -c 'ENV X=1' -c 'CMD [\"sh\"]' web repo:tag")
    assert spec == CommitSpec("web", "repo:tag", "msg", "A <a@b>", ("ENV X=1", 'CMD ["sh"]'), True)
    assert parse_line("cp web:/etc/hostname ./h") == CopyOutSpec("web", "/etc/hostname", "./h")
    assert parse_line("cp ./h web:/tmp/") == CopyIntoSpec("./h", "web", "/tmp/")
    with pytest.raises(CommandError, match="exactly one"):
        parse_line("cp ./a ./b")


@pytest.mark.parametrize(
    "line, spec",
    [
        # a word whose part before ':' holds a '/' is a path here: no container name has one
        ("cp dir/f:x web:/tmp", CopyIntoSpec("dir/f:x", "web", "/tmp")),
        ("cp web:/tmp/a dir/f:x", CopyOutSpec("web", "/tmp/a", "dir/f:x")),
        ("cp /abs/a:b web:/tmp", CopyIntoSpec("/abs/a:b", "web", "/tmp")),
        ("cp ./a:b web:/tmp", CopyIntoSpec("./a:b", "web", "/tmp")),
        ("cp web:/etc/hostname -", CopyOutArchiveSpec("web", "/etc/hostname")),
    ],
)
def test_cp_direction_is_decided_by_one_rule(line, spec):
    assert parse_line(line) == spec


def test_cp_from_stdin_is_refused_in_one_line():
    with pytest.raises(CommandError, match="stdin"):
        parse_line("cp - web:/tmp")


def test_help_for_each_container_command():
    for name in (
        "run",
        "create",
        "ps",
        "stop",
        "rm",
        "commit",
        "cp",
        "diff",
        "port",
        "top",
        "stats",
        "rename",
        "wait",
        "update",
        "container prune",
    ):
        help_ = parse_line(f"{name} --help")
        assert isinstance(help_, Help) and "Usage" in str(help_)


_WORDS = [
    "run",
    "create",
    "ps",
    "rm",
    "stop",
    "kill",
    "restart",
    "commit",
    "cp",
    "diff",
    "port",
    "rename",
    "wait",
    "update",
    "container",
    "prune",
    "--restart",
    "--memory-swap",
    "--pids-limit",
    "top",
    "stats",
    "start",
    "-d",
    "-it",
    "-p",
    "-e",
    "--name",
    "--name=",
    "-f",
    "-a",
    "-q",
    "-n",
    "--wait",
    "--wait=3",
    "--wait-log",
    "--memory",
    "--cpus",
    "--health-interval",
    "--health-retries",
    "--format",
    "--filter",
    "-v",
    "--mount",
    "--",
    "-",
    "=",
    ":",
    "debian:bookworm",
    "a:/b",
    "x=y",
    "{{.ID}}",
    "'",
    '"',
    "3",
    "1m",
    "-s",
    "--rm",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=8)), max_size=8))
def test_any_tokens_give_a_spec_or_a_command_error(tokens):
    try:
        parse_line(" ".join(shlex.quote(t) for t in tokens))
    except CommandError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_raw_line_gives_a_spec_or_a_command_error(line):
    try:
        parse_line(line)
    except CommandError:
        pass


def test_update_numbers_are_checked_in_one_line():
    with pytest.raises(CommandError) as info:
        parse_line("update --pids-limit many a")
    assert str(info.value) == (
        'invalid argument "many" for "--pids-limit" flag: use a whole number, e.g. 512. '
        "See '%docker update --help'."
    )
