"""Clean-up with a real kernel (jupyter_client): SIGKILL, shutdown, restart, and the
interrupts of a foreground run, a build and a %dexec.

Each test labels what its kernel creates with the test's label (``ip`` removes
whatever is left) and names it with the test's ``unique`` prefix. Times until
the engine is clean are printed (``-s``) for the README.
"""

from __future__ import annotations

import time

import pytest

from tests.conftest import BASE_IMAGE
from tests.engine.kernels import CLEAN_WITHIN, Kernel, alive, names, running, wait_until

pytestmark = pytest.mark.engine


@pytest.mark.parametrize("trial", [1, 2, 3])
def test_sigkill_removes_what_was_temporary_and_keeps_the_rest(kernels, client, test_label, unique, trial):
    k = kernels(test_label)
    k.run(
        f"%docker run -d --rm --name {unique}-a {BASE_IMAGE} sleep 300\n"
        f"%docker run -d --name {unique}-b {BASE_IMAGE} sleep 300\n"
        f"t = %docker run -it --rm --name {unique}-c {BASE_IMAGE} bash\n"
        't.wait_for(r"# ")'
    )
    [watchdog] = k.watchdog_pids()
    k.start(f"%docker run --name {unique}-d {BASE_IMAGE} sleep 300")  # a foreground run, killed mid-way
    assert wait_until(lambda: running(client, f"{unique}-d"), 30) is not None
    assert set(names(client, test_label)) == {f"{unique}-{x}" for x in "abcd"}

    k.sigkill()
    killed = time.monotonic()
    seconds = wait_until(lambda: set(names(client, test_label)) == {f"{unique}-b"}, 30)
    print(f"\nSIGKILL trial {trial}: engine clean after {seconds} s")
    assert seconds is not None and seconds < CLEAN_WITHIN, names(client, test_label)
    assert running(client, f"{unique}-b")  # -d without --rm stays, as the CLI leaves it
    assert wait_until(lambda: not alive(watchdog), 15) is not None, "the watchdog outlived its job"
    print(f"  watchdog gone {time.monotonic() - killed:.2f} s after the kill")


def test_sigkill_under_session_removes_everything_it_created(kernels, client, test_label, unique):
    k = kernels(test_label, "session")
    k.run(
        f"%docker network create {unique}-net\n"
        f"%docker volume create {unique}-vol\n"
        f"%docker run -d --name {unique}-b --network {unique}-net -v {unique}-vol:/data {BASE_IMAGE} sleep 300\n"
        f"%docker commit {unique}-b {unique}-committed:1\n"
    )
    k.run(f"%%dockerfile -t {unique}-built:1\nFROM {BASE_IMAGE}\nRUN echo {unique} > /marker\n")
    key = test_label.split("=")[0]
    assert client.api.images(name=f"{unique}-built") and client.api.images(name=f"{unique}-committed")

    def clean() -> bool:
        return not (
            names(client, test_label)
            or client.api.networks(names=[f"{unique}-net"])
            or client.api.volumes(filters={"name": f"{unique}-vol"}).get("Volumes")
            or client.api.images(name=f"{unique}-built")
            or client.api.images(name=f"{unique}-committed")
        )

    k.sigkill()
    seconds = wait_until(clean, 30)
    print(f"\nSIGKILL under 'session': engine clean after {seconds} s")
    assert seconds is not None and seconds < CLEAN_WITHIN
    assert key  # the test label was on all of it (ip removes anything left)


def test_shutdown_removes_temporary_and_none_removes_nothing(kernels, client, test_label, unique):
    k = kernels(test_label)
    k.run(
        f"%docker run -d --rm --name {unique}-a {BASE_IMAGE} sleep 300\n"
        f"%docker run -d --name {unique}-b {BASE_IMAGE} sleep 300\n"
    )
    k.km.shutdown_kernel(now=False)  # what the front end's "Shut Down Kernel" does
    seconds = wait_until(lambda: set(names(client, test_label)) == {f"{unique}-b"}, 30)
    print(f"\nshutdown: engine clean after {seconds} s")
    assert seconds is not None and seconds < CLEAN_WITHIN

    n = kernels(test_label, "none")
    n.run(f"%docker run -d --rm --name {unique}-n {BASE_IMAGE} sleep 300")
    assert n.watchdog_pids() == []  # under "none" nothing watches
    n.sigkill()
    time.sleep(3)
    assert running(client, f"{unique}-n")


def test_restart_spares_the_new_kernel_and_finds_what_the_notebook_left(kernels, client, test_label, unique):
    k = kernels(test_label)
    k.run(
        f"%docker run -d --rm --name {unique}-a {BASE_IMAGE} sleep 300\n"
        f"%docker run -d --name {unique}-b {BASE_IMAGE} sh -c 'echo hello-from-b; sleep 300'\n"
    )
    k.km.restart_kernel(now=False)
    k.client.wait_for_ready(timeout=60)
    k.run(k.setup)
    k.run(f"%docker run -d --rm --name {unique}-e {BASE_IMAGE} sleep 300")
    seconds = wait_until(lambda: set(names(client, test_label)) == {f"{unique}-b", f"{unique}-e"}, 30)
    print(f"\nrestart: the old kernel's temporary containers gone after {seconds} s")
    assert seconds is not None and seconds < CLEAN_WITHIN
    time.sleep(2)  # the old watchdog's second sweep: the new kernel's container stays
    assert running(client, f"{unique}-e")
    out = k.run(f"s = %docker session --notebook\nprint(s.text())\nprint(s[{unique + '-b'!r}].logs())\n")
    assert "hello-from-b" in out
    rows = {line.split()[1]: line.split() for line in out.splitlines() if line.startswith("container")}
    assert rows[f"{unique}-b"][4:] == ["earlier", "kept"] and rows[f"{unique}-e"][4:] == ["this", "removed"]
    # and `session rm --notebook` takes both kernels' containers
    assert "Removed 2 containers." in k.run("r = %docker session rm --notebook\nprint(r.text())")
    assert names(client, test_label) == {}


def _interrupted(k: Kernel, msg_id: str) -> None:
    k.km.interrupt_kernel()
    reply = k.reply(msg_id)
    assert reply["status"] == "error" and reply["ename"] in ("KeyboardInterrupt", "UsageError"), reply


def test_interrupt_during_a_foreground_run_a_build_and_a_dexec(kernels, client, test_label, unique):
    k = kernels(test_label)
    # a foreground run with --rm: stopped and removed
    msg = k.start(f"%docker run --rm --name {unique}-f {BASE_IMAGE} sleep 300")
    assert wait_until(lambda: running(client, f"{unique}-f"), 30) is not None
    _interrupted(k, msg)
    assert wait_until(lambda: f"{unique}-f" not in names(client, test_label), 15) is not None

    # a classic build: no intermediate container keeps running its step (BuildKit runs its steps in
    # no engine container; its interrupt is tested in test_buildkit.py)
    token = f"{unique}-step"

    def steps() -> list[dict]:
        return [c for c in client.api.containers(all=True) if token in (c.get("Command") or "")]

    msg = k.start(
        f"%%dockerfile --builder classic -t {unique}-img:1\nFROM {BASE_IMAGE}\nRUN sleep 300 # {token}\n"
    )
    assert wait_until(lambda: steps(), 60) is not None
    _interrupted(k, msg)
    assert wait_until(lambda: not steps(), 15) is not None, steps()

    # a %dexec: its process is gone from the container, the container stays (until the kernel goes)
    k.run(f"%docker run -d --rm --name {unique}-x {BASE_IMAGE} sleep 300")

    def execs() -> list:
        return [p for p in client.api.top(f"{unique}-x")["Processes"] if "sleep 301" in " ".join(p)]

    msg = k.start(f"%dexec {unique}-x sleep 301")
    assert wait_until(lambda: execs(), 30) is not None
    _interrupted(k, msg)
    assert wait_until(lambda: not execs(), 15) is not None
    assert running(client, f"{unique}-x")

    k.km.shutdown_kernel(now=False)
    assert wait_until(lambda: names(client, test_label) == {}, CLEAN_WITHIN) is not None, names(
        client, test_label
    )


def test_sigkill_during_a_dexec_stops_its_process_in_a_kept_container(kernels, client, test_label, unique):
    k = kernels(test_label)
    k.run(
        f"%docker run -d --name {unique}-box {BASE_IMAGE} sleep 300\n"
        f"e = %docker exec -it {unique}-box sleep 303\n"  # a terminal's exec: no one can attach to it later
    )

    def execs() -> list:
        return [
            p for p in client.api.top(f"{unique}-box")["Processes"] if p[-1] in ("sleep 302", "sleep 303")
        ]

    k.start(f"%dexec {unique}-box sleep 302")
    assert wait_until(lambda: len(execs()) == 2, 30) is not None, execs()
    k.sigkill()
    seconds = wait_until(lambda: not execs(), 30)
    print(f"\nSIGKILL during %dexec, with an exec -it terminal open: both processes gone after {seconds} s")
    assert seconds is not None and seconds < CLEAN_WITHIN, execs()
    assert running(client, f"{unique}-box")  # the container itself was -d without --rm: it stays


def test_sigkill_during_a_build_leaves_no_step_container(kernels, client, test_label, unique):
    # a classic build step's container carries no label: the engine removes it when the build's
    # connection drops, which is what the kernel's death does
    k = kernels(test_label)
    token = f"{unique}-killed-step"

    def steps() -> list[dict]:
        return [c for c in client.api.containers(all=True) if token in (c.get("Command") or "")]

    k.start(f"%%dockerfile --builder classic -t {unique}-img:1\nFROM {BASE_IMAGE}\nRUN sleep 300 # {token}\n")
    assert wait_until(steps, 60) is not None
    k.sigkill()
    seconds = wait_until(lambda: not steps(), 30)
    print(f"\nSIGKILL during a build: its step's container gone after {seconds} s")
    assert seconds is not None and seconds < CLEAN_WITHIN, steps()
