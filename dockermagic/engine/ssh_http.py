"""HTTP over an ``SSHTransport``: the requests adapter that the docker SDK's client mounts.

The SDK picks its transport from the address and negotiates the API version
in its constructor, before anything can be mounted; so ``ssh_client`` makes
the client on a placeholder unix address (its adapter is replaced before any
request, and its raw-socket code is the one a socket pair needs), asks the
engine its version through our adapter, and makes the client for that version.
Connections are kept alive and reused as for a unix socket; each new one is a
``dial-stdio`` session of the transport's single ssh master.
"""

from __future__ import annotations

from typing import Any

import requests.adapters
import urllib3
import urllib3.connection
import urllib3.connectionpool

from ..errors import DockerMagicError
from .ssh import SSHTransport

# never dialled: the SDK's unix code paths, with our adapter mounted over its own
PLACEHOLDER = "unix:///dockermagic-ssh-placeholder.sock"
MOUNT = "http+docker://"
MINIMUM_API = "1.24"  # the SDK's oldest; only /version is asked with it


class _Connection(urllib3.connection.HTTPConnection):
    def __init__(self, transport: SSHTransport, timeout: Any):
        super().__init__("localhost", timeout=timeout)
        self.transport = transport

    def connect(self) -> None:
        timeout = self.timeout if isinstance(self.timeout, (int, float)) else None
        self.sock = self.transport.dial(timeout)


class _Pool(urllib3.connectionpool.HTTPConnectionPool):
    def __init__(self, transport: SSHTransport, timeout: Any, maxsize: int):
        super().__init__("localhost", timeout=timeout, maxsize=maxsize)
        self.transport = transport

    def _new_conn(self) -> _Connection:
        return _Connection(self.transport, self.timeout)


class SSHAdapter(requests.adapters.HTTPAdapter):
    """One pool of keep-alive connections, all dialled through ``transport``."""

    def __init__(self, transport: SSHTransport, timeout: float, max_pool_size: int = 10):
        self.transport = transport
        self.pool = _Pool(transport, urllib3.Timeout(total=timeout), max_pool_size)
        super().__init__()

    def get_connection_with_tls_context(
        self, request: Any, verify: Any, proxies: Any = None, cert: Any = None
    ) -> _Pool:
        return self.pool

    def get_connection(self, url: Any, proxies: Any = None) -> _Pool:  # requests before 2.32.2
        return self.pool

    def request_url(self, request: Any, proxies: Any) -> str:
        path: str = request.path_url  # no host to name a proxy by
        return path

    def close(self) -> None:
        super().close()
        self.pool.close()  # the transport (the ssh master) is the Engine's to close


def ssh_client(transport: SSHTransport, timeout: float, ping_timeout: float) -> Any:
    """A ``DockerClient`` whose every request goes through ``transport``, version-negotiated."""
    import docker

    adapter = SSHAdapter(transport, timeout)  # one pool: the probe's connection is kept for the client
    probe = docker.APIClient(base_url=PLACEHOLDER, version=MINIMUM_API, timeout=ping_timeout)
    probe.mount(MOUNT, adapter)
    try:
        version = probe.version(api_version=False)["ApiVersion"]
    except KeyError:
        raise DockerMagicError(
            "What answered dial-stdio is not a Docker engine (its version has no ApiVersion): "
            "check what the remote's docker command talks to"
        ) from None
    client = docker.DockerClient(base_url=PLACEHOLDER, version=version, timeout=timeout)
    client.api.mount(MOUNT, adapter)
    return client
