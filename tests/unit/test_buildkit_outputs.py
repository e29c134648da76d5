"""-o/--output and --ssh on BuildKit, without an engine: the options' grammar, the FileSend
receivers fed packets as the engine's exporter sends them (hostile ones too), and the ssh-agent
bridge against a stand-in agent."""

from __future__ import annotations

import os
import socket
import stat
import struct
import threading

import pytest

from dockermagic.commands.build import LocalOutput, TarOutput, _output, _ssh, parse_cell_line
from dockermagic.engine.buildkit import messages as pb
from dockermagic.engine.buildkit import sshforward, sshkeys
from dockermagic.engine.buildkit.filesend import LocalReceiver, TarReceiver, unix_mode
from dockermagic.engine.buildkit.filesync import go_mode
from dockermagic.engine.buildkit.grpc_server import CallFailed
from dockermagic.errors import CommandError


class FakeCall:
    """A call whose request messages are given in advance; what is sent back is kept."""

    def __init__(self, messages, metadata=None):
        self.inbox = list(messages)
        self.sent: list[bytes] = []
        self.closed = False
        self.metadata = metadata or {}

    def receive(self, timeout=None):
        return self.inbox.pop(0) if self.inbox else None

    def send(self, message):
        self.sent.append(message)

    def send_all(self, messages):
        self.sent.extend(messages)

    def first(self, name, default=""):
        return self.metadata.get(name, [default])[0]


def stat_packet(path, mode, linkname="", mtime=1_600_000_000_123_456_789):
    st = pb.Stat(path=path, mode=mode, linkname=linkname, modTime=mtime)
    return pb.Packet(type=pb.PACKET_STAT, stat=st).SerializeToString()


def data(number, chunk=b""):
    return pb.Packet(type=pb.PACKET_DATA, ID=number, data=chunk).SerializeToString()


END = pb.Packet(type=pb.PACKET_STAT).SerializeToString()
FIN = pb.Packet(type=pb.PACKET_FIN).SerializeToString()
DIR, LINK = go_mode(stat.S_IFDIR | 0o750), go_mode(stat.S_IFLNK | 0o777)


# -- the grammar -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, parsed",
    [
        ("out", LocalOutput("out")),
        ("type=local,dest=/x/y", LocalOutput("/x/y")),
        ("type=tar,dest=a.tar", TarOutput("a.tar")),
        ('type=local,"dest=a,b"', LocalOutput("a,b")),  # CSV quoting, as the CLI reads it
    ],
)
def test_output_forms(text, parsed):
    assert _output(text) == parsed


@pytest.mark.parametrize(
    "text, says",
    [
        ("-", "stdout"),
        ("type=tar,dest=-", "stdout"),
        ("type=image", "exports type=local,dest=DIR or type=tar,dest=FILE"),
        ("type=local", "needs dest=DIR"),
        ("type=tar", "needs dest=FILE"),
        ("type=local,dest=d,compression=gzip", "compression: type=local takes dest= alone"),
        ("type=local,oops", "write type=local,dest=DIR"),
    ],
)
def test_output_mistakes(text, says):
    with pytest.raises(ValueError, match=says):
        _output(text)


def test_ssh_forms():
    assert _ssh("default") == ("default", ())
    assert _ssh("work=/run/agent.sock") == ("work", ("/run/agent.sock",))
    assert _ssh("k=a,b") == ("k", ("a", "b"))


@pytest.mark.parametrize(
    "line, says",
    [
        ("-o a -o b", "One -o/--output per build"),
        ("-o a --iidfile f", "makes no image"),
        ("--ssh x --ssh x", "'x' is given twice"),
    ],
)
def test_spec_refusals(line, says):
    with pytest.raises(CommandError, match=says):
        parse_cell_line(line, "FROM scratch\n")


def test_buildkit_only_names_the_options_given():
    spec = parse_cell_line("-o out --ssh default", "FROM scratch\n")
    assert spec.buildkit_only == ["--output", "--ssh"]
    assert parse_cell_line("", "FROM scratch\n").buildkit_only == []


def test_modes_round_trip():
    for mode in (0o644, 0o4755, 0o2750, 0o1777, 0o600):
        assert unix_mode(go_mode(stat.S_IFREG | mode)) == mode


# -- type=local: the fsutil receiver -------------------------------------------------------------


def test_local_receiver_writes_entries_and_interleaved_files(tmp_path):
    dest = tmp_path / "out"
    call = FakeCall(
        [
            stat_packet("a.txt", 0o640),
            stat_packet("d", DIR),
            stat_packet("d/b.bin", go_mode(stat.S_IFREG | 0o4755)),
            stat_packet("d/hard", 0o640, linkname="a.txt"),
            stat_packet("d/up", LINK, linkname="../a.txt"),
            stat_packet("empty", 0o600),
            END,
            data(2, b"bb1"),  # two files' packets interleave, as fsutil's four senders send them
            data(0, b"aa1"),
            data(2, b"bb2"),
            data(0, b"aa2"),
            data(0),
            data(5),
            data(2),
            FIN,
        ]
    )
    done = LocalReceiver(str(dest)).serve(call)
    assert (dest / "a.txt").read_bytes() == b"aa1aa2" and (dest / "d" / "b.bin").read_bytes() == b"bb1bb2"
    assert (dest / "empty").read_bytes() == b""
    assert stat.S_IMODE(os.stat(dest / "d" / "b.bin").st_mode) == 0o4755
    assert stat.S_IMODE(os.stat(dest / "d").st_mode) == 0o750
    assert os.stat(dest / "a.txt").st_mtime_ns == 1_600_000_000_123_456_789
    assert os.lstat(dest / "d").st_mtime_ns == 1_600_000_000_123_456_789  # set after its contents
    assert os.readlink(dest / "d" / "up") == "../a.txt"
    assert os.stat(dest / "d" / "hard").st_ino == os.stat(dest / "a.txt").st_ino
    # asked for the three regular files by number, then ended with FIN
    asked = [pb.Packet.FromString(m) for m in call.sent]
    assert [(p.type, p.ID) for p in asked] == [
        (pb.PACKET_REQ, 0),
        (pb.PACKET_REQ, 2),
        (pb.PACKET_REQ, 5),
        (pb.PACKET_FIN, 0),
    ]
    assert (done.entries, done.files, done.bytes) == (6, 3, 12)
    assert sorted(os.listdir(dest)) == ["a.txt", "d", "empty"]  # no temporary file left


@pytest.mark.parametrize("path", ["../escape", "/tmp/escape", "a/../../escape", "a//b", "./a", ""])
def test_paths_that_could_leave_dest_are_refused(tmp_path, path):
    dest = tmp_path / "out"
    with pytest.raises(CallFailed, match="refusing the exported path"):
        LocalReceiver(str(dest)).serve(FakeCall([stat_packet(path, 0o644), END, data(0, b"x"), data(0)]))
    assert sorted(os.listdir(tmp_path)) == ["out"] and os.listdir(dest) == []


def test_a_symlink_in_the_result_is_never_written_through(tmp_path):
    """``a -> OUTSIDE`` then ``a/evil``: refused, and OUTSIDE stays empty."""
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = tmp_path / "out"
    call = FakeCall(
        [
            stat_packet("a", LINK, linkname=str(outside)),
            stat_packet("a/evil", 0o644),
            END,
            data(1, b"x"),
            data(1),
        ]
    )
    with pytest.raises(CallFailed, match="refusing the exported path 'a/evil'"):
        LocalReceiver(str(dest)).serve(call)
    assert os.listdir(outside) == [] and os.readlink(dest / "a") == str(outside)


def test_a_symlinked_directory_is_not_followed_for_a_directory_entry(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "d").symlink_to(outside)
    LocalReceiver(str(dest)).serve(
        FakeCall([stat_packet("d", DIR), stat_packet("d/f", 0o644), END, data(1, b"in"), data(1), FIN])
    )
    assert (
        os.listdir(outside) == []
        and not (dest / "d").is_symlink()
        and (dest / "d" / "f").read_bytes() == b"in"
    )


def test_a_hard_link_out_of_dest_is_refused(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s")
    dest = tmp_path / "out"
    with pytest.raises(CallFailed, match="refusing the exported path '../secret'"):
        LocalReceiver(str(dest)).serve(FakeCall([stat_packet("h", 0o644, linkname="../secret"), END, FIN]))
    assert os.listdir(dest) == []


def test_an_export_cut_short_leaves_whole_files_only(tmp_path):
    """The stream ends in the middle of the second file: the first is there, whole; the second is
    not, and neither is its temporary file."""
    dest = tmp_path / "out"
    call = FakeCall(
        [stat_packet("one", 0o644), stat_packet("two", 0o644), END, data(0, b"1"), data(0), data(1, b"half")]
    )
    with pytest.raises(CallFailed, match="ended the export before it was complete"):
        LocalReceiver(str(dest)).serve(call)
    assert os.listdir(dest) == ["one"] and (dest / "one").read_bytes() == b"1"


def test_the_exporters_error_is_reported(tmp_path):
    err = pb.Packet(type=pb.PACKET_ERR, data=b"disk full").SerializeToString()
    with pytest.raises(CallFailed, match="exporter failed: disk full"):
        LocalReceiver(str(tmp_path / "o")).serve(FakeCall([stat_packet("f", 0o644), err]))


# -- type=tar --------------------------------------------------------------------------------------


def chunk(b):
    return pb.FileBytes(data=b).SerializeToString()


def test_tar_receiver_writes_the_stream(tmp_path):
    dest = tmp_path / "out.tar"
    done = TarReceiver(str(dest)).serve(FakeCall([chunk(b"abc"), chunk(b"def")]))
    assert dest.read_bytes() == b"abcdef" and done.bytes == 6
    assert os.listdir(tmp_path) == ["out.tar"]


def test_an_interrupted_tar_leaves_nothing(tmp_path):
    dest = tmp_path / "out.tar"
    call = FakeCall([chunk(b"abc")])
    call.closed = True  # the engine reset the call: the stream ended early
    with pytest.raises(CallFailed):
        TarReceiver(str(dest)).serve(call)
    assert os.listdir(tmp_path) == []


# -- --ssh: the agent bridge ---------------------------------------------------------------------


@pytest.fixture
def agent(tmp_path):
    """A stand-in ssh-agent: answers each message with its type byte + 100 (and records them)."""
    path = str(tmp_path / "agent.sock")
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen(1)
    seen: list[int] = []

    def serve():
        try:
            conn, _ = server.accept()
        except OSError:  # closed at the end of a test that never connected
            return
        with conn:
            while head := conn.recv(4):
                body = conn.recv(struct.unpack(">I", head)[0])
                seen.append(body[0])
                conn.sendall(struct.pack(">IB", 1, body[0] + 100))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path, seen
    server.close()


def agent_message(kind, payload=b""):
    return struct.pack(">IB", 1 + len(payload), kind) + payload


def test_the_bridge_lends_the_agent_read_only(agent):
    path, seen = agent
    stream = agent_message(11) + agent_message(19) + agent_message(13, b"sign-me") + agent_message(17, b"key")
    stream += agent_message(22, b"pw") + agent_message(27, b"ext")  # lock, an extension
    # split across chunks anywhere: the agent protocol's frames are put back together
    chunks = [stream[:3], stream[3:9], stream[9:]]
    call = FakeCall(
        [pb.SSHBytes(data=c).SerializeToString() for c in chunks], {sshforward.ID_KEY: ["default"]}
    )
    sshforward.forward_agent({"default": path})(call)
    replies = [pb.SSHBytes.FromString(m).data for m in call.sent]
    assert replies == [
        struct.pack(">IB", 1, 111),
        sshforward.REFUSED,
        struct.pack(">IB", 1, 113),
        sshforward.REFUSED,
        sshforward.REFUSED,
        sshforward.REFUSED,
    ]
    assert seen == [11, 13]  # remove-all, add, lock and the extension never reached the agent


def test_unknown_agent_ids_are_not_found(agent):
    path, _ = agent
    services = sshforward.services({"default": path})
    with pytest.raises(CallFailed, match="no ssh agent 'work' in this build: pass --ssh work"):
        services[sshforward.CHECK_AGENT](FakeCall([pb.CheckAgentRequest(ID="work").SerializeToString()]))
    ok = FakeCall([pb.CheckAgentRequest(ID="default").SerializeToString()])
    services[sshforward.CHECK_AGENT](ok)
    assert ok.sent == [b""]


def test_a_message_that_is_not_the_agent_protocol_ends_the_call():
    with pytest.raises(CallFailed, match="not the agent protocol"):
        sshforward.frames(bytearray(struct.pack(">I", 10**9)))


# -- --ssh ID=KEYFILE: an agent held in the client ------------------------------------------------


@pytest.fixture
def rsa_key_file(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "id_rsa"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
        )
    )
    return str(path)


def sign_request(blob, text, flags):
    body = bytes([13]) + struct.pack(">I", len(blob)) + blob + struct.pack(">I", len(text)) + text
    body += struct.pack(">I", flags)
    return struct.pack(">I", len(body)) + body


@pytest.mark.parametrize("flags, algorithm", [(2, b"rsa-sha2-256"), (4, b"rsa-sha2-512")])
def test_key_agent_lists_and_signs_as_an_agent_does(rsa_key_file, flags, algorithm):
    import paramiko

    agent = sshkeys.load_keys("default", (rsa_key_file,))
    listed = agent.answer(agent_message(11))
    assert listed[4] == 12 and struct.unpack(">I", listed[5:9])[0] == 1
    key = paramiko.PKey.from_path(rsa_key_file)
    blob = key.asbytes()
    assert listed[9:].startswith(struct.pack(">I", len(blob)) + blob)
    assert listed.endswith(struct.pack(">I", len(rsa_key_file)) + rsa_key_file.encode())  # its path
    reply = agent.answer(sign_request(blob, b"text", flags))
    assert reply[4] == 14
    signature = reply[9:]
    assert signature[4 : 4 + len(algorithm)] == algorithm
    assert key.verify_ssh_sig(b"text", paramiko.Message(signature))


def test_key_agent_refuses_what_it_cannot_do(rsa_key_file):
    agent = sshkeys.load_keys("default", (rsa_key_file,))
    assert agent.answer(sign_request(b"another key", b"text", 0)) == sshkeys._FAILED
    assert agent.answer(agent_message(13, b"\0\0")) == sshkeys._FAILED  # a request cut short
    assert agent.answer(agent_message(19)) == sshkeys._FAILED
    sha1 = agent.answer(sign_request(agent.keys[0][0].asbytes(), b"text", 0))  # flags 0: SHA-1 RSA
    assert sha1 == sshkeys._FAILED or sha1[9:].startswith(struct.pack(">I", 7) + b"ssh-rsa")


def test_a_file_that_is_no_key_is_refused_in_one_line(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a key\n")
    with pytest.raises(CommandError, match=r"notes.txt: .*; name an OpenSSH private key file\.$"):
        sshkeys.load_keys("default", (str(path),))


# -- checked before the build ---------------------------------------------------------------------


def test_destinations_are_checked_before_the_build(tmp_path):
    from dockermagic.actions.buildkit import _export

    (tmp_path / "file").write_text("x")
    with pytest.raises(CommandError, match="not a directory; name a directory"):
        _export(LocalOutput(str(tmp_path / "file")))
    with pytest.raises(CommandError, match="name a file in a directory that exists"):
        _export(TarOutput(str(tmp_path / "missing" / "out.tar")))
    with pytest.raises(CommandError, match="name a file in a directory that exists"):
        _export(TarOutput(str(tmp_path)))
    assert isinstance(_export(LocalOutput(str(tmp_path / "new"))), LocalReceiver)
    assert isinstance(_export(TarOutput(str(tmp_path / "out.tar"))), TarReceiver)


def test_ssh_sources_are_checked_before_the_build(tmp_path, agent, rsa_key_file):
    from dockermagic.actions.buildkit import _agents

    path, _ = agent
    spec = parse_cell_line(f"--ssh a={path} --ssh b={rsa_key_file}", "FROM scratch\n")
    agents = _agents(spec)
    assert agents["a"] == path and isinstance(agents["b"], sshkeys.KeyAgent)
    mixed = parse_cell_line(f"--ssh a={path},{rsa_key_file}", "FROM scratch\n")
    with pytest.raises(CommandError, match="one ssh-agent socket, or key files, not both"):
        _agents(mixed)
    missing = parse_cell_line(f"--ssh a={tmp_path / 'nothing'}", "FROM scratch\n")
    with pytest.raises(CommandError, match="No such file or directory; pass a running ssh-agent's socket"):
        _agents(missing)


def test_the_build_names_the_exporter_as_the_cli_does():
    """The 20.10 CLI sends outputs=[{"Type":"local","Attrs":{}}] (dest kept by the client; seen on
    the wire); a tar's dest, which the CLI also sends, is not the engine's business and stays here."""
    import json

    from dockermagic.engine.build import BuildOptions
    from dockermagic.engine.buildkit.build import query

    assert json.loads(query(BuildOptions(), "s", "b", "local")["outputs"]) == [{"Type": "local", "Attrs": {}}]
    assert json.loads(query(BuildOptions(), "s", "b", "tar")["outputs"]) == [{"Type": "tar", "Attrs": {}}]
    assert "outputs" not in query(BuildOptions(), "s", "b")
