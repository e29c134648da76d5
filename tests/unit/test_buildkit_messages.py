"""engine.buildkit.messages: the .proto text it declares becomes the descriptors protobuf would make
from the published files (maps, nested enums, messages by full name, repeated fields)."""

import pytest

from dockermagic.engine.buildkit import messages as pb

F = pb.F


def _field(message, name):
    return next(f for f in message.DESCRIPTOR.fields if f.name == name)


def test_a_map_is_a_repeated_entry_message_with_key_and_value():
    xattrs = _field(pb.Stat, "xattrs")
    entry = xattrs.message_type
    assert (xattrs.number, entry.name, entry.GetOptions().map_entry) == (10, "XattrsEntry", True)
    assert [(f.name, f.number, f.type) for f in entry.fields] == [
        ("key", 1, F.TYPE_STRING),
        ("value", 2, F.TYPE_BYTES),
    ]
    stat = pb.Stat(path="a")
    stat.xattrs["user.x"] = b"1"
    assert pb.Stat.FromString(stat.SerializeToString()).xattrs["user.x"] == b"1"


def test_enums_nested_messages_by_full_name_and_repeated_fields():
    kind = _field(pb.Packet, "type")
    assert (kind.type, kind.enum_type.full_name) == (F.TYPE_ENUM, "fsutil.types.Packet.PacketType")
    assert kind.enum_type.values_by_name["PACKET_FIN"].number == pb.PACKET_FIN == 3
    started = pb.StatusResponse.DESCRIPTOR.fields_by_name["vertexes"].message_type.fields_by_name["started"]
    assert (started.number, started.message_type.full_name) == (5, "google.protobuf.Timestamp")
    status = pb.StatusResponse()
    status.vertexes.add(digest="d", inputs=["a", "b"])
    assert list(pb.StatusResponse.FromString(status.SerializeToString()).vertexes[0].inputs) == ["a", "b"]
    assert pb.FileBytes.DESCRIPTOR.full_name == "moby.filesync.v1.BytesMessage"
    assert pb.SSHBytes.DESCRIPTOR.full_name == "moby.sshforward.v1.BytesMessage"


def test_the_reader_refuses_what_is_not_its_subset():
    with pytest.raises(ValueError, match="unexpected 'service'"):
        pb._files("package a.b; service S {}")
