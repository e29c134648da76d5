"""attach and start -a/-i on the real engine: output live in the cell (checked on arrival
times), stdin through the terminal widget's path, the CLI's exit status, and what a kernel
interrupt does (SIGINT sent on, then attach lets go and start -a stops)."""

import re
import signal
import threading
import time

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, docker_cli
from tests.engine.test_streaming import arrivals, engine_time  # noqa: F401 (a fixture)
from tests.engine.test_terminal import RECORDER, received, type_until_recorded

PAUSE = 2.0  # seconds between a container's first and last line

# prints a line, waits PAUSE, prints another, exits 0; started detached, it waits first for the attach
TWO_LINES = f"sh -c 'sleep 1; echo early-line; sleep {PAUSE}; echo late-line'"
# SIGINT ends it with a last line and status 7
TRAPS_INT = "sh -c 'trap \"echo got-int; exit 7\" INT; echo ready; while :; do sleep 0.1; done'"


def interrupt_main_after(seconds: float) -> None:
    """What a kernel interrupt is: SIGINT delivered to the kernel's main thread."""
    main = threading.main_thread().ident
    threading.Thread(target=lambda: (time.sleep(seconds), signal.pthread_kill(main, signal.SIGINT))).start()


def state(client, name: str) -> dict:
    return client.api.inspect_container(name)["State"]


def test_attach_streams_live_and_returns_the_status(ip, client, unique, arrivals):  # noqa: F811
    arrivals = arrivals()
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} {TWO_LINES}")
    result = ip.run_line_magic("docker", f"attach {unique}")
    returned = time.time()
    finished = engine_time(state(client, unique)["FinishedAt"])
    early, late = arrivals.when("early-line"), arrivals.when("late-line")
    assert early < finished - PAUSE + 0.5, "the first line came only when the container exited"
    assert late - early > PAUSE - 0.5 and returned >= late
    assert (result.exit_code, result.stdout) == (0, "early-line\nlate-line\n")


@pytest.mark.parametrize("how", ["-a", "-ai"])
def test_start_a_streams_live(ip, client, unique, arrivals, how):  # noqa: F811
    arrivals = arrivals()
    ip.run_line_magic("docker", f"create --name {unique} {BASE_IMAGE} {TWO_LINES}")
    result = ip.run_line_magic("docker", f"start {how} {unique}")  # -i: no stdin to attach, as the CLI
    finished = engine_time(state(client, unique)["FinishedAt"])
    early, late = arrivals.when("early-line"), arrivals.when("late-line")
    assert early < finished - PAUSE + 0.5 and late - early > PAUSE - 0.5
    assert (result.exit_code, result.stdout) == (0, "early-line\nlate-line\n")


def test_start_a_non_zero_status_is_one_error_as_the_cli_gives_it(ip, client, unique, test_label):
    command = ["sh", "-c", "echo out; echo err-line >&2; exit 3"]
    ip.run_line_magic(
        "docker", f"create --name {unique} {BASE_IMAGE} sh -c 'echo out; echo err-line >&2; exit 3'"
    )
    docker_cli("create", "--name", f"{unique}-cli", "--label", test_label, BASE_IMAGE, *command)
    cli = docker_cli("start", "-a", f"{unique}-cli", check=False)
    with pytest.raises(UsageError, match="exited with code 3:\nerr-line") as failed:
        ip.run_line_magic("docker", f"start -a {unique}")
    assert cli.returncode == state(client, unique)["ExitCode"] == 3
    assert (cli.stdout, cli.stderr) == (b"out\n", b"err-line\n")
    assert "Traceback" not in str(failed.value)


def test_start_a_on_several_containers_is_refused_as_the_cli_does(ip, client, unique, test_label):
    for name in (f"{unique}-1", f"{unique}-2"):
        docker_cli("create", "--name", name, "--label", test_label, BASE_IMAGE, "true")
    cli = docker_cli("start", "-a", f"{unique}-1", f"{unique}-2", check=False)
    with pytest.raises(UsageError, match="cannot start and attach multiple containers at once"):
        ip.run_line_magic("docker", f"start -a {unique}-1 {unique}-2")
    assert cli.returncode == 1 and b"cannot start and attach multiple containers at once" in cli.stderr
    assert [state(client, f"{unique}-{n}")["Status"] for n in (1, 2)] == ["created", "created"]


def test_attach_interrupt_sends_sigint_as_the_cli_does(ip, client, unique):
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} {TRAPS_INT}")
    interrupt_main_after(1.5)
    with pytest.raises((UsageError, KeyboardInterrupt)) as ended:  # KeyboardInterrupt: not sent on
        ip.run_line_magic("docker", f"attach {unique}")
    assert ended.type is UsageError and re.search("exited with code 7:\n(.*\n)?got-int", str(ended.value))
    assert state(client, unique)["ExitCode"] == 7


@pytest.mark.parametrize("how", ["--sig-proxy=false", "ignored"])
def test_attach_interrupt_detaches_and_the_container_keeps_running(ip, client, unique, how):
    """--sig-proxy=false: at once. A SIGINT the process ignores (sleep as PID 1): after the grace."""
    command = TRAPS_INT if how == "--sig-proxy=false" else "sleep infinity"
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} {command}")
    interrupt_main_after(1.5)
    begun = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        ip.run_line_magic("docker", f"attach {'--sig-proxy=false' if how != 'ignored' else ''} {unique}")
    took = time.monotonic() - begun
    assert state(client, unique)["Running"]
    assert took < 2.5 if how == "--sig-proxy=false" else 4.0 < took < 6.5, took


@pytest.mark.parametrize("remove", [False, True], ids=["kept", "--rm"])
def test_start_a_interrupt_stops_what_it_started(ip, client, unique, remove):
    ip.run_line_magic(
        "docker", f"create {'--rm' if remove else ''} --name {unique} {BASE_IMAGE} sleep infinity"
    )
    interrupt_main_after(1.5)
    with pytest.raises(KeyboardInterrupt):
        ip.run_line_magic("docker", f"start -a {unique}")
    deadline = time.monotonic() + 10
    while True:
        found = client.api.containers(all=True, filters={"name": f"^/{unique}$"})
        if (not found) if remove else found[0]["State"] == "exited":
            break
        assert time.monotonic() < deadline, found
        time.sleep(0.2)


def test_start_ai_stdin_through_the_widget_without_a_tty(ip, client, unique):
    ip.run_line_magic("docker", f"create -i --name {unique} {BASE_IMAGE} sh -c 'cat; echo input-ended >&2'")
    t = ip.run_line_magic("docker", f"start -ai {unique}")
    line, ctrl_c, detach, ctrl_d = t.widget().children[1].children
    # what pressing Enter in the input line does; 64 characters and a newline make a frame
    # whose size byte is "A", which would show if the frames were not taken apart
    line.value = typed = "typed-line-" + "x" * 53
    t.wait_for(typed)
    assert line.value == "" and state(client, unique)["Running"]
    ctrl_d.click()  # end of input: cat ends, then the container
    t.wait_for("input-ended")
    assert t.wait_closed(10) and line.disabled
    assert t.text.splitlines() == [typed, "input-ended"]
    assert state(client, unique)["Status"] == "exited"


def test_start_ai_with_a_tty_opens_the_terminal(ip, client, unique):
    ip.run_line_magic("docker", f"create -it --name {unique} {BASE_IMAGE} bash")
    t = ip.run_line_magic("docker", f"start -ai {unique}")
    t.wait_for(r"root@\w+:/# ")
    t.send("echo typed-$((40+2)); exit 5\n")
    t.wait_for("typed-42")
    assert t.wait_closed(10) and state(client, unique)["ExitCode"] == 5


def test_attach_without_a_tty_to_an_open_stdin(ip, client, unique):
    ip.run_line_magic("docker", f"run -d -i --name {unique} {BASE_IMAGE} cat")
    t = ip.run_line_magic("docker", f"attach {unique}")
    t.send("through-stdin\n").wait_for("through-stdin")
    t.detach()  # no TTY: the connection is closed; run -d keeps the stdin open (no StdinOnce)
    time.sleep(0.5)
    assert t.closed and state(client, unique)["Running"]


def test_attach_detach_keys_are_the_ones_given(ip, client, unique):
    ip.run_line_magic("docker", f"run -d -it --name {unique} {BASE_IMAGE} {RECORDER}")
    t = ip.run_line_magic("docker", f"attach --detach-keys ctrl-a,d {unique}")
    type_until_recorded(t, client, unique, "\x10\x11")  # ctrl-p ctrl-q: only bytes for the process now
    assert "Detach (Ctrl-A d)" in t.widget().children[1].children[2].description
    begun = time.monotonic()
    t.detach()
    assert t.closed and time.monotonic() - begun < 2  # the engine ended the stream on ctrl-a d
    time.sleep(0.5)
    assert state(client, unique)["Running"] and received(client, unique) == b"\x10\x11"


def test_attach_no_stdin_is_a_terminal_to_read(ip, client, unique):
    ip.run_line_magic(
        "docker", f"run -d -it --name {unique} {BASE_IMAGE} sh -c 'while :; do echo tick; sleep 0.2; done'"
    )
    t = ip.run_line_magic("docker", f"attach --no-stdin {unique}")
    t.wait_for("tick")
    with pytest.raises(RuntimeError, match="without stdin"):
        t.send("x")
    assert t.widget().children[1].children[0].disabled
    t.interrupt()  # no stdin, no byte to send: Ctrl-C leaves, as the CLI's does
    assert t.closed and state(client, unique)["Running"]


def test_bad_detach_keys_are_one_line(ip, unique):
    with pytest.raises(UsageError, match='invalid argument "ctrl-1" for "--detach-keys"'):
        ip.run_line_magic("docker", f"attach --detach-keys ctrl-1 {unique}")


@pytest.mark.parametrize("streams", ["stdout", "stderr", "STDOUT -a stderr"])
def test_run_a_shows_the_streams_chosen_as_the_cli_does(ip, test_label, capsys, streams):
    flags = f"-a {streams}"
    command = "sh -c 'echo to-out; echo to-err >&2'"
    cli = docker_cli(
        "run", "--rm", "--label", test_label, *flags.split(), BASE_IMAGE, "sh", "-c", command[7:-1]
    )
    capsys.readouterr()
    result = ip.run_line_magic("docker", f"run --rm {flags} {BASE_IMAGE} {command}")
    shown = capsys.readouterr()
    assert (shown.out, shown.err) == (cli.stdout.decode(), cli.stderr.decode())
    assert (result.stdout, result.stderr) == (shown.out, shown.err) and shown.out + shown.err


def test_ctrl_c_without_a_tty_is_sigint_to_the_container(ip, client, unique):
    ip.run_line_magic("docker", f"run -d -i --name {unique} {BASE_IMAGE} {TRAPS_INT}")
    t = ip.run_line_magic("docker", f"attach {unique}")  # stdin open, no TTY: the terminal
    t.widget().children[1].children[1].click()  # the Ctrl-C button
    t.wait_for("got-int")
    assert t.wait_closed(10) and state(client, unique)["ExitCode"] == 7
