"""Which machine an engine address names, without contacting it.

A ``unix://`` (or ``npipe://``, ``fd://``) socket is an engine on this machine:
its containers' addresses are routed from here, and its published ports are
on this machine's interfaces. A ``tcp://``, ``http(s)://`` or ``ssh://``
address names another machine (``tcp://127.0.0.1:PORT`` may be a tunnel to
one): ports published there are reached at that host, and its containers'
own addresses mean nothing from here (they may even be those of other
containers on this machine's engine).
"""

from __future__ import annotations

from urllib.parse import urlsplit

LOCAL_SCHEMES = ("unix", "npipe", "fd")


def remote_host(address: str) -> str | None:
    """The host part of a ``tcp://``, ``http(s)://`` or ``ssh://`` address; None for a local socket.

    >>> remote_host("ssh://me@lab.example:2222"), remote_host("unix:///var/run/docker.sock")
    ('lab.example', None)
    """
    scheme, sep, _ = address.partition("://")
    if not sep:  # the SDK reads a bare HOST:PORT as tcp, a bare path as a socket
        if address.startswith("/"):
            return None
        address = f"tcp://{address}"
    elif scheme.lower() in LOCAL_SCHEMES:
        return None
    try:
        host = urlsplit(address).hostname
    except ValueError:  # an address the client refuses anyway
        return None
    return host or None


def url_host(host: str) -> str:
    """``host`` as it goes into a URL: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
