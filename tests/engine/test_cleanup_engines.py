"""Clean-up reaches the engine the kernel used, not only the default socket, and
``%unload_ext`` cleans up as the kernel's end does."""

from __future__ import annotations

import socket
import socketserver
import threading

import pytest

from tests.conftest import BASE_IMAGE
from tests.engine.kernels import CLEAN_WITHIN, alive, names, running, wait_until

pytestmark = pytest.mark.engine

SOCKET = "/var/run/docker.sock"


class _Forward(socketserver.BaseRequestHandler):
    """One TCP connection piped to the engine's unix socket, both ways."""

    def handle(self):
        self.server.connections += 1  # type: ignore[attr-defined]
        engine = socket.socket(socket.AF_UNIX)
        engine.connect(SOCKET)

        def pump(source, sink):
            try:
                while data := source.recv(65536):
                    sink.sendall(data)
            except OSError:
                pass
            finally:
                for s in (source, sink):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        back = threading.Thread(target=pump, args=(engine, self.request), daemon=True)
        back.start()
        pump(self.request, engine)
        back.join()
        engine.close()


@pytest.fixture
def tcp_engine():
    """``tcp://127.0.0.1:PORT``, the same engine reached over TCP (as a remote one is)."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Forward)
    server.daemon_threads = True
    server.connections = 0  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_tcp_engine_is_cleaned_through_tcp_after_sigkill(kernels, client, test_label, unique, tcp_engine):
    address = f"tcp://127.0.0.1:{tcp_engine.server_address[1]}"
    k = kernels(test_label)
    k.run(
        f"%config DockerMagics.base_url = {address!r}\n"
        f"%docker run -d --rm --name {unique}-a {BASE_IMAGE} sleep 300\n"
        f"%docker run -d --name {unique}-b {BASE_IMAGE} sleep 300\n"
    )
    [watchdog] = k.watchdog_pids()
    with open(f"/proc/{watchdog}/cmdline", "rb") as f:
        assert address.encode() in f.read().split(b"\0")  # the kernel's engine, not the default one
    before = tcp_engine.connections
    k.sigkill()
    seconds = wait_until(lambda: set(names(client, test_label)) == {f"{unique}-b"}, 30)
    print(f"\ntcp engine, SIGKILL: clean after {seconds} s")
    assert seconds is not None and seconds < CLEAN_WITHIN
    assert tcp_engine.connections > before  # the watchdog came through the tcp address
    assert running(client, f"{unique}-b")
    assert wait_until(lambda: not alive(watchdog), 15) is not None


def test_unload_ext_cleans_up_as_the_kernels_end_does(ip, client, test_label, unique):
    ip.run_line_magic("config", "DockerMagics.cleanup = 'session'")
    try:
        ip.run_line_magic("docker", f"run -d --rm --name {unique}-a {BASE_IMAGE} sleep 300")
        ip.run_line_magic("docker", f"run -d --name {unique}-b {BASE_IMAGE} sleep 300")
        ip.run_line_magic("docker", f"network create {unique}-net")
        magics = ip.magics_manager.registry["DockerMagics"]
        [watchdog] = magics.keeper.pids
        ip.run_line_magic("unload_ext", "dockermagic")
        # unload returns once the watchdog has swept and exited
        assert names(client, test_label) == {} and not client.api.networks(names=[f"{unique}-net"])
        assert not alive(watchdog)
    finally:
        ip.run_line_magic("load_ext", "dockermagic")
        ip.run_line_magic("config", "DockerMagics.cleanup = 'temporary'")
