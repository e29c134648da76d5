"""%%dockerfile and %docker build against the real engine."""

import os
import re
import signal
import threading
import time

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, docker_cli

# in the subset scripts/podman.sh runs against Podman; on the classic builder, whose behaviour
# these tests are about (Step N/M, intermediate containers, its cache lines, the context size
# guard): BuildKit, the default, has its own in test_buildkit.py
pytestmark = [pytest.mark.podman, pytest.mark.usefixtures("classic_builder")]

_TIMES = re.compile(r"\b(Less than a second|About a minute|About an hour|\d+ (second|minute|hour)s?) ago")


def build(ip, line, body):
    return ip.run_cell_magic("dockerfile", line, body)


@pytest.fixture
def no_leftovers(client, unique):
    """No build may leave an intermediate container behind.

    Colleagues' builds run on the same engine, and the classic builder's intermediate containers
    carry no label: so the RUN steps of these tests end in a shell comment naming the test
    (``# {unique}``), and only containers running such a step count. A failed build's finished
    steps stay as untagged images, as with the CLI (the cache for the corrected build); the test
    removes them.
    """
    dangling = {i["Id"] for i in client.api.images(filters={"dangling": True})}
    yield
    for image in client.api.images(filters={"dangling": True}):
        if image["Id"] not in dangling:
            try:
                client.api.remove_image(image["Id"], force=True)
            except Exception:
                pass  # still in use by a --rm container being removed; the label cleanup follows
    left = [c for c in client.api.containers(all=True) if f"# {unique}" in c.get("Command", "")]
    assert left == []


def test_notes_dockerfile_builds_and_history_matches_cli(ip, unique, no_leftovers, capfd):
    image = build(
        ip,
        f"-t {unique}-nano --no-cache",
        f"FROM {BASE_IMAGE}\nMAINTAINER someone <someone@example.com>\n"
        f"RUN apt-get update # {unique}\nRUN apt-get install -y nano # {unique}\nENV TERM=xterm\n",
    )
    out = capfd.readouterr().out
    assert "Step 4/" in out and "Setting up nano" in out
    # the CLI runs a moment later: its relative times may have moved on ("1 second ago")
    ours = [_TIMES.sub("<time>", line).split() for line in image.history().text().splitlines()]
    theirs = [
        _TIMES.sub("<time>", line).split()
        for line in docker_cli("history", f"{unique}-nano").stdout.decode().splitlines()
    ]
    assert ours == theirs
    run = ip.run_line_magic("docker", f"run --rm {unique}-nano sh -c 'command -v nano; echo $TERM'")
    assert run.stdout == "/usr/bin/nano\nxterm\n"


def test_cached_rebuild_build_args_target_and_labels(ip, unique, no_leftovers, capfd):
    body = (
        f"FROM {BASE_IMAGE} AS base\nARG GREETING=hello\nRUN echo $GREETING > /greeting # {unique}\n"
        f"FROM base AS final\nRUN echo final > /final # {unique}\n"
    )
    first = build(ip, f"-t {unique}:1 --build-arg GREETING=hi --label team=data", body)
    assert first.labels["team"] == "data"
    again = build(ip, f"-t {unique}:1 --build-arg GREETING=hi --label team=data", body)
    assert again.id == first.id
    assert all(s.cached for s in again.build_steps.steps if s.instruction.startswith("RUN"))
    greeting = ip.run_line_magic("docker", f"run --rm {unique}:1 cat /greeting")
    assert greeting.stdout == "hi\n"
    base = build(ip, f"-t {unique}:base --target base --build-arg GREETING=hi", body)
    probe = ip.run_line_magic("docker", f"run --rm {unique}:base sh -c 'test -e /final; echo $?'")
    assert probe.stdout == "1\n" and base.id != first.id


def test_context_honours_dockerignore_and_size_guard(ip, unique, tmp_path, no_leftovers):
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / "big.bin").write_bytes(os.urandom(3_000_000))
    (ctx / "keep.txt").write_text("kept\n")
    (ctx / "logs").mkdir()
    (ctx / "logs" / "a.log").write_text("x" * 1000)
    (ctx / ".dockerignore").write_text("big.bin\nlogs\n")
    body = f'FROM {BASE_IMAGE}\nCOPY . /ctx/\nCMD ["ls", "/ctx"]\n'
    image = build(ip, f"-t {unique}:ctx --context {ctx}", body)
    assert image.context_bytes < 100_000  # big.bin (3 MB) was not sent
    listing = ip.run_line_magic("docker", f"run --rm {unique}:ctx").stdout.split()
    assert "keep.txt" in listing and "big.bin" not in listing and "logs" not in listing
    ip.run_line_magic("config", "DockerMagics.build_context_limit = 1000000")
    try:
        (ctx / ".dockerignore").write_text("")
        with pytest.raises(UsageError, match=r"over the 1 MB limit; largest: big\.bin"):
            build(ip, f"-t {unique}:big --context {ctx}", body)
    finally:
        ip.run_line_magic("config", "DockerMagics.build_context_limit = 100000000")


def test_no_context_is_sent_without_add_or_copy(ip, unique, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "huge.bin").write_bytes(b"\0" * 2_000_000)
    image = build(ip, f"-t {unique}:nocontext", f"FROM {BASE_IMAGE}\nRUN true\n")
    assert image.context_bytes <= 20_480  # the Dockerfile alone, in tar's 10 kB blocks


def test_failures_name_the_step_and_the_line(ip, unique, no_leftovers):
    with pytest.raises(UsageError) as info:
        build(
            ip,
            f"-t {unique}:fail",
            f"FROM {BASE_IMAGE}\nRUN echo before # {unique}\nRUN echo broken >&2; exit 7 # {unique}\n",
        )
    assert "Step 3/" in str(info.value) and "exit 7" in str(info.value) and "broken" in str(info.value)
    with pytest.raises(UsageError, match="line 3: unknown instruction: RUNN"):
        build(ip, "", f"FROM {BASE_IMAGE}\n# comment\nRUNN true\n")
    with pytest.raises(UsageError, match="heredocs"):
        build(ip, "", f"FROM {BASE_IMAGE}\nRUN <<EOF\necho hi\nEOF\n")
    with pytest.raises(UsageError, match="syntax="):
        build(ip, "", f"# syntax=docker/dockerfile:1\nFROM {BASE_IMAGE}\n")


def test_interrupt_stops_the_build_and_leaves_nothing(ip, unique, client, no_leftovers):
    main = threading.main_thread().ident
    threading.Thread(target=lambda: (time.sleep(3), signal.pthread_kill(main, signal.SIGINT))).start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        build(ip, f"-t {unique}:slow", f"FROM {BASE_IMAGE}\nRUN sleep 60 # {unique}\n")
    assert time.monotonic() - start < 20
    time.sleep(1)
    running = [c for c in client.api.containers() if f"sleep 60 # {unique}" in c.get("Command", "")]
    assert running == []


def test_docker_build_path_and_file(ip, unique, tmp_path, no_leftovers):
    (tmp_path / "custom.Dockerfile").write_text(f"FROM {BASE_IMAGE}\nCOPY hello.txt /hello.txt\n")
    (tmp_path / "hello.txt").write_text("hello\n")
    image = ip.run_line_magic(
        "docker", f"build {tmp_path} -f custom.Dockerfile -t {unique}:path -t {unique}:alias"
    )
    assert set(image.tags) == {f"{unique}:path", f"{unique}:alias"}
    assert ip.run_line_magic("docker", f"run --rm {unique}:path cat /hello.txt").stdout == "hello\n"


def test_expansion_in_the_line_only(ip, unique):
    ip.user_ns["tag"] = f"{unique}:expanded"
    image = build(ip, "-t {tag}", f"FROM {BASE_IMAGE}\nARG X=1\nRUN echo ${{X}} > /x\n")
    assert f"{unique}:expanded" in image.tags
    assert ip.run_line_magic("docker", f"run --rm {unique}:expanded cat /x").stdout == "1\n"


def test_built_images_carry_the_configured_labels_not_the_sessions(ip, unique, test_label):
    """Each build label is one more LABEL step in the image's history, so a per-kernel value stays out
    of it: clean-up finds what a kernel built by the ids it keeps, not by a label."""
    image = build(ip, f"-t {unique}:labels --label team=data", f"FROM {BASE_IMAGE}\nRUN true # {unique}\n")
    key, value = test_label.split("=")
    assert image.labels["team"] == "data" and image.labels[key] == value  # --label, and %config labels
    assert not {"dockermagic.session", "dockermagic.notebook-id", "dockermagic.temporary"} & set(image.labels)
    assert "dockermagic.session" not in image.history(no_trunc=True).text()


def test_build_view_is_a_timeline_with_the_bloating_habits_by_line(ip, unique):
    cell = "FROM debian:bookworm\nRUN echo a > /a\nRUN echo b > /b\nRUN sleep 1.5\nENV X=1\n"
    image = ip.run_cell_magic("dockerfile", f"-q -t {unique}", cell)
    view = image.build_steps
    assert [line for line, _ in view.warnings] == [2]
    assert view.text().splitlines()[-1].startswith("warning: line 2: 3 RUN instructions in a row (lines 2-4)")
    slow = [s for s in view.steps if s.instruction == "RUN sleep 1.5"][0]
    assert not slow.cached and slow.seconds >= 1.4 and "width:100%" in view.html()
    again = ip.run_cell_magic("dockerfile", f"-q -t {unique}", cell)
    steps = again.build_steps.steps
    assert all(s.cached for s in steps if s.instruction.startswith(("RUN", "ENV")))
    assert f"{len(steps)} steps, {sum(s.cached for s in steps)} from the cache" in again.build_steps.text()
