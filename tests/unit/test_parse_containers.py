"""Grammar of the container commands: run/create flags, ps, lifecycle, commit, cp (no engine)."""
import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockermagic.commands.containers import CommitSpec, CopySpec, LifecycleSpec, PsSpec
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
        "--health-retries 3 --health-start-period 2s --platform linux/amd64 debian:bookworm")
    assert (spec.detach, spec.interactive, spec.tty, spec.remove) == (True, True, True, True)
    assert spec.publish == ("127.0.0.1:80:80",) and spec.publish_all
    assert spec.volumes == ("/tmp:/data:ro",) and spec.mounts == ("type=tmpfs,target=/t",)
    assert (spec.workdir, spec.user, spec.hostname, spec.entrypoint) == ("/srv", "1000:1000", "box", "sh")
    assert (spec.network, spec.network_aliases, spec.links) == ("net", ("db",), ("other:o",))
    assert spec.labels == ("k=v",)
    assert spec.memory == 512 * 1024 ** 2 and spec.cpus == 1_500_000_000
    assert spec.restart == "on-failure:3" and spec.privileged
    assert (spec.cap_add, spec.cap_drop, spec.add_hosts) == (("NET_ADMIN",), ("MKNOD",), ("h:10.0.0.1",))
    assert spec.health_cmd == "true"
    assert spec.health_interval == 90 * 10 ** 9 and spec.health_timeout == 500 * 10 ** 6
    assert spec.health_retries == 3 and spec.health_start_period == 2 * 10 ** 9
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


@pytest.mark.parametrize("line, word", [
    ("run --memory lots debian:bookworm", "memory"),
    ("run --health-interval soon debian:bookworm", "health-interval"),
    ("run --bogus debian:bookworm", "--bogus"),
    ("run", "image"),
])
def test_run_bad_input_is_one_line(line, word):
    with pytest.raises(CommandError) as info:
        parse_line(line)
    assert word in str(info.value) and "\n" not in str(info.value)


def test_ps_flags_and_filters():
    spec = parse_line("ps -aq -n 3 -f status=exited --filter name=db -f status=created --no-trunc -s")
    assert isinstance(spec, PsSpec)
    assert spec.all and spec.quiet and spec.last == 3 and spec.no_trunc and spec.size
    assert dict(spec.filters) == {"status": ["exited", "created"], "name": ["db"]}
    assert parse_line("container ls --format '{{.Names}}'").format == "{{.Names}}"
    with pytest.raises(CommandError, match="key=value"):
        parse_line("ps -f exited")


def test_lifecycle_commands_take_several_names():
    spec = parse_line("rm -fv a b c")
    assert spec == LifecycleSpec("rm", ("a", "b", "c"), force=True, volumes=True)
    assert parse_line("stop -t 3 a b").timeout == 3
    assert parse_line("kill -s HUP a").signal == "HUP"
    assert parse_line("restart a").action == "restart"
    with pytest.raises(CommandError):
        parse_line("stop")


def test_commit_and_cp():
    spec = parse_line("commit -m msg -a 'A <a@b>' -c 'ENV X=1' -c 'CMD [\"sh\"]' web repo:tag")
    assert spec == CommitSpec("web", "repo:tag", "msg", "A <a@b>", ("ENV X=1", 'CMD ["sh"]'), True)
    assert parse_line("cp web:/etc/hostname ./h") == CopySpec("web:/etc/hostname", "./h")
    assert parse_line("cp ./h web:/tmp/") == CopySpec("./h", "web:/tmp/")
    with pytest.raises(CommandError, match="exactly one"):
        parse_line("cp ./a ./b")


def test_help_for_each_container_command():
    for name in ("run", "create", "ps", "stop", "rm", "commit", "cp", "diff", "port", "top", "stats"):
        help_ = parse_line(f"{name} --help")
        assert isinstance(help_, Help) and "Usage" in str(help_)


_WORDS = ["run", "create", "ps", "rm", "stop", "kill", "restart", "commit", "cp", "diff", "port",
          "top", "stats", "start", "-d", "-it", "-p", "-e", "--name", "--name=", "-f", "-a", "-q",
          "-n", "--wait", "--wait=3", "--wait-log", "--memory", "--cpus", "--health-interval",
          "--health-retries", "--format", "--filter", "-v", "--mount", "--", "-", "=", ":",
          "debian:bookworm", "a:/b", "x=y", "{{.ID}}", "'", '"', "3", "1m", "-s", "--rm"]


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
