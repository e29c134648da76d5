"""A real ipykernel driven through jupyter_client, for the clean-up tests.

Everything the kernel creates carries the test's label (``DockerMagics.labels``),
so the test fixture removes whatever a failing test leaves.
"""

from __future__ import annotations

import ast
import os
import signal
import time

from jupyter_client.manager import KernelManager


class Kernel:
    def __init__(self, test_label: str, mode: str, cwd: str, env: dict | None = None):
        key, value = test_label.split("=", 1)
        kernel_env = {k: v for k, v in os.environ.items() if k != "JPY_SESSION_NAME"}
        kernel_env.update(env or {})
        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(env=kernel_env, cwd=cwd)
        self.client = self.km.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)
        self.setup = (
            "%load_ext dockermagic\n"
            f"%config DockerMagics.labels = {{{key!r}: {value!r}}}\n"
            f"%config DockerMagics.cleanup = {mode!r}\n"
        )
        self.run(self.setup)

    @property
    def pid(self) -> int:
        return self.km.provisioner.process.pid  # type: ignore[union-attr]

    def run(self, code: str, timeout: float = 120) -> str:
        """Run a cell, return its stdout; a cell that fails fails the test with its error."""
        out: list[str] = []

        def hook(msg):
            content = msg["content"]
            if msg["msg_type"] == "stream":
                out.append(content["text"])
            elif msg["msg_type"] == "error":
                out.append("\n".join(content["traceback"]))

        reply = self.client.execute_interactive(code, timeout=timeout, output_hook=hook)
        if reply["content"]["status"] != "ok":
            raise AssertionError(f"cell failed: {code!r}\n{''.join(out)}")
        return "".join(out)

    def start(self, code: str) -> str:
        """Send a cell without waiting for it (it is interrupted or killed later)."""
        return self.client.execute(code)

    def reply(self, msg_id: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            msg = self.client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]

    def watchdog_pids(self) -> list[int]:
        text = self.run("print(get_ipython().magics_manager.registry['DockerMagics'].keeper.pids)")
        return ast.literal_eval(text.strip())

    def sigkill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        self.km.provisioner.process.wait()  # type: ignore[union-attr]
        self.close()

    def close(self) -> None:
        self.client.stop_channels()
        if self.km.has_kernel:
            self.km.shutdown_kernel(now=True)
        self.km.cleanup_resources()


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_until(condition, limit: float, step: float = 0.1) -> float | None:
    """Seconds until ``condition()`` holds, or None after ``limit`` seconds."""
    begun = time.monotonic()
    while time.monotonic() - begun < limit:
        if condition():
            return time.monotonic() - begun
        time.sleep(step)
    return None


# The goal of the issue: the engine clean within 10 s of the kernel's death.
CLEAN_WITHIN = 10.0


def names(client, test_label: str) -> dict[str, str]:
    """Name -> state of the containers carrying the test's label."""
    found = client.api.containers(all=True, filters={"label": test_label})
    return {c["Names"][0].lstrip("/"): c["State"] for c in found}


def running(client, name: str) -> bool:
    return any(c["Names"][0] == f"/{name}" for c in client.api.containers(filters={"name": f"^/{name}$"}))
