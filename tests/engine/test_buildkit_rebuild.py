"""A rebuild's context on BuildKit: listed by the walk the session begins as it opens (the engine asks
for the context only once it has read the Dockerfile), and only the changed file sent. The speed
itself is bench/bench_buildkit.py's. The BuildKit cache the module makes is pruned at its end.
"""

from __future__ import annotations

from dockermagic.engine.buildkit import filesync
from tests.conftest import BASE_IMAGE
from tests.engine.test_buildkit import build, run


def test_a_new_kernels_rebuild_lists_its_context_ahead_and_sends_the_changed_file(
    ip, unique, tmp_path, monkeypatch
):
    for i in range(50):
        (tmp_path / f"f{i:02}.txt").write_text(f"file {i}\n")
    body = f"FROM {BASE_IMAGE}\nCOPY . /ctx\n"
    first = build(ip, f"-t {unique}:ahead --context {tmp_path}", body)
    sent = [s for s in first.build_steps.sent if s.name == "context"]
    # no .dockerignore: the engine asks for everything with no patterns, as the walk ahead guessed;
    # its first request (for .dockerignore alone) gets a walk of its own
    assert [s.walked_ahead for s in sent] == [False, True] and sent[-1].files == 50
    monkeypatch.setattr(filesync, "_ASKED", {})  # what a new kernel knows of earlier builds: nothing
    (tmp_path / "f07.txt").write_text("changed\n")
    second = build(ip, f"-t {unique}:ahead --context {tmp_path}", body)
    sent = [s for s in second.build_steps.sent if s.name == "context"]
    assert [s.walked_ahead for s in sent] == [False, True]
    assert (sent[-1].entries, sent[-1].files, sent[-1].bytes) == (50, 1, len("changed\n"))
    assert run(ip, f"{unique}:ahead", "cat /ctx/f07.txt /ctx/f49.txt") == "changed\nfile 49\n"
