"""Which machine an engine address names (``engine/address.py``), and ``.url()``/``.host`` on it."""

from __future__ import annotations

import pytest

from dockermagic.engine.address import remote_host, url_host
from dockermagic.objects.container import Container


@pytest.mark.parametrize(
    ("address", "host"),
    [
        ("unix:///var/run/docker.sock", None),
        ("npipe:////./pipe/docker_engine", None),
        ("/var/run/docker.sock", None),
        ("tcp://127.0.0.1:2375", "127.0.0.1"),
        ("tcp://lab.example:2376", "lab.example"),
        ("https://lab.example:2376", "lab.example"),
        ("ssh://me@lab.example:2222", "lab.example"),
        ("ssh://lab.example", "lab.example"),
        ("tcp://[2001:db8::1]:2375", "2001:db8::1"),
        ("10.0.0.5:2375", "10.0.0.5"),
    ],
)
def test_remote_host(address, host):
    assert remote_host(address) == host


def test_url_host_brackets_ipv6():
    assert (url_host("2001:db8::1"), url_host("10.0.0.5")) == ("[2001:db8::1]", "10.0.0.5")


class _Engine:
    def __init__(self, address):
        self.address = address


class _Session:
    def __init__(self, address):
        self.engine = _Engine(address)


def _container(address: str, host_ip: str) -> Container:
    doc = {
        "Id": "c" * 64,
        "Name": "/web",
        "Config": {"Image": "web", "Env": [], "ExposedPorts": {"80/tcp": {}}},
        "NetworkSettings": {"Ports": {"80/tcp": [{"HostIp": host_ip, "HostPort": "32768"}]}},
        "State": {"Status": "running"},
    }
    return Container(_Session(address), "web", doc)


def test_url_names_the_engines_machine():
    assert _container("unix:///var/run/docker.sock", "127.0.0.1").url(80) == "http://127.0.0.1:32768"
    assert _container("unix:///var/run/docker.sock", "0.0.0.0").url(80) == "http://127.0.0.1:32768"
    assert _container("ssh://me@lab.example", "0.0.0.0").url(80) == "http://lab.example:32768"
    assert _container("tcp://[2001:db8::1]:2375", "").url(80) == "http://[2001:db8::1]:32768"
    assert _container("tcp://lab.example:2375", "10.1.2.3").url(80, "https") == "https://10.1.2.3:32768"
    assert _container("ssh://me@lab.example", "0.0.0.0").host == "lab.example"
    assert _container("unix:///var/run/docker.sock", "0.0.0.0").host == "127.0.0.1"


def test_url_of_a_port_on_a_remote_machines_loopback_says_what_to_do():
    with pytest.raises(Exception, match=r"127.0.0.1 of the engine's machine \(lab.example\).*publish_host"):
        _container("ssh://me@lab.example", "127.0.0.1").url(80)
    # an engine reached on this machine's loopback (a local tcp listener, or a tunnel): as given
    assert _container("tcp://127.0.0.1:2375", "127.0.0.1").url(80) == "http://127.0.0.1:32768"


class _ExecAPI:
    """An API client whose exec prints ``output`` and exits ``code``."""

    def __init__(self, output: bytes, code: int = 0):
        self.output, self.code, self.argv = output, code, None

    def exec_create(self, cid, argv, **kw):
        self.argv = argv
        return {"Id": "e1"}

    def exec_start(self, exec_id):
        return self.output

    def exec_inspect(self, exec_id):
        return {"ExitCode": self.code, "Running": False}


PROC_NET_TCP = b"""\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1B58 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1
   2: 020011AC:1B58 030011AC:C350 01 00000000:00000000 00:00000000 00000000     0        0 3 1
  sl  local_address                         remote_address                        st tx_queue
   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000
   1: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000
"""


def test_listening_ports_read_from_inside_leave_out_the_loopback_and_connections():
    from dockermagic.engine.waiting import listening_ports

    api = _ExecAPI(PROC_NET_TCP, code=0)
    assert listening_ports(api, "c") == {7000, 80}
    assert api.argv == ["cat", "/proc/net/tcp", "/proc/net/tcp6"]
    assert listening_ports(_ExecAPI(PROC_NET_TCP, code=1), "c") == {
        7000,
        80,
    }  # no tcp6 table: the rest counts
    assert listening_ports(_ExecAPI(b"", code=127), "c") is None  # no cat in the image
