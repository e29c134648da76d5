"""JupyterLab (and Notebook 7, served by the same server) on 127.0.0.1 and headless Chromium
(Debian's package) driven by Playwright.

JupyterLab gets a free port, a random token and a temporary notebook
directory, and is stopped (by its pid) afterwards. Chromium is Debian's
``/usr/bin/chromium`` with a fresh profile; Playwright never downloads a
browser here.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = os.path.join(ROOT, "test-artifacts")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab():
    """(base url, token, notebook dir) of a JupyterLab that this fixture starts and stops."""
    port, token = _free_port(), secrets.token_hex(16)
    notebooks = tempfile.mkdtemp(prefix="dm-browser-")
    env = {
        **os.environ,
        "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "JUPYTER_CONFIG_DIR": os.path.join(notebooks, ".jupyter-config"),
        "JUPYTER_RUNTIME_DIR": os.path.join(notebooks, ".jupyter-runtime"),
        "JUPYTERLAB_SETTINGS_DIR": os.path.join(notebooks, ".lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": os.path.join(notebooks, ".lab-workspaces"),
    }
    # every cell stays in the DOM (no windowed rendering), so the test can look at all outputs
    tracker = os.path.join(env["JUPYTERLAB_SETTINGS_DIR"], "@jupyterlab", "notebook-extension")
    os.makedirs(tracker)
    with open(os.path.join(tracker, "tracker.jupyterlab-settings"), "w") as f:
        f.write('{"windowingMode": "none"}')
    log = open(os.path.join(notebooks, ".lab.log"), "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--no-browser",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={notebooks}",
            "--ServerApp.open_browser=False",
            "--LabApp.expose_app_in_browser=True",
            "--JupyterNotebookApp.expose_app_in_browser=True",
            "--allow-root",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        cwd=notebooks,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).read()
                break
            except Exception:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("JupyterLab did not start: " + open(log.name).read()[-2000:])
                time.sleep(0.3)
        yield base, token, notebooks
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):  # the server and the kernels it started
            try:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=15)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                if proc.poll() is not None:
                    break
        log.close()
        shutil.rmtree(notebooks, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (scripts/setup.sh installs it)")
    profile = tempfile.mkdtemp(prefix="dm-chromium-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        # the copy tests read what Ctrl+C put on the clipboard
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def artifacts() -> str:
    os.makedirs(ARTIFACTS, exist_ok=True)
    return ARTIFACTS
