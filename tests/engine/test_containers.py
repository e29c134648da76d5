"""Container commands against the real engine: streaming, failures, interrupts,
--wait, --replace, ps parity, commit/diff (cp: test_cp.py)."""

import re
import signal
import threading
import time

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, docker_cli
from tests.podman import HEALTHCHECKS, HISTORY_COMMENT, HOST_IP, MISSING_WORDS, STATS_CPU, TOP

pytestmark = pytest.mark.podman  # in the subset scripts/podman.sh runs against Podman


def interrupt_main_after(seconds: float) -> threading.Thread:
    """What a kernel interrupt is: SIGINT delivered to the kernel's main thread."""
    main = threading.main_thread().ident
    t = threading.Thread(target=lambda: (time.sleep(seconds), signal.pthread_kill(main, signal.SIGINT)))
    t.start()
    return t


def wait_gone(client, label: str, seconds: float = 10) -> bool:
    """--rm containers are removed by the engine itself, a moment after they exit."""
    deadline = time.monotonic() + seconds
    while client.api.containers(all=True, filters={"label": label}):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_foreground_run_streams_output_in_order(ip, capfd):
    result = ip.run_line_magic(
        "docker", f"run --rm {BASE_IMAGE} sh -c 'echo one; sleep 0.2; echo two; echo oops >&2'"
    )
    out, err = capfd.readouterr()
    assert out.splitlines()[-2:] == ["one", "two"] and "oops" in err
    assert result.exit_code == 0 and result.stdout == "one\ntwo\n" and result.stderr == "oops\n"


def test_foreground_failure_raises_with_code_and_stderr_tail(ip, client, test_label):
    with pytest.raises(UsageError) as info:
        ip.run_line_magic("docker", f"run --rm {BASE_IMAGE} sh -c 'echo first >&2; echo last >&2; exit 3'")
    assert "exited with code 3" in str(info.value) and "last" in str(info.value)
    assert wait_gone(client, test_label)


@pytest.mark.parametrize("remove", [True, False])
def test_interrupt_stops_the_container(ip, client, test_label, remove):
    flag = "--rm " if remove else ""
    t = interrupt_main_after(1.5)
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        ip.run_line_magic("docker", f"run {flag}{BASE_IMAGE} sleep 1000")
    t.join()
    assert time.monotonic() - start < 10
    if remove:
        assert wait_gone(client, test_label)
    else:
        left = client.api.containers(all=True, filters={"label": test_label})
        assert [c["State"] for c in left] == ["exited"]


def test_detached_run_returns_a_container_object(ip, unique):
    c = ip.run_line_magic("docker", f"run -d --name {unique} -p 8080 {BASE_IMAGE} sleep 30")
    assert c.name == unique and c.status == "running" and c.ip
    assert c.url(8080).startswith("http://127.0.0.1:")
    assert "127.0.0.1:" in c._repr_pretty_.__self__.card().text()
    assert "<b>" + unique + "</b>" in c._repr_html_()
    c.stop(timeout=1)
    assert c.status == "exited"


def test_name_conflict_names_replace(ip, unique):
    first = ip.run_line_magic("docker", f"create --name {unique} {BASE_IMAGE}")
    with pytest.raises(UsageError, match="--replace"):
        ip.run_line_magic("docker", f"create --name {unique} {BASE_IMAGE}")
    second = ip.run_line_magic("docker", f"create --replace --name {unique} {BASE_IMAGE}")
    assert second.id != first.id


# A server that starts listening on 7000 only after LISTEN_AFTER seconds, and says when (epoch
# seconds, the same clock as the test's): the engine's userland proxy accepts on the host port
# from the start, so only a wait that reaches the server itself returns after that moment.
LISTEN_AFTER = 2
LATE_SERVER = (
    "perl -MIO::Socket::INET -e 'sleep {after}; my $s = IO::Socket::INET->new("
    'LocalPort => 7000, Listen => 5, ReuseAddr => 1) or die; system("date", "+listening %s.%N"); '
    'while (my $c = $s->accept) {{ print $c "hello\\n"; close $c }}\''
)


def test_wait_for_published_port_returns_after_the_server_listens(ip, unique):
    import socket

    c = ip.run_line_magic(
        "docker",
        f"run -d --name {unique} -p 7000 --wait=20 {BASE_IMAGE} " + LATE_SERVER.format(after=LISTEN_AFTER),
    )
    returned = time.time()
    said = re.search(r"listening (\S+)", c.logs())
    assert said, "--wait returned before the server inside listened"
    listening = float(said.group(1))
    assert returned >= listening, f"--wait returned {listening - returned:.2f}s before the server listened"
    with socket.create_connection(("127.0.0.1", c.host_port(7000)), timeout=2) as conn:
        assert conn.makefile().readline() == "hello\n"


def test_wait_for_a_port_that_never_opens_times_out_and_removes(ip, unique, client, test_label):
    start = time.monotonic()
    with pytest.raises(
        UsageError, match=r"Timed out after 2s waiting for its published ports.*\n.*never-listens"
    ):
        ip.run_line_magic(
            "docker",
            f"run -d --name {unique} -p 7000 --wait=2 {BASE_IMAGE} sh -c 'echo never-listens; sleep 60'",
        )
    assert 2 <= time.monotonic() - start < 10
    assert client.api.containers(all=True, filters={"label": test_label}) == []


def test_wait_when_the_container_exits_raises_with_its_logs_and_removes(ip, unique, client, test_label):
    with pytest.raises(UsageError, match=r"stopped while waiting for it \(exit code 3\).*\n.*bye-now"):
        ip.run_line_magic(
            "docker", f"run -d --name {unique} -p 7000 --wait=20 {BASE_IMAGE} sh -c 'echo bye-now; exit 3'"
        )
    assert client.api.containers(all=True, filters={"label": test_label}) == []


@pytest.mark.podman_differs(HEALTHCHECKS)
def test_wait_on_an_unhealthy_container_raises_and_removes(ip, unique, client, test_label):
    start = time.monotonic()
    with pytest.raises(UsageError, match=r"healthcheck reports unhealthy.*\n.*sick-service"):
        ip.run_line_magic(
            "docker",
            f"run -d --name {unique} --health-cmd false --health-interval 300ms "
            f"--health-retries 1 --wait=30 {BASE_IMAGE} sh -c 'echo sick-service; sleep 60'",
        )
    assert time.monotonic() - start < 15
    assert client.api.containers(all=True, filters={"label": test_label}) == []


def test_wait_for_log_line_and_timeout(ip, unique, client, test_label):
    c = ip.run_line_magic(
        "docker",
        f"run -d --name {unique} --wait-log 'ready to serve' {BASE_IMAGE} "
        "sh -c 'sleep 1; echo ready to serve; sleep 30'",
    )
    assert "ready to serve" in c.logs()
    with pytest.raises(UsageError, match=r"Timed out after 1s .*\n.*still starting"):
        ip.run_line_magic(
            "docker",
            f"run -d --name {unique}-2 --wait=1 --wait-log never {BASE_IMAGE} "
            "sh -c 'echo still starting; sleep 30'",
        )
    names = [c["Names"][0] for c in client.api.containers(all=True, filters={"label": test_label})]
    assert names == [f"/{unique}"]  # the one that timed out was removed


@pytest.mark.podman_differs(HEALTHCHECKS)
def test_wait_for_healthy(ip, unique):
    c = ip.run_line_magic(
        "docker",
        f"run -d --name {unique} --health-cmd 'test -f /tmp/up' "
        f"--health-interval 500ms --wait=30 {BASE_IMAGE} sh -c 'sleep 1; touch /tmp/up; sleep 30'",
    )
    assert c.status == "running (healthy)"


def _table(text: str) -> list[list[str]]:
    return [re.split(r"\s{3,}", line.strip()) for line in text.strip().splitlines()]


def test_ps_matches_the_cli(ip, unique, test_label):
    ip.run_line_magic("docker", f"run -d --name {unique}-a -p 127.0.0.1:8089:80 {BASE_IMAGE} sleep 30")
    ip.run_line_magic("docker", f"create --name {unique}-b {BASE_IMAGE} true")
    ours = ip.run_line_magic("docker", f"ps -a --filter label={test_label}").text()
    theirs = docker_cli("ps", "-a", "--filter", f"label={test_label}").stdout.decode()
    # CREATED is read a moment apart by the two (a second on a busy machine): compared as a shape
    mine, cli = _table(ours), _table(theirs)
    assert [row[:3] + row[4:] for row in mine] == [row[:3] + row[4:] for row in cli]
    assert all(re.fullmatch(r"(Less than a second|\d+ seconds?) ago", row[3]) for row in mine[1:] + cli[1:])
    q = ip.run_line_magic("docker", f"ps -aq --filter label={test_label}").text()
    assert q.split() == docker_cli("ps", "-aq", "--filter", f"label={test_label}").stdout.decode().split()
    fmt = "{{.Names}} {{.Image}} {{.Ports}}"
    assert ip.run_line_magic("docker", f"ps -a --filter label={test_label} --format '{fmt}'").text().split(
        "\n"
    ) == docker_cli(
        "ps", "-a", "--filter", f"label={test_label}", "--format", fmt
    ).stdout.decode().removesuffix("\n").split("\n")  # a row with no ports ends in a space in both


@pytest.mark.podman_differs(HISTORY_COMMENT)
def test_diff_commit_and_history(ip, unique, client):
    ip.run_line_magic(
        "docker",
        f"run --name {unique} {BASE_IMAGE} sh -c 'echo hi > /added; rm /etc/issue; echo x >> /etc/motd'",
    )
    kinds = {row["Path"]: row["Kind"] for row in ip.run_line_magic("docker", f"diff {unique}")}
    assert kinds["/added"] == "A" and kinds["/etc/issue"] == "D" and kinds["/etc/motd"] == "C"
    image = ip.run_line_magic("docker", f'commit -m "test" -a "author" {unique} {unique}-img:v1')
    assert image.tags == [f"{unique}-img:v1"]
    assert image.attrs["Comment"] == "test" and image.attrs["Author"] == "author"
    assert image.history().rows[0]["Comment"] == "test"


@pytest.mark.podman_differs(MISSING_WORDS)
def test_errors_for_missing_things_are_one_line(ip):
    with pytest.raises(UsageError, match="No such container: nope-"):
        ip.run_line_magic("docker", "stop nope-does-not-exist")
    with pytest.raises(UsageError, match="unknown flag: --bogus"):
        ip.run_line_magic("docker", "run --bogus x")


def test_logs_follow_streams_until_interrupted(ip, unique, client, monkeypatch):
    ip.run_line_magic(
        "docker",
        f"run -d --name {unique} {BASE_IMAGE} "
        "sh -c 'i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.2; done'",
    )
    written: list[tuple[float, str]] = []
    monkeypatch.setattr(
        "sys.stdout",
        type(
            "Out",
            (),
            {
                "write": lambda self, s: written.append((time.monotonic(), s)) or len(s),
                "flush": lambda self: None,
            },
        )(),
    )
    start = time.monotonic()
    interrupt_main_after(2.0)
    view = ip.run_line_magic("docker", f"logs -f {unique}")
    returned = time.monotonic()
    assert 1.8 <= returned - start < 6
    assert view.note == "stopped following (interrupted)" and not view.following
    ticks = [line for _, line in view.buffer.lines]
    assert len(ticks) >= 6 and ticks[0] == "tick-1"  # followed while the container kept printing
    assert written and written[0][0] < returned - 1, "lines were shown only when following stopped"
    assert client.api.inspect_container(unique)["State"][
        "Running"
    ]  # Ctrl-C stops following, not the container


def test_logs_follow_ends_when_the_container_stops(ip, unique):
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sh -c 'echo a; sleep 1; echo b'")
    view = ip.run_line_magic("docker", f"logs -f {unique}")
    assert [line for _, line in view.buffer.lines] == ["a", "b"] and view.note == "the container stopped"


def test_port_matches_the_cli(ip, unique):
    ip.run_line_magic(
        "docker", f"run -d --name {unique} -p 80 -p 127.0.0.1:9999:53/udp {BASE_IMAGE} sleep 30"
    )
    for args in ([unique], [unique, "80"], [unique, "53/udp"]):
        ours = ip.run_line_magic("docker", "port " + " ".join(args)).text()
        assert ours == docker_cli("port", *args).stdout.decode().strip()
    with pytest.raises(UsageError, match="No public port '81'"):
        ip.run_line_magic("docker", f"port {unique} 81")


@pytest.mark.podman_differs(TOP)
def test_top_matches_the_cli(ip, unique):
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sh -c 'sleep 41 & sleep 42'")
    time.sleep(0.3)  # both sleeps started
    ours = _table(ip.run_line_magic("docker", f"top {unique}").text())
    theirs = _table(docker_cli("top", unique).stdout.decode())
    assert [r[:3] + r[-1:] for r in ours] == [r[:3] + r[-1:] for r in theirs]  # UID PID PPID ... CMD
    assert {r[-1] for r in ours[1:]} == {"sh -c sleep 41 & sleep 42", "sleep 41", "sleep 42"}
    ps = ip.run_line_magic("docker", f"top {unique} -o pid,comm").text()
    assert _table(ps) == _table(docker_cli("top", unique, "-o", "pid,comm").stdout.decode())


@pytest.mark.podman_differs(STATS_CPU)
def test_stats_is_one_snapshot_with_the_clis_columns(ip, unique):
    ip.run_line_magic(
        "docker", f"run -d --name {unique} --memory 64m {BASE_IMAGE} sh -c 'while :; do :; done'"
    )  # a busy loop: CPU % well above 0
    time.sleep(1)
    start = time.monotonic()
    table = ip.run_line_magic("docker", f"stats {unique}")
    assert time.monotonic() - start < 10  # one snapshot, not a stream
    theirs = _table(docker_cli("stats", "--no-stream", unique).stdout.decode())
    ours = _table(table.text())
    assert ours[0] == theirs[0]  # the same columns
    row = dict(zip(ours[0], ours[1], strict=False))
    assert row["NAME"] == unique and row["PIDS"] == "1" and row["MEM USAGE / LIMIT"].endswith("/ 64MiB")
    assert float(row["CPU %"].rstrip("%")) > 1  # from two samples (0.00% when broken); a shared machine: low


def test_start_and_unpause(ip, unique, client):
    ip.run_line_magic("docker", f"create --name {unique} {BASE_IMAGE} sleep 30")
    ip.run_line_magic("docker", f"start {unique}")
    state = client.api.inspect_container(unique)["State"]
    assert state["Running"] and not state["Paused"]
    ip.run_line_magic("docker", f"pause {unique}")
    assert client.api.inspect_container(unique)["State"]["Paused"]
    ip.run_line_magic("docker", f"unpause {unique}")
    state = client.api.inspect_container(unique)["State"]
    assert state["Running"] and not state["Paused"]


@pytest.mark.podman_differs(HOST_IP)
def test_publish_host_all_interfaces(ip, unique, client):
    ip.run_line_magic("config", "DockerMagics.publish_host = '0.0.0.0'")
    try:
        c = ip.run_line_magic(
            "docker", f"run -d --name {unique} -p 7000 -P --expose 7001 {BASE_IMAGE} sleep 30"
        )
    finally:
        ip.run_line_magic("config", "DockerMagics.publish_host = '127.0.0.1'")
    ports = client.api.inspect_container(c.id)["NetworkSettings"]["Ports"]
    for port in ("7000/tcp", "7001/tcp"):
        assert {b["HostIp"] for b in ports[port]} <= {"0.0.0.0", "::"} and ports[port][0]["HostPort"]
    other = ip.run_line_magic("docker", f"run -d --name {unique}-lo -p 7000 {BASE_IMAGE} sleep 30")
    lo = client.api.inspect_container(other.id)["NetworkSettings"]["Ports"]["7000/tcp"]
    assert [b["HostIp"] for b in lo] == ["127.0.0.1"]  # the setting restored
