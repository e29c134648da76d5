"""A kernel killed by the OOM killer: its temporary containers still go.

The kernel is put in a memory cgroup of its own (600 MiB; its watchdog, started
later, inherits it, as it would in a memory-limited notebook server) and then
allocates 2 GiB. The kernel's OOM killer kills the kernel; the watchdog sweeps.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.conftest import BASE_IMAGE
from tests.engine.kernels import CLEAN_WITHIN, alive, names, running, wait_until

pytestmark = pytest.mark.engine

LIMIT = 600 * 2**20


def _memory_cgroup(name: str) -> tuple[str, str]:
    """(directory, limit file) of a new memory cgroup: v1's memory controller, else v2's."""
    if os.path.isdir("/sys/fs/cgroup/memory"):
        return os.path.join("/sys/fs/cgroup/memory", name), "memory.limit_in_bytes"
    with open("/sys/fs/cgroup/cgroup.controllers") as f:
        if "memory" not in f.read().split():
            raise OSError("the memory controller is not enabled")
    return os.path.join("/sys/fs/cgroup", name), "memory.max"


@pytest.fixture
def memory_cgroup(unique):
    try:
        directory, limit = _memory_cgroup(f"dockermagic-{unique}")
        os.mkdir(directory)
    except OSError as exc:  # no cgroup file system to write to: this machine cannot confine a process
        pytest.skip(f"no memory cgroup can be made here ({exc})")
    with open(os.path.join(directory, limit), "w") as f:
        f.write(str(LIMIT))
    yield directory
    deadline = time.monotonic() + 30
    while True:  # empty once the kernel and the watchdog are gone
        try:
            os.rmdir(directory)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_a_kernel_killed_by_the_oom_killer_is_cleaned_up(kernels, client, test_label, unique, memory_cgroup):
    k = kernels(test_label)
    with open(os.path.join(memory_cgroup, "cgroup.procs"), "w") as f:
        f.write(str(k.pid))
    k.run(
        f"%docker run -d --rm --name {unique}-a {BASE_IMAGE} sleep 300\n"
        f"%docker run -d --name {unique}-b {BASE_IMAGE} sleep 300\n"
    )
    [watchdog] = k.watchdog_pids()
    k.start("hog = b'x' * (2 << 30)")  # 2 GiB, touched: over the cgroup's limit
    process = k.km.provisioner.process  # type: ignore[union-attr]
    process.wait(60)
    died = time.monotonic()
    assert process.returncode == -9  # SIGKILL, from the OOM killer
    with open(
        os.path.join(memory_cgroup, "memory.oom_control" if "memory/" in memory_cgroup else "memory.events")
    ) as f:
        assert "oom_kill 1" in f.read()
    seconds = wait_until(lambda: set(names(client, test_label)) == {f"{unique}-b"}, 30)
    print(f"\nOOM-killed kernel: engine clean after {seconds} s")
    assert seconds is not None and seconds < CLEAN_WITHIN
    assert running(client, f"{unique}-b")
    assert wait_until(lambda: not alive(watchdog), 15) is not None
    print(f"  watchdog gone {time.monotonic() - died:.2f} s after the kernel died")
