"""What BuildKit builds share with classic ones beyond the Dockerfile: the context size guard
(``build_context_limit``) and the notice that a step has printed nothing for a while. The BuildKit
cache the module makes is pruned at its end (conftest.py).
"""

from __future__ import annotations

import re
import threading
import time

import pytest
from IPython.core.error import UsageError

from dockermagic.engine import build as engine_build
from dockermagic.engine.buildkit import filesync
from tests.conftest import BASE_IMAGE
from tests.engine.test_buildkit import build


@pytest.fixture
def low_limit(ip):
    ip.run_line_magic("config", "DockerMagics.build_context_limit = 1000000")
    yield
    ip.run_line_magic("config", "DockerMagics.build_context_limit = 100000000")


def _sparse(path, size):
    with open(path, "wb") as f:
        f.truncate(size)


def test_a_context_over_the_limit_stops_before_any_file_is_sent(
    ip, unique, client, tmp_path, low_limit, monkeypatch
):
    _sparse(tmp_path / "big.bin", 3_000_000)
    _sparse(tmp_path / "mid.bin", 2_000_000)
    _sparse(tmp_path / "skipped.bin", 50_000_000)  # left out by .dockerignore: not counted
    (tmp_path / ".dockerignore").write_text("skipped.bin\n")
    (tmp_path / "small.txt").write_text("small\n")
    read = []
    reader = filesync._reader
    monkeypatch.setattr(filesync, "_reader", lambda path: lambda: (read.append(path), reader(path)())[1])
    # a stage that would keep the build going for a minute if the engine did not stop it
    body = (
        f"FROM {BASE_IMAGE} AS slow\nRUN sleep 60 && touch /done\n"
        f"FROM {BASE_IMAGE}\nCOPY --from=slow /done /done\nCOPY . /ctx/\n"
    )
    started = time.monotonic()
    with pytest.raises(UsageError) as info:
        build(ip, f"-t {unique}:big --context {tmp_path}", body)
    took = time.monotonic() - started
    message = str(info.value)
    assert message == (
        f"The build context {tmp_path} holds 5.0 MB, over the 1 MB limit; largest: big.bin (3.0 MB), "
        "mid.bin (2.0 MB), .dockerignore (0.0 MB), small.txt (0.0 MB). Add them to .dockerignore, use "
        "--context on a smaller directory, or raise %config DockerMagics.build_context_limit."
    )
    with pytest.raises(UsageError) as classic:  # the classic builder's guard, word for word
        ip.run_cell_magic("dockerfile", f"--builder classic -t {unique}:big --context {tmp_path}", body)
    assert str(classic.value) == message
    assert not [p for p in read if p.endswith(".bin")]  # no contents of the large files left the kernel
    assert took < 30, took  # the engine stopped the build (its slow stage) with the sync
    assert not [t for t in threading.enumerate() if t.name == "dockermagic-session"]  # the session closed
    assert not client.images.list(name=f"{unique}")
    # what the engine's exclude patterns leave out is not counted: the same context is under the limit
    (tmp_path / ".dockerignore").write_text("*.bin\n")
    small = f"FROM {BASE_IMAGE}\nCOPY . /ctx/\n"
    image = build(ip, f"-t {unique}:small --context {tmp_path}", small)
    assert 0 < image.context_bytes < 1000
    # the whole context counts, not what changed: an unchanged rebuild (which sends no file) is
    # refused all the same by a limit a byte under its two files (6 bytes each)
    ip.run_line_magic("config", "DockerMagics.build_context_limit = 11")
    refusal = r"holds 0\.0 MB, over the 0 MB limit; largest: small\.txt \(0\.0 MB\), \.dockerignore"
    with pytest.raises(UsageError, match=refusal):
        build(ip, f"-t {unique}:small --context {tmp_path}", small)


def test_a_silent_step_is_shown_waiting_with_its_limit(ip, unique, capfd, monkeypatch):
    monkeypatch.setattr(engine_build, "QUIET_NOTICE", 1.0)
    build(ip, f"-t {unique}:quiet --no-cache", f"FROM {BASE_IMAGE}\nRUN sleep 3\n")
    out = capfd.readouterr().out
    number = re.search(r"^#(\d+) \[2/2\] RUN sleep 3$", out, re.M).group(1)
    notice = re.search(
        rf"^#{number} \.\.\. no output from the engine for \d+ s; the build gives up after 600 s of silence",
        out,
        re.M,
    ).start()
    # shown under the running step while it runs: after it started, before it was done
    assert out.index("RUN sleep 3") < notice < out.index(f"#{number} DONE")
