"""Interactive terminals: run -it, attach, exec -it, driven through the widget's model."""

import time

import pytest

from tests.conftest import BASE_IMAGE
from tests.podman import DETACH

pytestmark = pytest.mark.podman  # in the subset scripts/podman.sh runs against Podman


def test_run_it_type_through_the_widget_and_detach(ip, unique, client):
    t = ip.run_line_magic("docker", f"run -it --name {unique} {BASE_IMAGE} bash")
    t.wait_for(r"root@\w+:/# ")
    box = t.widget()
    output, (line, ctrl_c, detach) = box.children[0], box.children[1].children
    line.value = "echo typed-$((40+2))"  # what pressing Enter in the input line does
    t.wait_for("typed-42")
    assert "typed-42" in output.value and line.value == ""
    line.value = "sleep 100"
    t.wait_for("sleep 100")
    ctrl_c.click()
    t.wait_for(r"\^C|\n.*# $")
    detach.click()
    assert t.closed and line.disabled
    assert client.api.inspect_container(unique)["State"]["Running"]


@pytest.mark.podman_differs(DETACH)
def test_attach_and_exec_it(ip, unique, client):
    ip.run_line_magic("docker", f"run -d -it --name {unique} {BASE_IMAGE} bash")
    t = ip.run_line_magic("docker", f"attach {unique}")
    t.send("echo attached\n").wait_for("attached")
    t.detach()
    assert client.api.inspect_container(unique)["State"]["Running"]
    e = ip.run_line_magic("docker", f"exec -it {unique} bash")
    e.send("echo in-exec; exit\n")
    assert e.wait_closed(10) and "in-exec" in e.text
    assert client.api.inspect_container(unique)["State"]["Running"]


def test_exec_it_runs_as_the_options_say(ip, unique):
    # user, workdir and env reach the terminal's exec as they reach a plain exec's
    ip.run_line_magic("docker", f"run -d -it --name {unique} {BASE_IMAGE} bash")
    e = ip.run_line_magic(
        "docker", f"exec -it -u 65534 -w /etc -e MARK=set-by-e {unique} sh -c 'id -u; pwd; echo $MARK'"
    )
    assert e.wait_closed(10)
    assert e.text.split() == ["65534", "/etc", "set-by-e"], e.text


@pytest.mark.podman_differs(DETACH)
def test_escaped_output_and_plain_text_face(ip, unique):
    t = ip.run_line_magic("docker", f"run -it --name {unique} {BASE_IMAGE} bash")
    t.send("echo '<img src=x onerror=alert(1)>'\n").wait_for("onerror")
    html = t.widget().children[0].value
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "No widget front end here" in t._repr_mimebundle_()["text/plain"]
    t.detach()


def test_attach_to_a_stopped_container_is_one_line(ip, unique):
    from IPython.core.error import UsageError

    ip.run_line_magic("docker", f"create --name {unique} {BASE_IMAGE}")
    with pytest.raises(UsageError, match="stopped container"):
        ip.run_line_magic("docker", f"attach {unique}")


# The process reads its terminal raw (no line discipline, so no byte is eaten or held back)
# and writes every byte it receives to a file: what it was sent is exactly what is in the file.
RECORDER = "bash -c 'stty raw -echo; exec cat > /tmp/received'"


def received(client, name: str) -> bytes:
    return client.containers.get(name).exec_run(["cat", "/tmp/received"]).output


def type_until_recorded(t, client, name: str, text: str, before: str = "") -> None:
    t.send(text)
    deadline = time.monotonic() + 10
    while received(client, name) != (before + text).encode():
        assert time.monotonic() < deadline, f"the process never recorded {text!r}"
        time.sleep(0.1)


@pytest.mark.parametrize("how", ["run -it", "attach"])
@pytest.mark.podman_differs(DETACH)
def test_detach_through_the_attach_stream(ip, unique, client, how):
    if how == "run -it":  # stdin closes with the attach: a closed socket would end cat, and the container
        t = ip.run_line_magic("docker", f"run -it --name {unique} {BASE_IMAGE} {RECORDER}")
    else:
        ip.run_line_magic("docker", f"run -d -it --name {unique} {BASE_IMAGE} {RECORDER}")
        t = ip.run_line_magic("docker", f"attach {unique}")
    type_until_recorded(t, client, unique, "typed")
    start = time.monotonic()
    t.detach()
    took = time.monotonic() - start
    time.sleep(0.5)
    assert client.api.inspect_container(unique)["State"]["Running"]
    assert received(client, unique) == b"typed"  # the detach keys never reached the process
    assert t.closed and took < 2  # the engine ended the stream at once
    again = ip.run_line_magic("docker", f"attach {unique}")  # still attachable, stdin still open
    if how == "attach":
        type_until_recorded(again, client, unique, "typed-again", before="typed")
    again.detach()


@pytest.mark.podman_differs(DETACH)
def test_detach_keys_do_not_follow_the_users_docker_config(ip, unique, client, monkeypatch):
    """The SDK sends the config file's detachKeys unless told otherwise."""
    ip.run_line_magic("docker", "version")  # connected
    api = ip.magics_manager.registry["DockerMagics"].session.api
    monkeypatch.setitem(api._general_configs, "detachKeys", "ctrl-e,e")
    t = ip.run_line_magic("docker", f"run -it --name {unique} {BASE_IMAGE} {RECORDER}")
    type_until_recorded(t, client, unique, "x")
    t.detach()
    assert client.api.inspect_container(unique)["State"]["Running"] and received(client, unique) == b"x"


@pytest.mark.podman_differs(DETACH)
def test_detach_from_exec_it(ip, unique, client):
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep 60")
    e = ip.run_line_magic("docker", f"exec -it {unique} {RECORDER}")
    type_until_recorded(e, client, unique, "in-exec")
    start = time.monotonic()
    e.detach()
    assert e.closed and time.monotonic() - start < 2
    assert received(client, unique) == b"in-exec"
    assert client.api.inspect_container(unique)["State"]["Running"]
