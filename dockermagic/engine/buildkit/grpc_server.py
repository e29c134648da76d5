"""A gRPC server over one HTTP/2 connection that the engine opened to us (h2, server side).

On the upgraded ``/session`` connection the engine is the HTTP/2 client and
calls the methods the session exposes. Each call is an HTTP/2 stream whose
messages are framed by gRPC (one flag byte, a 4-byte big-endian length, the
protobuf bytes) and ends with ``grpc-status`` trailers. One thread reads the
connection; each call runs in its own thread (the file sync streams while
health checks keep arriving); writes share one lock and wait for the peer's
flow-control window.
"""

from __future__ import annotations

import queue
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import h2.config
import h2.connection
import h2.events
import h2.exceptions

OK, CANCELLED, UNKNOWN, NOT_FOUND, UNIMPLEMENTED = 0, 1, 2, 5, 12


class CallFailed(Exception):
    """A handler's way to end its call with a gRPC status other than OK."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Call:
    """One incoming call: its metadata, its request messages as they arrive, and replies."""

    server: GrpcServer
    stream_id: int
    path: str
    metadata: dict[str, list[str]]
    inbox: queue.Queue[bytes | None] = field(default_factory=queue.Queue)
    buffer: bytearray = field(default_factory=bytearray)
    headers_sent: bool = False
    closed: bool = False

    def receive(self, timeout: float | None = None) -> bytes | None:
        """The next request message; None once the caller has sent its last one."""
        return self.inbox.get(timeout=timeout)

    def send(self, message: bytes) -> None:
        self.server.send(self, struct.pack(">BI", 0, len(message)) + message)

    def send_all(self, messages: list[bytes]) -> None:
        """Several messages in one write (thousands of file stats: one frame each would cost a
        lock, a frame and a system call per file)."""
        self.server.send(self, b"".join(struct.pack(">BI", 0, len(m)) + m for m in messages))

    def first(self, name: str, default: str = "") -> str:
        values = self.metadata.get(name)
        return values[0] if values else default


Handler = Callable[[Call], None]


class GrpcServer:
    """Serves ``handlers`` (full method path -> function of a Call) on one connection."""

    def __init__(
        self, recv: Callable[[], bytes], sendall: Callable[[bytes], Any], handlers: dict[str, Handler]
    ):
        self.recv = recv
        self.sendall = sendall
        self.handlers = handlers
        self.conn = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        )
        self.lock = threading.Condition()
        self.calls: dict[int, Call] = {}
        self.closed = False
        self.errors: list[BaseException] = []

    # -- writing: one lock for the h2 state machine and the socket ------------------------
    def _flush(self) -> None:
        data = self.conn.data_to_send()
        if data:
            self.sendall(data)

    def _headers(self, call: Call) -> None:
        if not call.headers_sent:
            call.headers_sent = True
            self.conn.send_headers(call.stream_id, [(":status", "200"), ("content-type", "application/grpc")])

    def send(self, call: Call, data: bytes) -> None:
        view = memoryview(data)
        with self.lock:
            self._headers(call)
            while view:
                if self.closed or call.closed:
                    raise CallFailed(CANCELLED, "the engine closed the call")
                window = min(
                    self.conn.local_flow_control_window(call.stream_id), self.conn.max_outbound_frame_size
                )
                if window <= 0:
                    self.lock.wait(1.0)  # the reader thread wakes us on a window update
                    continue
                self.conn.send_data(call.stream_id, bytes(view[:window]))
                view = view[window:]
                self._flush()

    def finish(self, call: Call, status: int = OK, message: str = "") -> None:
        with self.lock:
            if self.closed or call.closed:
                return
            call.closed = True
            try:
                self._headers(call)
                trailers = [("grpc-status", str(status))]
                if message:
                    trailers.append(("grpc-message", message.encode("ascii", "replace").decode()))
                self.conn.send_headers(call.stream_id, trailers, end_stream=True)
                self._flush()
            except (h2.exceptions.StreamClosedError, h2.exceptions.H2Error, OSError):
                pass

    # -- reading --------------------------------------------------------------------------
    def serve(self) -> None:
        """Answer calls until the connection ends (run in a thread; ``close`` ends it)."""
        with self.lock:
            self.conn.initiate_connection()
            self._flush()
        try:
            while not self.closed:
                data = self.recv()
                if not data:
                    break
                with self.lock:
                    events = self.conn.receive_data(data)
                    self._flush()
                for event in events:
                    self._event(event)
        except (OSError, ValueError, h2.exceptions.H2Error) as exc:
            if not self.closed:
                self.errors.append(exc)
        finally:
            self._end_all()

    def _event(self, event: Any) -> None:
        if isinstance(event, h2.events.RequestReceived):
            self._start(event.stream_id, event.headers)
        elif isinstance(event, h2.events.DataReceived):
            with self.lock:
                self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                self._flush()
            call = self.calls.get(event.stream_id)
            if call is not None:
                call.buffer += event.data
                while len(call.buffer) >= 5:
                    _, size = struct.unpack(">BI", call.buffer[:5])
                    if len(call.buffer) < 5 + size:
                        break
                    call.inbox.put(bytes(call.buffer[5 : 5 + size]))
                    del call.buffer[: 5 + size]
        elif isinstance(event, h2.events.StreamEnded):
            call = self.calls.get(event.stream_id)
            if call is not None:
                call.inbox.put(None)
        elif isinstance(event, h2.events.StreamReset):
            call = self.calls.pop(event.stream_id, None)
            if call is not None:
                call.closed = True
                call.inbox.put(None)
            with self.lock:
                self.lock.notify_all()
        elif isinstance(event, (h2.events.WindowUpdated, h2.events.RemoteSettingsChanged)):
            with self.lock:
                self.lock.notify_all()
        elif isinstance(event, h2.events.ConnectionTerminated):
            self.closed = True

    def _start(self, stream_id: int, headers: Any) -> None:
        metadata: dict[str, list[str]] = {}
        for name, value in headers:
            metadata.setdefault(name, []).append(value)
        path = metadata.get(":path", [""])[0]
        call = Call(self, stream_id, path, metadata)
        self.calls[stream_id] = call
        handler = self.handlers.get(path)
        if handler is None:
            self.finish(call, UNIMPLEMENTED, f"unknown method {path}")
            return
        threading.Thread(target=self._run, args=(handler, call), name="dockermagic-grpc", daemon=True).start()

    def _run(self, handler: Handler, call: Call) -> None:
        try:
            handler(call)
        except CallFailed as exc:
            self.finish(call, exc.status, exc.message)
        except Exception as exc:  # reported to the engine, which fails the build with it
            self.errors.append(exc)
            self.finish(call, UNKNOWN, str(exc))
        else:
            self.finish(call, OK)
        finally:
            self.calls.pop(call.stream_id, None)

    def _end_all(self) -> None:
        self.closed = True
        for call in list(self.calls.values()):
            call.closed = True
            call.inbox.put(None)
        with self.lock:
            self.lock.notify_all()

    def close(self) -> None:
        """Tell the engine we are going (GOAWAY) and wake every waiting call."""
        with self.lock:
            if not self.closed:
                try:
                    self.conn.close_connection()
                    self._flush()
                except (h2.exceptions.H2Error, OSError):
                    pass
        self._end_all()
