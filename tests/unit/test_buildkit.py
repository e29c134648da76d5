"""BuildKit's pieces without an engine: the wire bytes of the messages, the file sync's walk and
packets, the gRPC server on a socket pair, the progress graph and its view, the new options."""

from __future__ import annotations

import os
import socket
import stat
import struct
import threading

import h2.config
import h2.connection
import h2.events
import pytest

from dockermagic.commands.build import parse_cell_line
from dockermagic.engine.buildkit import messages as pb
from dockermagic.engine.buildkit.filesync import Local, go_mode
from dockermagic.engine.buildkit.grpc_server import CallFailed, GrpcServer
from dockermagic.engine.buildkit.progress import Graph
from dockermagic.engine.buildkit.session import HEALTH
from dockermagic.errors import CommandError
from dockermagic.views.buildkit import BuildGraphView, LiveGraph


def test_messages_have_the_published_field_numbers():
    """Bytes written by hand from the .proto files' numbers: a wrong number or type changes them."""
    assert pb.Packet(type=pb.PACKET_REQ, ID=5).SerializeToString() == b"\x08\x01\x18\x05"
    assert (
        pb.Packet(type=pb.PACKET_DATA, ID=1, data=b"hi").SerializeToString() == b"\x08\x02\x18\x01\x22\x02hi"
    )
    stat_bytes = pb.Stat(
        path="a", mode=0o644, uid=1, gid=2, size=3, modTime=4, linkname="l"
    ).SerializeToString()
    assert stat_bytes == b"\x0a\x01a\x10\xa4\x03\x18\x01\x20\x02\x28\x03\x30\x04\x3a\x01l"
    assert pb.HealthCheckResponse(status=pb.SERVING).SerializeToString() == b"\x08\x01"
    assert pb.GetSecretRequest.FromString(b"\x0a\x03tok").ID == "tok"
    assert pb.CredentialsResponse().SerializeToString() == b""
    status = pb.StatusResponse.FromString(
        b"\x0a\x11\x0a\x01d\x1a\x05[1/2]\x20\x01\x3a\x03bad"  # vertexes { digest name cached error }
        b"\x1a\x09\x0a\x01d\x18\x01\x22\x02ok"  # logs { vertex stream msg }
    )
    assert (status.vertexes[0].name, status.vertexes[0].cached, status.vertexes[0].error) == (
        "[1/2]",
        True,
        "bad",
    )
    assert status.logs[0].msg == b"ok"


def test_go_file_modes():
    assert go_mode(stat.S_IFDIR | 0o755) == (1 << 31) | 0o755
    assert go_mode(stat.S_IFLNK | 0o777) == (1 << 27) | 0o777
    assert go_mode(stat.S_IFREG | stat.S_ISUID | 0o755) == (1 << 23) | 0o755
    assert go_mode(stat.S_IFREG | 0o644) == 0o644


@pytest.fixture
def tree(tmp_path):
    for path in ("a/x.txt", "a/y.log", "a.txt", "b/c/d.txt", "keep.log", ".dockerignore"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(path)
    os.symlink("a.txt", tmp_path / "link")
    return tmp_path


def test_walk_order_excludes_and_includes(tree):
    """fsutil's order: each directory's entries sorted by name, a directory before its entries."""
    paths = [e.stat.path for e in Local(str(tree)).entries([], [])]
    assert paths == [
        ".dockerignore",
        "a",
        "a/x.txt",
        "a/y.log",
        "a.txt",
        "b",
        "b/c",
        "b/c/d.txt",
        "keep.log",
        "link",
    ]
    paths = [e.stat.path for e in Local(str(tree)).entries([], ["*.log", "a/*.log", "b", "!keep.log"])]
    assert paths == [".dockerignore", "a", "a/x.txt", "a.txt", "keep.log", "link"]
    # an include walks only what can match (the frontend's .dockerignore request)
    assert [e.stat.path for e in Local(str(tree)).entries([".dockerignore"], [])] == [".dockerignore"]
    assert [e.stat.path for e in Local(str(tree)).entries(["b/c/d.txt"], [])] == ["b", "b/c", "b/c/d.txt"]
    link = next(e for e in Local(str(tree)).entries([], []) if e.stat.path == "link")
    assert link.stat.linkname == "a.txt" and link.read is None


class FakeCall:
    """A DiffCopy call as the engine's receiver makes it: metadata, then REQ and FIN packets."""

    def __init__(self, metadata, requests):
        self.metadata = metadata
        self.requests = list(requests)
        self.sent: list = []

    def first(self, name, default=""):
        return self.metadata.get(name, [default])[0]

    def send(self, message):
        self.sent.append(pb.Packet.FromString(message))

    def send_all(self, messages):
        for message in messages:
            self.send(message)

    def receive(self, timeout=None):
        return self.requests.pop(0).SerializeToString() if self.requests else None


def test_diff_copy_sends_stats_then_only_the_files_asked_for(tree):
    from dockermagic.engine.buildkit.filesync import diff_copy

    call = FakeCall(
        {"dir-name": ["context"], "exclude-patterns": ["b", "*.log", "a/*.log"]},
        [pb.Packet(type=pb.PACKET_REQ, ID=4), pb.Packet(type=pb.PACKET_FIN)],
    )
    records = []
    with pytest.raises(CallFailed, match="entry 4, which is not a file"):
        diff_copy(call, {"context": Local(str(tree))}, records.append)
    kinds = [(p.type, p.ID, p.stat.path, p.data) for p in call.sent]
    stats = [k for k in kinds if k[0] == pb.PACKET_STAT]
    assert [s[2] for s in stats] == [".dockerignore", "a", "a/x.txt", "a.txt", "link", ""]  # "" ends the list
    assert [s[1] for s in stats[:-1]] == [0, 1, 2, 3, 4]
    # entry 4 is the symlink: asking for its data ends the call with an error the engine reports
    call = FakeCall(
        {"dir-name": ["context"]}, [pb.Packet(type=pb.PACKET_REQ, ID=2), pb.Packet(type=pb.PACKET_FIN)]
    )
    diff_copy(call, {"context": Local(str(tree))}, records.append)
    data = [(p.type, p.ID, p.data) for p in call.sent if p.type != pb.PACKET_STAT]
    assert data == [(pb.PACKET_DATA, 2, b"a/x.txt"), (pb.PACKET_DATA, 2, b""), (pb.PACKET_FIN, 0, b"")]
    assert (records[-1].files, records[-1].bytes) == (1, len(b"a/x.txt"))


def test_stats_are_sent_while_the_walk_goes_on(tmp_path):
    """The first batch leaves before the walk reaches the next directory: a file made then is listed."""
    from dockermagic.engine.buildkit.filesync import BATCH, diff_copy

    (tmp_path / "a").mkdir()
    (tmp_path / "z").mkdir()
    for i in range(BATCH + 10):
        (tmp_path / "a" / f"{i:04}").write_text("x")
    call = FakeCall({"dir-name": ["context"]}, [pb.Packet(type=pb.PACKET_FIN)])
    first_send = call.send_all

    def send_all(messages):
        (tmp_path / "z" / "late.txt").touch()
        first_send(messages)

    call.send_all = send_all
    diff_copy(call, {"context": Local(str(tmp_path))}, lambda sent: None)
    paths = [p.stat.path for p in call.sent if p.type == pb.PACKET_STAT]
    assert paths[-3:] == ["z", "z/late.txt", ""] and len(paths) == BATCH + 14


def _serve(local, metadata):
    """One DiffCopy call for the local ``context``: the stats sent, and whether they were walked ahead."""
    from dockermagic.engine.buildkit.filesync import diff_copy

    call = FakeCall({"dir-name": ["context"], **metadata}, [pb.Packet(type=pb.PACKET_FIN)])
    records = []
    diff_copy(call, {"context": local}, records.append)
    stats = [(p.ID, p.stat.path, p.stat.size) for p in call.sent if p.type == pb.PACKET_STAT]
    return stats, records[0].walked_ahead


def test_a_rebuild_walks_the_context_ahead_with_the_patterns_asked_last_time(tree):
    """The engine asks for the context once it has read the Dockerfile: a rebuild's session walks
    it from the start, with the exclude patterns of the last request for that directory, and sends
    that walk if the engine asks the same; any other request gets a walk of its own."""
    first = Local(str(tree))
    first.walk_ahead()
    assert first.ahead is None  # nothing asked yet for this directory, and its .dockerignore unread
    stats, ahead = _serve(first, {"exclude-patterns": ["*.log"]})
    paths = [".dockerignore", "a", "a/x.txt", "a/y.log", "a.txt", "b", "b/c", "b/c/d.txt", "link", ""]
    assert not ahead and [s[1] for s in stats] == paths
    (tree / "a.txt").write_text("longer than before")
    local = Local(str(tree))
    local.walk_ahead()
    assert local.ahead is not None
    # the engine reads .dockerignore alone first: a walk of its own; the one ahead waits
    assert _serve(local, {"include-patterns": [".dockerignore"]}) == (
        [(0, ".dockerignore", 13), (0, "", 0)],
        False,
    )
    again, ahead = _serve(local, {"exclude-patterns": ["*.log"]})
    assert ahead and local.ahead is None
    assert again == [(i, p, 18 if p == "a.txt" else size) for i, p, size in stats]
    # other patterns (a .dockerignore changed since): walked with them, not sent from the walk ahead
    local = Local(str(tree))
    local.walk_ahead()
    walk = local.ahead
    stats, ahead = _serve(local, {"exclude-patterns": ["a", "*.log"]})
    assert not ahead and [s[1] for s in stats] == [
        ".dockerignore",
        "a.txt",
        "b",
        "b/c",
        "b/c/d.txt",
        "link",
        "",
    ]
    local.stop()
    walk.thread.join(timeout=5)
    assert local.ahead is None and not walk.thread.is_alive()


def test_a_directory_without_dockerignore_is_walked_ahead_from_the_first_build(tmp_path):
    """The engine then asks for the whole context with no patterns (a new kernel's rebuild too)."""
    (tmp_path / "a.txt").write_text("a")
    local = Local(str(tmp_path))
    local.walk_ahead()
    assert local.ahead is not None and local.ahead.exclude == []
    assert _serve(local, {}) == ([(0, "a.txt", 1), (0, "", 0)], True)


def test_a_walk_ahead_stopped_while_it_is_read_ends_its_reader(monkeypatch):
    """The session's end stops the walk; a request that took it just then gets an error, not a wait."""
    from dockermagic.engine.buildkit import filesync

    gate = threading.Event()

    def slow_walk(root, include, exclude):
        yield filesync.Entry(pb.Stat(path="a"), None)
        gate.wait(5)
        yield filesync.Entry(pb.Stat(path="b"), None)

    monkeypatch.setattr(filesync, "_walk", slow_walk)
    walk = filesync.WalkAhead("/anywhere", [])
    walk.stopped = True
    gate.set()
    ended = walk.found.get(timeout=5)
    assert isinstance(ended, CallFailed) and "session ended" in ended.message
    walk.thread.join(timeout=5)
    assert not walk.thread.is_alive()


def test_an_error_of_the_walk_ahead_is_the_calls(tree, tmp_path_factory):
    _serve(Local(str(tree)), {})
    local = Local(str(tree))
    os.rename(tree, tmp_path_factory.mktemp("moved") / "tree")  # the directory went away meanwhile
    local.walk_ahead()
    with pytest.raises(CommandError, match="is not a directory"):
        _serve(local, {})


def test_grpc_server_answers_a_health_check_over_http2():
    """An h2 client on one end of a socket pair, as the engine on the upgraded /session connection."""
    ours, engine = socket.socketpair()
    server = GrpcServer(lambda: ours.recv(65536), ours.sendall, {HEALTH: _health})
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    client = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    client.initiate_connection()
    stream = client.get_next_available_stream_id()
    client.send_headers(
        stream,
        [
            (":method", "POST"),
            (":scheme", "http"),
            (":path", HEALTH),
            (":authority", "x"),
            ("content-type", "application/grpc"),
        ],
    )
    request = pb.HealthCheckRequest().SerializeToString()
    client.send_data(stream, struct.pack(">BI", 0, len(request)) + request, end_stream=True)
    engine.sendall(client.data_to_send())
    body, trailers = b"", {}
    while not trailers:
        events = client.receive_data(engine.recv(65536))
        engine.sendall(client.data_to_send())
        for event in events:
            if isinstance(event, h2.events.DataReceived):
                body += event.data
            elif isinstance(event, h2.events.TrailersReceived):
                trailers = dict(event.headers)
    assert trailers["grpc-status"] == "0"
    assert pb.HealthCheckResponse.FromString(body[5:]).status == pb.SERVING
    # an unknown method is answered UNIMPLEMENTED (12), not left hanging
    stream = client.get_next_available_stream_id()
    client.send_headers(
        stream, [(":method", "POST"), (":scheme", "http"), (":path", "/x.Y/Z"), (":authority", "x")]
    )
    engine.sendall(client.data_to_send())
    status = None
    while status is None:
        for event in client.receive_data(engine.recv(65536)):
            if isinstance(event, (h2.events.TrailersReceived, h2.events.ResponseReceived)):
                status = dict(event.headers).get("grpc-status", status)
    assert status == "12"
    server.close()
    engine.close()
    thread.join(timeout=5)
    assert not thread.is_alive()


def _health(call):
    call.receive(timeout=5)
    call.send(pb.HealthCheckResponse(status=pb.SERVING).SerializeToString())


def _status(vertexes=(), logs=()):
    message = pb.StatusResponse()
    for digest, name, extra in vertexes:
        v = message.vertexes.add(digest=digest, name=name)
        for key, value in extra.items():
            if key in ("started", "completed"):
                getattr(v, key).FromNanoseconds(int(value * 1e9))
            else:
                setattr(v, key, value)
    for digest, text in logs:
        message.logs.add(vertex=digest, msg=text)
    return message


def test_graph_states_lines_and_the_failed_step():
    written: list[str] = []
    live = LiveGraph(written.append)
    graph = Graph(live.on_vertex, live.on_line)
    graph.feed(_status([("d1", "[1/2] FROM x", {"cached": True}), ("d2", "[2/2] RUN make", {})]))
    graph.feed(
        _status([("d2", "[2/2] RUN make", {"started": 100.0})], [("d2", b"compil"), ("d2", b"ing\nlast ")])
    )
    graph.feed(
        _status([("d2", "[2/2] RUN make", {"started": 100.0, "completed": 102.5, "error": "exit code: 2"})])
    )
    graph.close()
    first, second = graph.steps
    assert (first.state, second.state, second.seconds) == ("cached", "error", 2.5)
    assert second.output == ["compiling", "last "]
    assert graph.failed() is second
    assert written == [
        "#1 [1/2] FROM x\n",
        "#1 CACHED\n",
        "#2 [2/2] RUN make\n",
        "#2 compiling\n",
        "#2 ERROR: exit code: 2\n",
        "#2 last \n",
    ]


def test_graph_view_faces():
    graph = Graph()
    graph.feed(
        _status(
            [
                ("a", "[a 2/2] RUN <b>x</b> PASSWORD=hunter2", {"started": 10.0, "completed": 13.0}),
                ("b", "[b 2/2] RUN y", {"started": 10.2, "completed": 13.1}),
                ("c", "[internal] load build context", {"started": 9.0, "completed": 9.1}),
            ],
            [("a", b"<i>out</i>\n")],
        )
    )
    view = BuildGraphView(graph.steps, "sha256:1")
    text, html = view.text(), view.html()
    assert "#1 [a 2/2] RUN <b>x</b>" in text and "[3.0s]" in text and "2 steps, 0 from the cache" in text
    assert "hunter2" not in text + html
    assert "<b>x</b>" not in html and "&lt;i&gt;out&lt;/i&gt;" in html
    # the two stages' bars start at nearly the same place on the timeline
    assert "left:24.4%" in html and "left:29.3%" in html


def test_builder_and_secret_options():
    spec = parse_cell_line("--builder buildkit --secret id=t,env=TOKEN --secret id=k,src=key.txt", "FROM x")
    assert spec.builder == "buildkit" and spec.secrets == (("t", "env", "TOKEN"), ("k", "src", "key.txt"))
    assert parse_cell_line("--secret id=TOKEN", "FROM x").secrets == (("TOKEN", "env", "TOKEN"),)
    with pytest.raises(CommandError, match="unknown builder 'kaniko': use buildkit or classic"):
        parse_cell_line("--builder kaniko", "FROM x")
    with pytest.raises(CommandError, match="write id=NAME,env=VARIABLE or id=NAME,src=FILE"):
        parse_cell_line("--secret id=a,env=A,src=B", "FROM x")
