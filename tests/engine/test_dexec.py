"""%dexec, %%dexec and %docker exec against the real engine."""

import signal
import threading
import time

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, remove_labelled
from tests.podman import TOP

pytestmark = pytest.mark.podman  # in the subset scripts/podman.sh runs against Podman

TRICKY = 'a=\'single "double" $HOME `tick` \\\\back\'\nprintf "%s\\n" "$a"\necho "line two"\n'


@pytest.fixture
def box(ip, unique):
    ip.run_line_magic("docker", f"run -d --name {unique} {BASE_IMAGE} sleep infinity")
    return unique


@pytest.fixture(scope="module")
def python_image(client):
    """debian:bookworm has no python3: one small image with it, for the whole module."""
    import io

    df = f"FROM {BASE_IMAGE}\nRUN apt-get update && apt-get install -y --no-install-recommends python3-minimal\n"
    image, _ = client.images.build(
        fileobj=io.BytesIO(df.encode()),
        tag="dockermagic-test-python3:1",
        rm=True,
        labels={"dockermagic.test": "python-image"},
    )
    yield image.tags[0]
    remove_labelled(client, "dockermagic.test=python-image")


def test_output_streams_in_order_with_split_and_exit_code(ip, box, capfd):
    r = ip.run_line_magic("dexec", f"{box} sh -c 'echo 1; sleep 0.1; echo 2 >&2; sleep 0.1; echo 3'")
    out, err = capfd.readouterr()
    assert out.splitlines()[-2:] == ["1", "3"] and err.strip().endswith("2")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "1\n3\n", "2\n")
    with pytest.raises(UsageError, match=r"exited with code 5:\nboom"):
        ip.run_line_magic("dexec", f"{box} sh -c 'echo boom >&2; exit 5'")
    assert ip.run_line_magic("dexec", f"--no-raise {box} sh -c 'exit 3'").exit_code == 3


def test_user_workdir_env(ip, box):
    r = ip.run_line_magic(
        "dexec", f"-u nobody -w /tmp -e GREETING='hello world' {box} sh -c 'id -un; pwd; echo $GREETING'"
    )
    assert r.stdout == "nobody\n/tmp\nhello world\n"
    r = ip.run_line_magic("docker", f"exec -u 65534 -w /etc -e A=1 {box} sh -c 'id -u; pwd; echo $A'")
    assert r.stdout == "65534\n/etc\n1\n"


@pytest.mark.parametrize("interpreter", ["sh", "bash"])
def test_cell_scripts_arrive_unchanged(ip, box, interpreter):
    r = ip.run_cell_magic("dexec", f"{box} --shell {interpreter}", TRICKY)
    assert r.stdout == 'single "double" $HOME `tick` \\\\back\nline two\n'


def test_python_cell_and_shebang(ip, unique, python_image):
    ip.run_line_magic("docker", f"run -d --name {unique} {python_image} sleep infinity")
    body = 'x = "quotes \' \\" and $dollar"\nprint(x)\nprint(sum(range(10)))\n'
    r = ip.run_cell_magic("dexec", f"{unique} --shell python3", body)
    assert r.stdout == "quotes ' \" and $dollar\n45\n"
    r = ip.run_cell_magic("dexec", unique, "#!/usr/bin/python3\nimport sys\nprint(sys.version_info[0])\n")
    assert r.stdout == "3\n"


def test_expansion_is_opt_in_for_the_body(ip, box):
    ip.user_ns["who"] = "notebook"
    assert ip.run_cell_magic("dexec", box, "echo {who}").stdout == "{who}\n"
    assert ip.run_cell_magic("dexec", f"{box} --expand", "echo {who}").stdout == "notebook\n"


@pytest.mark.podman_differs(TOP)
def test_interrupt_stops_the_process_inside(ip, box, client):
    main = threading.main_thread().ident
    threading.Thread(target=lambda: (time.sleep(1.5), signal.pthread_kill(main, signal.SIGINT))).start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        ip.run_line_magic("dexec", f"{box} sleep 1000")
    assert time.monotonic() - start < 10
    procs = client.api.top(box)["Processes"]
    assert not any("sleep 1000" in " ".join(p) for p in procs)
    # the kernel goes on: the next command works
    assert ip.run_line_magic("dexec", f"{box} echo alive").stdout == "alive\n"


@pytest.mark.podman_differs(TOP)
def test_interrupt_stops_a_script_and_its_children(ip, box, client):
    main = threading.main_thread().ident
    threading.Thread(target=lambda: (time.sleep(1.5), signal.pthread_kill(main, signal.SIGINT))).start()
    with pytest.raises(KeyboardInterrupt):
        ip.run_cell_magic("dexec", box, "echo start\nsleep 999\necho never\n")
    time.sleep(0.5)
    assert not any("sleep 999" in " ".join(p) for p in client.api.top(box)["Processes"])


def test_missing_and_stopped_containers(ip, unique):
    with pytest.raises(UsageError, match="No such container: nope-x"):
        ip.run_line_magic("dexec", "nope-x ls")
    ip.run_line_magic("docker", f"create --name {unique} {BASE_IMAGE}")
    with pytest.raises(UsageError, match=f"not running .*%docker start {unique}"):
        ip.run_line_magic("dexec", f"{unique} ls")


@pytest.mark.podman_differs(TOP)
def test_stop_from_inside_the_container_when_its_pids_are_not_visible(ip, box, client):
    """The general path (kernel on another host): the kill runs through a second exec."""
    from dockermagic.engine.exec import stop_exec

    api = client.api
    cid = api.inspect_container(box)["Id"]
    ex = api.exec_create(cid, ["sh", "-c", 'sleep 1000 & sleep 1001; echo "$1"', "sh", "it's $x"])
    api.exec_start(ex["Id"], detach=True)
    for _ in range(50):
        if sum("sleep 100" in " ".join(p) for p in api.top(box)["Processes"]) == 2:
            break
        time.sleep(0.1)
    stop_exec(api, ex["Id"], cid, local=False)
    assert not api.exec_inspect(ex["Id"])["Running"]
    assert not any("sleep 100" in " ".join(p) for p in api.top(box)["Processes"])
