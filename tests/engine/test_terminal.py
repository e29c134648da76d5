"""Interactive terminals: run -it, attach, exec -it, driven through the widget's model."""
import pytest

from tests.conftest import BASE_IMAGE


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
