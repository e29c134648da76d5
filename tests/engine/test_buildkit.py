"""%%dockerfile on BuildKit, through the engine's session and /build?version=2, with no CLI.

Every build here runs on this engine's BuildKit (dockerd 20.10 has it built in). The BuildKit
cache these tests make (context copies, cache mounts, step results) is pruned at the end of the
module, record by record (``build_cache_of_the_module`` in conftest.py).
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, docker_cli


def build(ip, line, body):
    return ip.run_cell_magic("dockerfile", f"--builder buildkit {line}", body)


def run(ip, image, command):
    return ip.run_line_magic("docker", f"run --rm {image} {command}").stdout


def test_multi_stage_runs_independent_stages_in_parallel(ip, unique, capfd):
    image = build(
        ip,
        f"-t {unique}:par --no-cache",
        f"FROM {BASE_IMAGE} AS left\nRUN sleep 3 && echo left > /l\n"
        f"FROM {BASE_IMAGE} AS right\nRUN sleep 3 && echo right > /r\n"
        f"FROM {BASE_IMAGE}\nCOPY --from=left /l /l\nCOPY --from=right /r /r\n",
    )
    out = capfd.readouterr().out
    assert "[left 2/2] RUN sleep 3" in out and "[right 2/2] RUN sleep 3" in out and "DONE" in out
    steps = {v.name: v for v in image.build_steps.vertexes}
    left, right = (
        steps["[left 2/2] RUN sleep 3 && echo left > /l"],
        steps["[right 2/2] RUN sleep 3 && echo right > /r"],
    )
    assert left.state == right.state == "done" and left.seconds >= 3 and right.seconds >= 3
    # both ran at once: each started before the other finished
    assert left.started < right.completed and right.started < left.completed
    assert run(ip, f"{unique}:par", "cat /l /r") == "left\nright\n"
    # the timeline shows it: two bars whose left edges sit at (nearly) the same place
    html = image.build_steps.html()
    assert html.count("class='dm-bar dm-done'") >= 2 and "dockermagic-buildkit" in html


def test_cache_mount_is_reused_by_a_second_build_with_a_changed_requirement(ip, unique, capfd):
    """The first build fills the cache mount slowly (3 s); the second, whose RUN line changed (a new
    requirement), finds the files there and skips the slow part."""
    target = f"/var/cache/{unique}"
    step = (
        f"RUN --mount=type=cache,target={target} "
        f"if [ -f {target}/wheel ]; then echo reused $(cat {target}/wheel); "
        f"else sleep 3; date +%s%N > {target}/wheel; echo filled; fi; echo requirement={{}}\n"
    )
    first = time.monotonic()
    build(ip, f"-t {unique}:cache1", f"FROM {BASE_IMAGE}\n" + step.format("one"))
    first = time.monotonic() - first
    assert re.search(r"^#\d+ filled$", capfd.readouterr().out, re.M)
    second = time.monotonic()
    build(ip, f"-t {unique}:cache2", f"FROM {BASE_IMAGE}\n" + step.format("two"))
    second = time.monotonic() - second
    out = capfd.readouterr().out
    assert re.search(r"^#\d+ reused \d+$", out, re.M) and re.search(r"^#\d+ requirement=two$", out, re.M)
    assert not re.search(r"^#\d+ filled$", out, re.M)
    assert first >= 3 > second, (first, second)


def test_copy_chmod_and_bind_mount_from_the_context(ip, unique, tmp_path):
    (tmp_path / "tool.sh").write_text("#!/bin/sh\necho tool ran\n")
    (tmp_path / "data.txt").write_text("bound\n")
    build(
        ip,
        f"-t {unique}:chmod --context {tmp_path}",
        f"FROM {BASE_IMAGE}\nCOPY --chmod=750 tool.sh /usr/local/bin/tool\n"
        "RUN --mount=type=bind,source=data.txt,target=/mnt/data.txt cat /mnt/data.txt > /copied\n",
    )
    assert run(
        ip, f"{unique}:chmod", "sh -c 'stat -c %a /usr/local/bin/tool; tool; cat /copied; ls /mnt'"
    ) == ("750\ntool ran\nbound\n")


def test_target_build_arg_label_platform_and_no_cache(ip, unique, test_label, capfd):
    body = (
        f"FROM {BASE_IMAGE} AS base\nARG GREETING=hello\nRUN echo $GREETING > /greeting\n"
        f"FROM base AS wanted\nRUN echo wanted > /stage\nFROM base AS never\nRUN exit 1\n"
    )
    line = (
        f"-t {unique}:opts --target wanted --build-arg GREETING=hi --label team=data --platform linux/amd64"
    )
    image = build(ip, line, body)
    assert run(ip, f"{unique}:opts", "cat /greeting /stage") == "hi\nwanted\n"
    key, value = test_label.split("=")
    labels = image.labels
    assert labels["team"] == "data" and labels[key] == value and "dockermagic.session" in labels
    assert image.attrs["Architecture"] == "amd64"
    # labels are set on the image with no LABEL step (the classic builder adds one each)
    assert "LABEL" not in str(ip.run_line_magic("docker", f"history --no-trunc {unique}:opts"))
    capfd.readouterr()
    again = build(ip, line, body)
    assert re.search(r"^#\d+ CACHED$", capfd.readouterr().out, re.M)
    steps = [v for v in again.build_steps.vertexes if not v.internal and "FROM" not in v.name]
    assert steps and all(v.cached for v in steps)
    fresh = build(ip, line + " --no-cache", body)
    steps = [v for v in fresh.build_steps.vertexes if not v.internal and "FROM" not in v.name]
    assert steps and not any(v.cached for v in steps)


def test_secret_from_a_variable_and_a_file_never_in_the_image_or_the_output(
    ip, unique, tmp_path, capfd, client
):
    secret, other = "s3cr3t-from-env-" + unique, "s3cr3t-from-file-" + unique
    os.environ["DM_TEST_TOKEN"] = secret
    (tmp_path / "key").write_text(other)
    try:
        image = build(
            ip,
            f"-t {unique}:secret --secret id=token,env=DM_TEST_TOKEN --secret id=key,src={tmp_path / 'key'}",
            f"FROM {BASE_IMAGE}\n"
            "RUN --mount=type=secret,id=token --mount=type=secret,id=key "
            "cat /run/secrets/token /run/secrets/key | sha256sum > /sum && wc -c < /run/secrets/token\n",
        )
    finally:
        del os.environ["DM_TEST_TOKEN"]
    out = capfd.readouterr().out
    assert str(len(secret)) in out  # the step read it
    import hashlib

    assert (
        run(ip, f"{unique}:secret", "cat /sum").split()[0]
        == hashlib.sha256((secret + other).encode()).hexdigest()
    )
    assert not _in_saved_image(client, f"{unique}:secret", [secret.encode(), other.encode()])
    assert secret not in out and other not in out and secret not in image.build_log
    assert secret not in str(ip.run_line_magic("docker", f"history --no-trunc {unique}:secret"))
    with pytest.raises(UsageError, match="DM_TEST_TOKEN is not set"):
        build(ip, "--secret id=token,env=DM_TEST_TOKEN", f"FROM {BASE_IMAGE}\n")


def _in_saved_image(client, image, needles: list[bytes]) -> bool:
    """Whether any needle is in the image as ``docker save`` writes it (every layer and the config)."""
    tail, longest = b"", max(len(n) for n in needles)
    for chunk in client.api.get_image(image, chunk_size=1 << 20):
        window = tail + chunk
        if any(n in window for n in needles):
            return True
        tail = window[-longest:]
    return False


def test_failure_names_the_step_then_its_output_tail(ip, unique, capfd):
    with pytest.raises(UsageError) as failed:
        build(
            ip,
            f"-t {unique}:fail",
            f"FROM {BASE_IMAGE}\nRUN echo first line && echo last words >&2 && exit 3\n",
        )
    message = str(failed.value)
    first, *rest = message.splitlines()
    assert first.startswith("[2/2] RUN echo first line") and "failed" in first and "exit code: 3" in first
    assert "last words" in rest
    assert re.search(r"^#\d+ ERROR: .*exit code: 3$", capfd.readouterr().out, re.M)


def test_interrupt_stops_the_build_and_closes_the_session(ip, unique):
    marker = f"{time.time() % 1000:.3f}"  # a sleep of 60.NNN s that only this build runs
    main = threading.main_thread().ident
    seen: list[bool] = []

    def interrupt_once_running() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _processes(f"sleep 6{marker}"):
            time.sleep(0.2)
        seen.append(bool(_processes(f"sleep 6{marker}")))  # the step really ran when interrupted
        signal.pthread_kill(main, signal.SIGINT)

    threading.Thread(target=interrupt_once_running).start()
    with pytest.raises(KeyboardInterrupt):
        build(ip, f"-t {unique}:slow", f"FROM {BASE_IMAGE}\nRUN sleep 6{marker}\n")
    assert seen == [True]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _processes(f"sleep 6{marker}"):
        time.sleep(0.5)
    assert _processes(f"sleep 6{marker}") == []
    assert not [
        t for t in threading.enumerate() if t.name.startswith(("dockermagic-session", "dockermagic-grpc"))
    ]


def _processes(command: str) -> list[int]:
    """Processes on this machine running ``command`` (a build's RUN step runs in the host's kernel)."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if f.read().replace(b"\0", b" ").strip() == command.encode():
                        found.append(int(pid))
            except OSError:
                pass
    return found


def test_second_build_sends_only_the_changed_file(ip, unique, tmp_path):
    for i in range(300):
        (tmp_path / f"f{i:03}.txt").write_text(f"file {i}\n")
    (tmp_path / "skip.log").write_text("left out\n")
    (tmp_path / ".dockerignore").write_text("*.log\n")
    body = f"FROM {BASE_IMAGE}\nCOPY . /ctx\nRUN cat /ctx/f007.txt\n"
    first = build(ip, f"-t {unique}:ctx --context {tmp_path}", body)
    sent = [s for s in first.build_steps.sent if s.name == "context"]
    # 300 files and .dockerignore, which the engine also reads alone first: skip.log stays here
    assert sum(s.files for s in sent) == 302
    assert run(ip, f"{unique}:ctx", "sh -c 'ls /ctx | wc -l; ls /ctx/skip.log 2>&1 || true'") == (
        "300\nls: cannot access '/ctx/skip.log': No such file or directory\n"
    )
    (tmp_path / "f007.txt").write_text("changed\n")
    second = build(ip, f"-t {unique}:ctx --context {tmp_path}", body)
    sent = [s for s in second.build_steps.sent if s.name == "context"]
    assert sum(s.files for s in sent) == 1 and sum(s.bytes for s in sent) == len("changed\n")
    # the whole context listed by the walk begun with the session, with .dockerignore's pattern
    assert [s.walked_ahead for s in sent] == [False, True]
    assert run(ip, f"{unique}:ctx", "cat /ctx/f007.txt /ctx/f299.txt") == "changed\nfile 299\n"


def test_syntax_directive_and_newer_copy_flags_are_refused_in_one_line(ip):
    with pytest.raises(UsageError, match=r"^line 1: '# syntax=' .* registry"):
        build(ip, "", f"# syntax=docker/dockerfile:1\nFROM {BASE_IMAGE}\nRUN <<EOF\necho hi\nEOF\n")
    # the Dockerfile frontend built into Docker Engine 20.10 predates it (heredocs and --link are
    # rewritten by the client: test_buildkit_heredocs.py)
    with pytest.raises(UsageError, match=r"^line 2 \(COPY\): COPY --parents"):
        build(ip, "", f"FROM {BASE_IMAGE}\nCOPY --parents a /a\n")
    with pytest.raises(UsageError, match=r"^--memory is the classic builder's"):
        build(ip, "--memory 64m", f"FROM {BASE_IMAGE}\n")


def test_the_default_builder_is_buildkit_here_and_classic_stays_available(ip, unique):
    """No --builder and no %config: BuildKit, where the engine serves it (dockerd 20.10 does)."""
    image = ip.run_cell_magic("dockerfile", f"-t {unique}:auto", f"FROM {BASE_IMAGE}\nRUN echo auto > /a\n")
    assert "(BuildKit)" in image.build_steps.text()
    classic = ip.run_cell_magic(
        "dockerfile",
        f"-t {unique}:classic --builder classic",
        f"FROM {BASE_IMAGE}\nRUN echo classic > /a\n",
    )
    assert "Step 2/3 : RUN echo classic" in classic.build_steps.text()
    # a classic-only option sends the default ('auto') to the classic builder, which honours it
    limited = ip.run_cell_magic(
        "dockerfile", f"-t {unique}:limited --memory 256m", f"FROM {BASE_IMAGE}\nRUN echo limited > /a\n"
    )
    assert "Step 2/3 : RUN echo limited" in limited.build_steps.text()
    ip.run_line_magic("config", "DockerMagics.builder = 'classic'")
    try:
        pinned = ip.run_cell_magic(
            "dockerfile", f"-t {unique}:pinned", f"FROM {BASE_IMAGE}\nRUN echo pin > /a\n"
        )
        assert "Step 2/3 : RUN echo pin" in pinned.build_steps.text()
    finally:
        ip.run_line_magic("config", "DockerMagics.builder = 'auto'")


def test_docker_build_of_a_directory_takes_buildkit_by_default(ip, unique, tmp_path):
    (tmp_path / "Dockerfile").write_text(f"FROM {BASE_IMAGE}\nCOPY hello.txt /hello.txt\n")
    (tmp_path / "hello.txt").write_text("hello\n")
    image = ip.run_line_magic("docker", f"build -t {unique}:dir {tmp_path}")
    assert (
        "(BuildKit)" in image.build_steps.text() and "COPY hello.txt /hello.txt" in image.build_steps.text()
    )
    assert run(ip, f"{unique}:dir", "cat /hello.txt") == "hello\n"


def test_graph_view_faces_escape_and_mask(ip, unique):
    image = build(
        ip,
        f"-t {unique}:faces",
        f"FROM {BASE_IMAGE}\nRUN echo '<b>bold</b>' && echo API_TOKEN=abc123\n",
    )
    view = image.build_steps
    text, html = view.text(), view.html()
    assert "[2/2] RUN echo '<b>bold</b>'" in text and "steps" in text
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "abc123" not in text + html
    widget = view.widget()
    assert widget.value == html


def test_docker_build_of_a_directory_with_a_named_dockerfile(ip, unique, tmp_path):
    (tmp_path / "build.Dockerfile").write_text(f"FROM {BASE_IMAGE}\nCOPY hello.txt /hello.txt\n")
    (tmp_path / "hello.txt").write_text("hello\n")
    image = ip.run_line_magic(
        "docker", f"build --builder buildkit {tmp_path} -f build.Dockerfile -t {unique}:dir -t {unique}:alias"
    )
    assert set(image.tags) == {f"{unique}:dir", f"{unique}:alias"}
    assert run(ip, f"{unique}:dir", "cat /hello.txt") == "hello\n"


def test_history_and_layers_of_a_buildkit_image_are_the_clis(ip, unique):
    """A BuildKit image has no parent images: history shows ``<missing>`` for all but the top row,
    with BuildKit's own CreatedBy and comment, as the CLI shows them."""
    ip.run_cell_magic("dockerfile", f"-q -t {unique}:hist", f"FROM {BASE_IMAGE}\nRUN echo a > /a\nENV X=1\n")
    fmt = "{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}"
    ours = str(ip.run_line_magic("docker", f"history --format '{fmt}' {unique}:hist")).splitlines()
    theirs = docker_cli("history", "--format", fmt, f"{unique}:hist").stdout.decode().splitlines()
    assert ours == theirs
    assert [row.split("|")[0] == "<missing>" for row in ours] == [False] + [True] * (len(ours) - 1)
    assert "RUN /bin/sh -c echo a > /a # buildkit|2B|buildkit.dockerfile.v0" in ours[1]
    layers = ip.run_line_magic("docker", f"layers {unique}:hist")
    assert len(layers) == 2 and [path for path, _ in layers[1]["added"]] == ["a"]


def test_a_pasted_progress_plain_builds_with_the_plain_lines(ip, unique, capfd):
    """``--progress=plain`` as the docs write it: the build runs and prints the CLI's plain lines."""
    image = build(ip, f"-t {unique}:plain --progress=plain", f"FROM {BASE_IMAGE}\nRUN echo plain-progress\n")
    out = capfd.readouterr().out
    assert image.tags == [f"{unique}:plain"]
    assert re.search(r"^#\d+ \[2/2\] RUN echo plain-progress$", out, re.M), out
