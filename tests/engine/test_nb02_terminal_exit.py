"""nb02's exit and detach cells: when `exit` ends the attached shell, the terminal reports
closed only once the engine has recorded the exit (as the CLI's attach returns), while
Ctrl-P Ctrl-Q closes it at once and leaves the container running."""

import time

BASE_IMAGE = "debian:bookworm"


def _state(client, name):
    return client.api.inspect_container(name)["State"]


def _listed_status(ip, name):
    """The status as `ps -a` lists it (the engine's list view, which lags inspect slightly)."""
    return str(ip.run_line_magic("docker", f'ps -a --filter name=^{name}$ --format "{{{{.Status}}}}"'))


def test_exit_through_attach_leaves_the_container_exited_when_closed(ip, client, unique):
    t = ip.run_line_magic("docker", f"run -it --name {unique} {BASE_IMAGE} bash")
    t.wait_for(r"# $")
    t.detach()
    t = ip.run_line_magic("docker", f"attach {unique}")
    t.send("echo attached\n").wait_for("^attached")
    assert t.send("exit 3\n").wait_closed()
    # read at once, no sleep: closed must already mean exited, in the listing too
    assert _listed_status(ip, unique).startswith("Exited (3)")
    state = _state(client, unique)
    assert (state["Running"], state["Status"], state["ExitCode"]) == (False, "exited", 3)


def test_exit_of_run_it_shell_leaves_the_container_exited_when_closed(ip, client, unique):
    t = ip.run_line_magic("docker", f"run -it --name {unique} {BASE_IMAGE} bash")
    t.wait_for(r"# $")
    assert t.send("exit\n").wait_closed()
    assert _listed_status(ip, unique).startswith("Exited (0)")


def test_detach_returns_at_once_and_the_container_keeps_running(ip, client, unique):
    t = ip.run_line_magic("docker", f"run -it --name {unique} {BASE_IMAGE} bash")
    t.wait_for(r"# $")
    start = time.monotonic()
    t.detach()
    assert time.monotonic() - start < 3
    assert t.closed and _state(client, unique)["Running"]


def test_detach_keys_typed_by_hand_do_not_wait_for_an_exit(ip, client, unique):
    t = ip.run_line_magic("docker", f"run -it --name {unique} {BASE_IMAGE} bash")
    t.wait_for(r"# $")
    start = time.monotonic()
    t.send(b"\x10\x11")
    assert t.wait_closed(5) and time.monotonic() - start < 3
    assert _state(client, unique)["Running"]
