"""The protobuf messages the session and the progress stream carry, declared at run time.

Each message is written here from the field numbers of the published ``.proto``
files (fsutil's ``types/stat.proto`` and ``wire.proto``, BuildKit's
``control.proto``, ``auth.proto``, ``secrets.proto``, ``filesync.proto``, ``ssh.proto``, gRPC's
``health.proto``)
and turned into classes by protobuf's own runtime (``descriptor_pb2`` and
``message_factory``). No generated ``_pb2`` module is kept: nothing needs
``protoc`` to build the package, and the declarations below are the whole
contract, small enough to read against the ``.proto`` files.
"""

from __future__ import annotations

from typing import Any

# protobuf ships no type information (types-protobuf would be one more dependency for four names)
from google.protobuf import (  # type: ignore[import-untyped]
    descriptor_pb2,
    descriptor_pool,
    message_factory,
    timestamp_pb2,
)

F = descriptor_pb2.FieldDescriptorProto

# (name, number, type, label, message type name) per field
_STRING, _BYTES, _BOOL = F.TYPE_STRING, F.TYPE_BYTES, F.TYPE_BOOL
_INT64, _UINT32, _ENUM, _MESSAGE = F.TYPE_INT64, F.TYPE_UINT32, F.TYPE_ENUM, F.TYPE_MESSAGE
_ONE, _MANY = F.LABEL_OPTIONAL, F.LABEL_REPEATED
_TIME = ".google.protobuf.Timestamp"

_FILES: dict[str, dict[str, list[tuple[str, int, int, int, str]]]] = {
    # fsutil types/stat.proto, types/wire.proto
    "fsutil.types": {
        "Stat": [
            ("path", 1, _STRING, _ONE, ""),
            ("mode", 2, _UINT32, _ONE, ""),
            ("uid", 3, _UINT32, _ONE, ""),
            ("gid", 4, _UINT32, _ONE, ""),
            ("size", 5, _INT64, _ONE, ""),
            ("modTime", 6, _INT64, _ONE, ""),
            ("linkname", 7, _STRING, _ONE, ""),
            ("devmajor", 8, _INT64, _ONE, ""),
            ("devminor", 9, _INT64, _ONE, ""),
            ("xattrs", 10, _MESSAGE, _MANY, ".fsutil.types.Stat.XattrsEntry"),
        ],
        "Packet": [
            ("type", 1, _ENUM, _ONE, ".fsutil.types.Packet.PacketType"),
            ("stat", 2, _MESSAGE, _ONE, ".fsutil.types.Stat"),
            ("ID", 3, _UINT32, _ONE, ""),
            ("data", 4, _BYTES, _ONE, ""),
        ],
    },
    # BuildKit api/services/control/control.proto (the progress part)
    "moby.buildkit.v1": {
        "StatusResponse": [
            ("vertexes", 1, _MESSAGE, _MANY, ".moby.buildkit.v1.Vertex"),
            ("statuses", 2, _MESSAGE, _MANY, ".moby.buildkit.v1.VertexStatus"),
            ("logs", 3, _MESSAGE, _MANY, ".moby.buildkit.v1.VertexLog"),
        ],
        "Vertex": [
            ("digest", 1, _STRING, _ONE, ""),
            ("inputs", 2, _STRING, _MANY, ""),
            ("name", 3, _STRING, _ONE, ""),
            ("cached", 4, _BOOL, _ONE, ""),
            ("started", 5, _MESSAGE, _ONE, _TIME),
            ("completed", 6, _MESSAGE, _ONE, _TIME),
            ("error", 7, _STRING, _ONE, ""),
        ],
        "VertexStatus": [
            ("ID", 1, _STRING, _ONE, ""),
            ("vertex", 2, _STRING, _ONE, ""),
            ("name", 3, _STRING, _ONE, ""),
            ("current", 4, _INT64, _ONE, ""),
            ("total", 5, _INT64, _ONE, ""),
            ("timestamp", 6, _MESSAGE, _ONE, _TIME),
            ("started", 7, _MESSAGE, _ONE, _TIME),
            ("completed", 8, _MESSAGE, _ONE, _TIME),
        ],
        "VertexLog": [
            ("vertex", 1, _STRING, _ONE, ""),
            ("timestamp", 2, _MESSAGE, _ONE, _TIME),
            ("stream", 3, _INT64, _ONE, ""),
            ("msg", 4, _BYTES, _ONE, ""),
        ],
    },
    # BuildKit session/auth/auth.proto (the one method served: Credentials)
    "moby.filesync.v1": {
        "CredentialsRequest": [("Host", 1, _STRING, _ONE, "")],
        "CredentialsResponse": [("Username", 1, _STRING, _ONE, ""), ("Secret", 2, _STRING, _ONE, "")],
        # session/filesync/filesync.proto: a tar export's chunks (FileSend/DiffCopy)
        "BytesMessage": [("data", 1, _BYTES, _ONE, "")],
    },
    # BuildKit session/sshforward/ssh.proto
    "moby.sshforward.v1": {
        "BytesMessage": [("data", 1, _BYTES, _ONE, "")],
        "CheckAgentRequest": [("ID", 1, _STRING, _ONE, "")],
        "CheckAgentResponse": [],
    },
    # BuildKit session/secrets/secrets.proto
    "moby.buildkit.secrets.v1": {
        "GetSecretRequest": [
            ("ID", 1, _STRING, _ONE, ""),
            (
                "annotations",
                2,
                _MESSAGE,
                _MANY,
                ".moby.buildkit.secrets.v1.GetSecretRequest.AnnotationsEntry",
            ),
        ],
        "GetSecretResponse": [("data", 1, _BYTES, _ONE, "")],
    },
    # gRPC health/v1/health.proto
    "grpc.health.v1": {
        "HealthCheckRequest": [("service", 1, _STRING, _ONE, "")],
        "HealthCheckResponse": [
            ("status", 1, _ENUM, _ONE, ".grpc.health.v1.HealthCheckResponse.ServingStatus")
        ],
    },
}

# map<string, V> fields: a nested XxxEntry message with key = 1, value = 2
_MAP_ENTRIES = {
    ("fsutil.types", "Stat"): ("XattrsEntry", _BYTES),
    ("moby.buildkit.secrets.v1", "GetSecretRequest"): ("AnnotationsEntry", _STRING),
}
_ENUMS = {
    ("fsutil.types", "Packet"): (
        "PacketType",
        [("PACKET_STAT", 0), ("PACKET_REQ", 1), ("PACKET_DATA", 2), ("PACKET_FIN", 3), ("PACKET_ERR", 4)],
    ),
    ("grpc.health.v1", "HealthCheckResponse"): (
        "ServingStatus",
        [("UNKNOWN", 0), ("SERVING", 1), ("NOT_SERVING", 2), ("SERVICE_UNKNOWN", 3)],
    ),
}


def _file(package: str, messages: dict[str, list[tuple[str, int, int, int, str]]]) -> Any:
    proto = descriptor_pb2.FileDescriptorProto(
        name=f"dockermagic/{package.replace('.', '/')}.proto", package=package, syntax="proto3"
    )
    proto.dependency.append("google/protobuf/timestamp.proto")
    for name, fields in messages.items():
        message = proto.message_type.add(name=name)
        for field_name, number, kind, label, type_name in fields:
            field = message.field.add(name=field_name, number=number, type=kind, label=label)
            if type_name:
                field.type_name = type_name
        if (package, name) in _MAP_ENTRIES:
            entry_name, value_type = _MAP_ENTRIES[(package, name)]
            entry = message.nested_type.add(name=entry_name)
            entry.options.map_entry = True
            entry.field.add(name="key", number=1, type=_STRING, label=_ONE)
            entry.field.add(name="value", number=2, type=value_type, label=_ONE)
        if (package, name) in _ENUMS:
            enum_name, values = _ENUMS[(package, name)]
            enum = message.enum_type.add(name=enum_name)
            for value_name, number in values:
                enum.value.add(name=value_name, number=number)
    return proto


_POOL = descriptor_pool.DescriptorPool()
_POOL.AddSerializedFile(
    descriptor_pb2.FileDescriptorProto.FromString(
        timestamp_pb2.DESCRIPTOR.serialized_pb  # the pool needs the Timestamp file first
    ).SerializeToString()
)
for _package, _messages in _FILES.items():
    _POOL.Add(_file(_package, _messages))


def _message(full_name: str) -> Any:
    return message_factory.GetMessageClass(_POOL.FindMessageTypeByName(full_name))


Stat = _message("fsutil.types.Stat")
Packet = _message("fsutil.types.Packet")
StatusResponse = _message("moby.buildkit.v1.StatusResponse")
CredentialsRequest = _message("moby.filesync.v1.CredentialsRequest")
CredentialsResponse = _message("moby.filesync.v1.CredentialsResponse")
GetSecretRequest = _message("moby.buildkit.secrets.v1.GetSecretRequest")
GetSecretResponse = _message("moby.buildkit.secrets.v1.GetSecretResponse")
FileBytes = _message("moby.filesync.v1.BytesMessage")
SSHBytes = _message("moby.sshforward.v1.BytesMessage")
CheckAgentRequest = _message("moby.sshforward.v1.CheckAgentRequest")
CheckAgentResponse = _message("moby.sshforward.v1.CheckAgentResponse")
HealthCheckRequest = _message("grpc.health.v1.HealthCheckRequest")
HealthCheckResponse = _message("grpc.health.v1.HealthCheckResponse")

PACKET_STAT, PACKET_REQ, PACKET_DATA, PACKET_FIN, PACKET_ERR = range(5)
SERVING = 1
