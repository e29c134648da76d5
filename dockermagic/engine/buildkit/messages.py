"""The protobuf messages the session and the progress stream carry, declared at run time.

Each message is written here in the ``.proto`` files' own syntax, copied from the published files
(fsutil's ``types/stat.proto`` and ``wire.proto``, BuildKit's ``control.proto``, ``auth.proto``,
``filesync.proto``, ``ssh.proto``, ``secrets.proto``, gRPC's ``health.proto``) and cut down to the
messages used; ``_files`` reads that subset of proto3 into descriptors, which protobuf's own runtime
(``descriptor_pb2`` and ``message_factory``) turns into classes. No generated ``_pb2`` module is
kept: nothing needs ``protoc`` to build the package, and the declarations below are the whole
contract, to be read against the ``.proto`` files line by line.
"""

from __future__ import annotations

import re
from typing import Any

# protobuf ships no type information (types-protobuf would be one more dependency for four names)
from google.protobuf import (  # type: ignore[import-untyped]
    descriptor_pb2,
    descriptor_pool,
    message_factory,
    timestamp_pb2,
)

F = descriptor_pb2.FieldDescriptorProto

# Each package as its .proto file writes it, cut down to the messages used: fields are
# ``[repeated] TYPE NAME = NUMBER;`` or ``map<string, TYPE> NAME = NUMBER;``, enums are nested in
# their message, and a TYPE that is not a scalar names a message of the package, a nested enum, or a
# message by its full name (``google.protobuf.Timestamp``). The Go generator's field options
# (``[(gogoproto.customtype) = ...]``) are left out: a ``//`` comment says what they said.
_PROTO = """
// fsutil types/stat.proto, types/wire.proto
package fsutil.types;
message Stat {
    string path = 1;
    uint32 mode = 2;
    uint32 uid = 3;
    uint32 gid = 4;
    int64 size = 5;
    int64 modTime = 6;
    string linkname = 7;
    int64 devmajor = 8;
    int64 devminor = 9;
    map<string, bytes> xattrs = 10;
}
message Packet {
    enum PacketType { PACKET_STAT = 0; PACKET_REQ = 1; PACKET_DATA = 2; PACKET_FIN = 3; PACKET_ERR = 4; }
    PacketType type = 1;
    Stat stat = 2;
    uint32 ID = 3;
    bytes data = 4;
}

// BuildKit api/services/control/control.proto (the progress part)
package moby.buildkit.v1;
message StatusResponse {
    repeated Vertex vertexes = 1;
    repeated VertexStatus statuses = 2;
    repeated VertexLog logs = 3;
}
message Vertex {
    string digest = 1;
    repeated string inputs = 2;  // the vertexes' digests
    string name = 3;
    bool cached = 4;
    google.protobuf.Timestamp started = 5;
    google.protobuf.Timestamp completed = 6;
    string error = 7;
}
message VertexStatus {
    string ID = 1;
    string vertex = 2;  // the vertex's digest
    string name = 3;
    int64 current = 4;
    int64 total = 5;
    google.protobuf.Timestamp timestamp = 6;
    google.protobuf.Timestamp started = 7;
    google.protobuf.Timestamp completed = 8;
}
message VertexLog {
    string vertex = 1;  // the vertex's digest
    google.protobuf.Timestamp timestamp = 2;
    int64 stream = 3;
    bytes msg = 4;
}

// BuildKit session/auth/auth.proto (the one method served: Credentials), and
// session/filesync/filesync.proto: a tar export's chunks (FileSend/DiffCopy)
package moby.filesync.v1;
message CredentialsRequest { string Host = 1; }
message CredentialsResponse { string Username = 1; string Secret = 2; }
message BytesMessage { bytes data = 1; }

// BuildKit session/sshforward/ssh.proto
package moby.sshforward.v1;
message BytesMessage { bytes data = 1; }
message CheckAgentRequest { string ID = 1; }
message CheckAgentResponse {}

// BuildKit session/secrets/secrets.proto
package moby.buildkit.secrets.v1;
message GetSecretRequest { string ID = 1; map<string, string> annotations = 2; }
message GetSecretResponse { bytes data = 1; }

// gRPC health/v1/health.proto
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
    enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
    ServingStatus status = 1;
}
"""

_SCALARS = {
    "string": F.TYPE_STRING,
    "bytes": F.TYPE_BYTES,
    "bool": F.TYPE_BOOL,
    "int64": F.TYPE_INT64,
    "uint32": F.TYPE_UINT32,
}
_TOKENS = re.compile(r"//[^\n]*|map<\s*\w+\s*,\s*\w+\s*>|[\w.]+|[{};=]")


def _files(text: str) -> list[Any]:
    """The ``FileDescriptorProto`` of each package in ``text`` (the subset of proto3 above)."""
    words = [w for w in _TOKENS.findall(text) if not w.startswith("//")]
    files: list[Any] = []
    at = 0
    while at < len(words):
        if words[at] == "package":
            package = words[at + 1]
            proto = descriptor_pb2.FileDescriptorProto(
                name=f"dockermagic/{package.replace('.', '/')}.proto", package=package, syntax="proto3"
            )
            proto.dependency.append("google/protobuf/timestamp.proto")
            files.append(proto)
            at += 3  # package NAME ;
        elif words[at] == "message":
            at = _message_at(words, at, files[-1])
        else:
            raise ValueError(f"unexpected {words[at]!r} in the protobuf declarations")
    return files


def _message_at(words: list[str], at: int, proto: Any) -> int:
    """Read ``message NAME { ... }`` from ``words[at]`` into ``proto``; return where it ends."""
    name, at = words[at + 1], at + 3  # message NAME {
    message = proto.message_type.add(name=name)
    fields: list[tuple[bool, str, str, int]] = []
    while words[at] != "}":
        if words[at] == "enum":
            enum = message.enum_type.add(name=words[at + 1])
            at += 3  # enum NAME {
            while words[at] != "}":
                enum.value.add(name=words[at], number=int(words[at + 2]))
                at += 4  # NAME = NUMBER ;
            at += 1
            continue
        many = words[at] == "repeated"
        if many:
            at += 1
        fields.append((many, words[at], words[at + 1], int(words[at + 3])))
        at += 5  # TYPE NAME = NUMBER ;
    enums = {e.name for e in message.enum_type}
    for many, kind, field_name, number in fields:
        field = message.field.add(name=field_name, number=number, label=F.LABEL_OPTIONAL)
        if kind.startswith("map<"):
            entry = message.nested_type.add(name=field_name[0].upper() + field_name[1:] + "Entry")
            entry.options.map_entry = True
            key, value = (t.strip() for t in kind[4:-1].split(","))
            entry.field.add(name="key", number=1, type=_SCALARS[key], label=F.LABEL_OPTIONAL)
            entry.field.add(name="value", number=2, type=_SCALARS[value], label=F.LABEL_OPTIONAL)
            many, kind = True, f"{name}.{entry.name}"
        if many:
            field.label = F.LABEL_REPEATED
        if kind in _SCALARS:
            field.type = _SCALARS[kind]
        elif kind in enums:  # an enum nested in this message
            field.type, field.type_name = F.TYPE_ENUM, f".{proto.package}.{name}.{kind}"
        else:  # a message of this package (or a map's entry), or one named in full
            own = "." not in kind or kind.startswith(f"{name}.")
            field.type, field.type_name = F.TYPE_MESSAGE, f".{proto.package}.{kind}" if own else f".{kind}"
    return at + 1


_POOL = descriptor_pool.DescriptorPool()
_POOL.AddSerializedFile(
    descriptor_pb2.FileDescriptorProto.FromString(
        timestamp_pb2.DESCRIPTOR.serialized_pb  # the pool needs the Timestamp file first
    ).SerializeToString()
)
for _proto in _files(_PROTO):
    _POOL.Add(_proto)


def _messages(package: str, *names: str) -> tuple[Any, ...]:
    """The classes of these messages of ``package``."""
    return tuple(
        message_factory.GetMessageClass(_POOL.FindMessageTypeByName(f"{package}.{n}")) for n in names
    )


Stat, Packet = _messages("fsutil.types", "Stat", "Packet")
(StatusResponse,) = _messages("moby.buildkit.v1", "StatusResponse")
CredentialsRequest, CredentialsResponse, FileBytes = _messages(
    "moby.filesync.v1", "CredentialsRequest", "CredentialsResponse", "BytesMessage"
)
SSHBytes, CheckAgentRequest, CheckAgentResponse = _messages(
    "moby.sshforward.v1", "BytesMessage", "CheckAgentRequest", "CheckAgentResponse"
)
GetSecretRequest, GetSecretResponse = _messages(
    "moby.buildkit.secrets.v1", "GetSecretRequest", "GetSecretResponse"
)
HealthCheckRequest, HealthCheckResponse = _messages(
    "grpc.health.v1", "HealthCheckRequest", "HealthCheckResponse"
)

PACKET_STAT, PACKET_REQ, PACKET_DATA, PACKET_FIN, PACKET_ERR = range(5)
SERVING = 1
