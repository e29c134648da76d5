"""JupyterLab stopped with its kernels running: each kernel's temporary containers go.

A real JupyterLab on 127.0.0.1 (free port, random token, temporary root) opens
two notebooks through its sessions API; the test drives their kernels through
their connection files, then stops the server as ``jupyter lab stop`` does
(SIGTERM) or as Ctrl-C at its terminal does (SIGINT to its process group).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from jupyter_client.blocking import BlockingKernelClient

from tests.conftest import BASE_IMAGE
from tests.engine.kernels import CLEAN_WITHIN, names, running, wait_until

pytestmark = pytest.mark.engine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, root: str):
        self.port, self.token, self.root = _free_port(), secrets.token_hex(16), root
        self.runtime = os.path.join(root, ".jupyter-runtime")
        env = {k: v for k, v in os.environ.items() if k != "JPY_SESSION_NAME"}
        env.update(
            JUPYTER_CONFIG_DIR=os.path.join(root, ".jupyter-config"),
            JUPYTER_RUNTIME_DIR=self.runtime,
            JUPYTERLAB_SETTINGS_DIR=os.path.join(root, ".lab-settings"),
            JUPYTERLAB_WORKSPACES_DIR=os.path.join(root, ".lab-workspaces"),
        )
        self.log = open(os.path.join(root, ".lab.log"), "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                "--no-browser",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={root}",
                "--allow-root",
                "--LabApp.news_url=",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.clients: list[BlockingKernelClient] = []
        if wait_until(self._up, 60, 0.3) is None:
            self.stop(signal.SIGKILL)
            pytest.fail("JupyterLab did not start: " + open(self.log.name).read()[-2000:])

    def _request(self, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
            method="GET" if body is None else "POST",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b"{}")

    def _up(self) -> bool:
        try:
            self._request("/api/status")
            return True
        except Exception:
            return self.proc.poll() is not None

    def open_notebook(self, name: str) -> BlockingKernelClient:
        """A notebook opened as the front end opens one: a session, its kernel, a client on it."""
        session = self._request(
            "/api/sessions", {"path": name, "name": name, "type": "notebook", "kernel": {"name": "python3"}}
        )
        client = BlockingKernelClient()
        client.load_connection_file(os.path.join(self.runtime, f"kernel-{session['kernel']['id']}.json"))
        client.start_channels(hb=False)  # (its heartbeat reads "dead" until a first beat comes back)
        client.wait_for_ready(timeout=60)
        self.clients.append(client)
        return client

    def stop(self, how: signal.Signals) -> float:
        """Stop the server; the moment the signal went (monotonic)."""
        sent = time.monotonic()
        if how == signal.SIGINT:  # Ctrl-C at the terminal: the whole foreground process group
            os.killpg(self.proc.pid, how)
        else:
            self.proc.send_signal(how)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        for client in self.clients:
            client.stop_channels()
        self.log.close()
        return sent


def run(client: BlockingKernelClient, code: str) -> str:
    out: list[str] = []

    def hook(msg):
        if msg["msg_type"] in ("stream", "error"):
            out.append(msg["content"].get("text") or "\n".join(msg["content"].get("traceback", [])))

    reply = client.execute_interactive(code, timeout=120, output_hook=hook)
    assert reply["content"]["status"] == "ok", "".join(out)
    return "".join(out)


# Ctrl-C at its terminal, the usual way; SIGTERM (`jupyter lab stop`) was measured too (README),
# left out of CI for time: JupyterLab's start is most of this test's half minute.
@pytest.mark.parametrize("how", [signal.SIGINT], ids=["ctrl-c"])
def test_jupyterlab_stopped_with_kernels_running(tmp_path, client, test_label, unique, how):
    begun = time.monotonic()
    lab = Lab(str(tmp_path))
    key, value = test_label.split("=", 1)
    try:
        for n in (1, 2):
            kernel = lab.open_notebook(f"nb{n}.ipynb")
            run(
                kernel,
                f"%load_ext dockermagic\n%config DockerMagics.labels = {{{key!r}: {value!r}}}\n"
                f"%docker run -d --rm --name {unique}-a{n} {BASE_IMAGE} sleep 300\n"
                f"%docker run -d --name {unique}-b{n} {BASE_IMAGE} sleep 300\n"
                f"t = %docker run -it --rm --name {unique}-c{n} {BASE_IMAGE} bash\n"
                "t.wait_for(r'# ')",
            )
        # the notebook's identity is the server's path for it (JPY_SESSION_NAME)
        labels = client.api.inspect_container(f"{unique}-b1")["Config"]["Labels"]
        assert labels["dockermagic.notebook-id"] == os.path.join(str(tmp_path), "nb1.ipynb")
    except BaseException:
        lab.stop(signal.SIGKILL)
        raise
    print(f"\nset up in {time.monotonic() - begun:.1f} s")
    sent = lab.stop(how)
    exited = time.monotonic()
    kept = {f"{unique}-b1", f"{unique}-b2"}
    assert wait_until(lambda: set(names(client, test_label)) == kept, 30) is not None, names(
        client, test_label
    )
    seconds = time.monotonic() - sent
    print(
        f"JupyterLab stopped ({how.name}): engine clean {seconds:.2f} s after the signal "
        f"(the server took {exited - sent:.2f} s to exit)"
    )
    assert seconds < CLEAN_WITHIN
    assert all(running(client, name) for name in kept)
