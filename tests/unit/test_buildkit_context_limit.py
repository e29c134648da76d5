"""The BuildKit file sync's context size guard (``build_context_limit``): what it counts and when
it stops. On the engine: tests/engine/test_buildkit_limits.py."""

from __future__ import annotations

import os

import pytest

from dockermagic.engine.buildkit import filesync
from dockermagic.engine.buildkit import messages as pb
from dockermagic.engine.buildkit.filesync import Local, diff_copy
from dockermagic.engine.buildkit.grpc_server import CallFailed
from dockermagic.engine.context import build_context
from dockermagic.errors import CommandError
from tests.unit.test_buildkit import FakeCall


def _sparse(path, size):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.truncate(size)


@pytest.fixture
def context(tmp_path):
    _sparse(tmp_path / "a" / "big.bin", 3_000_000)
    _sparse(tmp_path / "mid.bin", 2_000_000)
    _sparse(tmp_path / "z" / "huge.log", 40_000_000)
    (tmp_path / "small.txt").write_text("small\n")
    os.symlink("z/huge.log", tmp_path / "link")  # a link counts for nothing, as in the classic tar
    return tmp_path


def _sync(local, metadata):
    call = FakeCall({"dir-name": ["context"], **metadata}, [pb.Packet(type=pb.PACKET_FIN)])
    sent = []
    diff_copy(call, {"context": local}, sent.append)
    return call, sent


def test_the_files_listed_after_the_exclude_patterns_are_counted(context):
    local = Local(str(context), limit=5_000_006)  # big.bin, mid.bin and small.txt, to the byte
    call, sent = _sync(local, {"exclude-patterns": ["z"]})
    assert local.refused is None and sent[0].entries == 5  # a, a/big.bin, link, mid.bin, small.txt
    local = Local(str(context), limit=5_000_005)
    with pytest.raises(CallFailed) as info:
        _sync(local, {"exclude-patterns": ["z"]})
    assert str(local.refused) == info.value.message
    assert "holds 5.0 MB, over the 5 MB limit; largest: a/big.bin (3.0 MB), mid.bin (2.0 MB), small.txt" in (
        info.value.message
    )


def test_include_patterns_count_only_what_they_list(context):
    local = Local(str(context), limit=2_500_000)
    _sync(local, {"include-patterns": ["mid.bin", "small.txt"]})
    assert local.refused is None


def test_over_the_limit_the_list_stops_unended_and_no_contents_leave(context, monkeypatch):
    monkeypatch.setattr(filesync, "BATCH", 1)  # each stat sent alone: what left before the limit shows
    local = Local(str(context), limit=1_000_000)
    call = FakeCall({"dir-name": ["context"]}, [pb.Packet(type=pb.PACKET_REQ, ID=1)])
    with pytest.raises(CallFailed):
        diff_copy(call, {"context": local}, lambda sent: None)
    # the listing stops at the file that crossed the limit (a/big.bin): no closing empty STAT, so the
    # engine asks for no file, and no data
    assert [(p.type, p.stat.path) for p in call.sent] == [(pb.PACKET_STAT, "a")]
    assert call.requests  # the request for entry 1 was never read
    # yet the refusal names the largest files of the whole walk
    assert "holds 45.0 MB" in str(local.refused)
    assert "largest: z/huge.log (40.0 MB), a/big.bin (3.0 MB)" in str(local.refused)


def test_the_wording_is_the_classic_builders(context):
    local = Local(str(context), limit=1_000_000)
    with pytest.raises(CallFailed):
        _sync(local, {})
    with pytest.raises(CommandError) as classic:
        build_context(str(context), None, 1_000_000)
    assert str(local.refused) == str(classic.value)


def test_files_served_by_the_client_count_for_nothing(tmp_path):
    (tmp_path / "small.txt").write_text("small\n")
    local = Local(str(tmp_path), served={".dockermagic-inline/0": b"x" * 2000}, limit=10)
    call, _ = _sync(local, {})
    assert local.refused is None
    assert ".dockermagic-inline/0" in [p.stat.path for p in call.sent]


def test_no_limit_no_count(context):
    local = Local(str(context))
    _sync(local, {})
    assert local.refused is None
