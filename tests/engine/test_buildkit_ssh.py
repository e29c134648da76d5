"""--ssh on BuildKit: a ``RUN --mount=type=ssh`` step reaches the kernel's ssh-agent through the session.

Each test starts its own ssh-agent (openssh-client, from the set-up) with a key made for it. The
build step has no ssh in its image: perl (in debian:bookworm's perl-base) speaks the agent
protocol to ``$SSH_AUTH_SOCK`` itself. It lists the identities (REQUEST_IDENTITIES, 11), printing
each key blob in hex and its comment, has the last key sign a text (SIGN_REQUEST, 13), then asks
the agent to remove every key (REMOVE_ALL_IDENTITIES, 19), which the session refuses
(SSH_AGENT_FAILURE, 5): the agent is lent read-only. An Ed25519 signature is deterministic: the
one made in the build is compared with the one the real ssh-agent makes of the same text. The
BuildKit cache these builds make is pruned at the end of the module.
"""

from __future__ import annotations

import base64
import os
import re
import socket
import struct
import subprocess
import time

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE

LIST_AND_REMOVE = (
    r"$s=IO::Socket::UNIX->new(Peer=>$ENV{SSH_AUTH_SOCK}) or die qq(no agent: $!\n);"
    r" sub ask {print $s pack(q(N),length($_[0])).$_[0]; read($s,$h,4); read($s,$b,unpack(q(N),$h)); $b}"
    r" $b=ask(pack(q(C),11)); ($t,$c)=unpack(q(CN),$b); print qq(identities $c\n); $o=5;"
    r" for (1..$c) {$l=unpack(q(N),substr($b,$o,4)); $k=substr($b,$o+4,$l); $o+=4+$l;"
    r" $l=unpack(q(N),substr($b,$o,4)); $m=substr($b,$o+4,$l); $o+=4+$l; print qq(key ).unpack(q(H*),$k).qq( $m\n)}"
    r" $d=q(signed-in-a-build); $r=ask(pack(q(C),13).pack(q(N),length($k)).$k.pack(q(N),length($d)).$d.pack(q(N),0));"
    r" print qq(signature ).unpack(q(H*),$r).qq(\n);"
    r" print qq(remove-all answered ).unpack(q(C),ask(pack(q(C),19))).qq(\n);"
)
SIGNED = b"signed-in-a-build"


def agent_signature(sock: str, blob: str) -> str:
    """What the real ssh-agent answers to the build's SIGN_REQUEST (flags 0), in hex."""
    key = bytes.fromhex(blob)
    body = b"\x0d" + struct.pack(">I", len(key)) + key + struct.pack(">I", len(SIGNED)) + SIGNED + b"\0" * 4
    with socket.socket(socket.AF_UNIX) as conn:
        conn.connect(sock)
        conn.sendall(struct.pack(">I", len(body)) + body)
        (size,) = struct.unpack(">I", conn.recv(4))
        reply = b""
        while len(reply) < size:
            reply += conn.recv(size - len(reply))
    return reply.hex()


@pytest.fixture
def agent(tmp_path, unique):
    """A running ssh-agent holding a new key: (socket, key blob in hex, comment, key file)."""
    sock, key = tmp_path / "agent.sock", tmp_path / "id_ed25519"
    comment = f"{unique}@dockermagic-test"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(key)], check=True, timeout=60
    )
    process = subprocess.Popen(["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not sock.exists():
            assert process.poll() is None and time.monotonic() < deadline, "ssh-agent did not start"
            time.sleep(0.05)
        env = {**os.environ, "SSH_AUTH_SOCK": str(sock)}
        subprocess.run(["ssh-add", "-q", str(key)], env=env, check=True, timeout=60, capture_output=True)
        blob = base64.b64decode((tmp_path / "id_ed25519.pub").read_text().split()[1]).hex()
        yield str(sock), blob, comment, key
    finally:
        process.terminate()
        process.wait(timeout=10)


def agent_keys(sock: str) -> str:
    env = {**os.environ, "SSH_AUTH_SOCK": sock}
    return subprocess.run(["ssh-add", "-l"], env=env, capture_output=True, text=True, timeout=60).stdout


def step(mount: str) -> str:
    return f"FROM {BASE_IMAGE}\nRUN --mount=type=ssh{mount} perl -MIO::Socket::UNIX -e '{LIST_AND_REMOVE}'\n"


def test_default_is_the_kernels_agent_lent_read_only(ip, agent, monkeypatch, capfd):
    sock, blob, comment, _ = agent
    monkeypatch.setenv("SSH_AUTH_SOCK", sock)
    ip.run_cell_magic("dockerfile", "--builder buildkit --no-cache --ssh default", step(""))
    out = capfd.readouterr().out
    assert re.search(r"^#\d+ identities 1$", out, re.M)
    assert re.search(rf"^#\d+ key {blob} {re.escape(comment)}$", out, re.M)
    assert re.search(r"^#\d+ remove-all answered 5$", out, re.M)  # SSH_AGENT_FAILURE
    assert comment in agent_keys(sock)  # the key is still in the agent
    signed = re.search(r"^#\d+ signature (0e[0-9a-f]+)$", out, re.M)  # SIGN_RESPONSE (14)
    assert signed and signed.group(1) == agent_signature(sock, blob)


def test_a_named_agent_socket(ip, agent, monkeypatch, capfd):
    sock, blob, comment, _ = agent
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    ip.run_cell_magic("dockerfile", f"--builder buildkit --no-cache --ssh work={sock}", step(",id=work"))
    assert re.search(rf"^#\d+ key {blob} {re.escape(comment)}$", capfd.readouterr().out, re.M)


def test_without_an_agent_one_line_says_what_to_do(ip, monkeypatch):
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    with pytest.raises(UsageError) as caught:
        ip.run_cell_magic("dockerfile", "--builder buildkit --ssh default", step(""))
    message = str(caught.value)
    assert "SSH_AUTH_SOCK is not set in the kernel: start an ssh-agent" in message and "\n" not in message


def test_key_files_are_held_by_an_agent_in_the_client(ip, agent, monkeypatch, capfd):
    """No agent reachable: the key file alone; its signature is the real agent's, byte for byte."""
    sock, blob, _, key = agent
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    ip.run_cell_magic("dockerfile", f"--builder buildkit --no-cache --ssh default={key}", step(""))
    out = capfd.readouterr().out
    assert re.search(rf"^#\d+ key {blob} {re.escape(str(key))}$", out, re.M)  # commented with its path
    signed = re.search(r"^#\d+ signature (0e[0-9a-f]+)$", out, re.M)
    assert signed and signed.group(1) == agent_signature(sock, blob)
    assert re.search(r"^#\d+ remove-all answered 5$", out, re.M)


def test_a_key_with_a_passphrase_is_refused_in_one_line(ip, tmp_path):
    key = tmp_path / "locked"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "secret", "-f", str(key)], check=True, timeout=60
    )
    with pytest.raises(UsageError) as caught:
        ip.run_cell_magic("dockerfile", f"--builder buildkit --ssh default={key}", step(""))
    message = str(caught.value)
    assert f"{key} is protected by a passphrase: add it to an ssh-agent (ssh-add {key})" in message
    assert "\n" not in message


def test_the_classic_builder_refuses_ssh(ip):
    with pytest.raises(UsageError, match=r"^--ssh needs BuildKit: pass --builder buildkit\.$"):
        ip.run_cell_magic("dockerfile", "--builder classic --ssh default", step(""))
