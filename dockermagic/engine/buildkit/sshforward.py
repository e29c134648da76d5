"""``--ssh``: the session's SSH service, which lends a build step the kernel's ssh-agent.

A ``RUN --mount=type=ssh`` step sees a socket; each connection to it becomes one
``moby.sshforward.v1.SSH/ForwardAgent`` call on the session (metadata ``buildkit.ssh.id`` names
the agent), whose ``BytesMessage`` chunks, both ways, are the agent protocol's bytes. Before the
step runs, ``CheckAgent`` asks whether an ID is served.

As the CLI does, the agent is lent read-only: the agent protocol frames each message with its
length and a type byte, and only listing the identities (11) and signing (13) reach the agent;
adding, removing or locking keys, and extensions, are answered with SSH_AGENT_FAILURE here.
An ID may also be served from key files held in the client (``sshkeys.py``).
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from . import messages as pb
from .grpc_server import NOT_FOUND, UNKNOWN, Call, CallFailed
from .sshkeys import KeyAgent

Agent = str | KeyAgent  # an agent's socket, or keys held here

CHECK_AGENT = "/moby.sshforward.v1.SSH/CheckAgent"
FORWARD_AGENT = "/moby.sshforward.v1.SSH/ForwardAgent"
ID_KEY = "buildkit.ssh.id"

REQUEST_IDENTITIES, SIGN_REQUEST, FAILURE = 11, 13, 5
ALLOWED = frozenset({REQUEST_IDENTITIES, SIGN_REQUEST})
_LIMIT = 256 * 1024  # a larger agent message is no request of these two kinds


def services(agents: dict[str, Agent]) -> dict[str, Callable[[Call], None]]:
    """The SSH service's two methods, serving ``agents`` (ID -> an agent's socket, or keys)."""
    return {CHECK_AGENT: check_agent(agents), FORWARD_AGENT: forward_agent(agents)}


def _missing(wanted: str) -> CallFailed:
    return CallFailed(NOT_FOUND, f"no ssh agent {wanted!r} in this build: pass --ssh {wanted}")


def check_agent(agents: dict[str, Agent]) -> Callable[[Call], None]:
    def check(call: Call) -> None:
        wanted = pb.CheckAgentRequest.FromString(call.receive(timeout=30) or b"").ID or "default"
        if wanted not in agents:
            raise _missing(wanted)
        call.send(pb.CheckAgentResponse().SerializeToString())

    return check


def frames(buffer: bytearray) -> list[bytes]:
    """The complete agent messages (length prefix and all) at the start of ``buffer``, removed
    from it; an incomplete one stays for the next chunk."""
    out = []
    while len(buffer) >= 4:
        (size,) = struct.unpack(">I", buffer[:4])
        if size == 0 or size > _LIMIT:
            raise CallFailed(UNKNOWN, f"an ssh agent message of {size} bytes: not the agent protocol")
        if len(buffer) < 4 + size:
            break
        out.append(bytes(buffer[: 4 + size]))
        del buffer[: 4 + size]
    return out


def _read_reply(agent: socket.socket) -> bytes:
    head = _exactly(agent, 4)
    (size,) = struct.unpack(">I", head)
    return head + _exactly(agent, size)


def _exactly(agent: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = agent.recv(size - len(data))
        if not chunk:
            raise CallFailed(UNKNOWN, "the ssh agent closed the connection")
        data += chunk
    return bytes(data)


REFUSED = struct.pack(">IB", 1, FAILURE)


@contextmanager
def _connected(agent: Agent) -> Iterator[Callable[[bytes], bytes]]:
    """A function from a request frame to the agent's reply frame, for one call."""
    if isinstance(agent, KeyAgent):
        yield agent.answer
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(30)
        try:
            conn.connect(agent)
        except OSError as exc:
            raise CallFailed(UNKNOWN, f"cannot reach the ssh agent at {agent}: {exc}") from None

        def ask(message: bytes) -> bytes:
            conn.sendall(message)
            return _read_reply(conn)

        yield ask


def forward_agent(agents: dict[str, Agent]) -> Callable[[Call], None]:
    """The ForwardAgent handler: one connection to the agent's socket per call."""

    def forward(call: Call) -> None:
        wanted = call.first(ID_KEY, "default")
        if wanted not in agents:
            raise _missing(wanted)
        with _connected(agents[wanted]) as ask:
            buffer = bytearray()
            while (raw := call.receive()) is not None:
                buffer += pb.SSHBytes.FromString(raw).data
                for message in frames(buffer):
                    reply = ask(message) if message[4] in ALLOWED else REFUSED
                    call.send(pb.SSHBytes(data=reply).SerializeToString())

    return forward
