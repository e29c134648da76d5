"""The client's rewrite of heredocs and COPY --link for an older Dockerfile frontend, on text."""

from __future__ import annotations

import pytest

from dockermagic.engine.buildkit.filesync import Local
from dockermagic.engine.buildkit.lowering import RESERVED, heredoc_word, lower
from dockermagic.errors import CommandError


def only_file(lowered):
    (path,) = lowered.files
    return path, lowered.files[path].decode()


def test_a_lone_heredoc_is_the_script_mounted_for_its_step_and_read_by_the_stage_shell():
    lowered = lower("FROM base\nRUN <<EOF\nset -e\nX=1\necho $X\nEOF\nRUN true\n")
    path, script = only_file(lowered)
    assert script == "set -e\nX=1\necho $X\n"
    digest = path.split("/")[1]
    assert path == f"{RESERVED}/{digest}/{digest}" and lowered.modes[path] == 0o644
    mount = f"--mount=type=bind,source={path},target=/dev/pipes/{digest}"
    # every instruction stays on its line: the body's lines are blank
    assert lowered.text.splitlines() == [
        "FROM base",
        f"RUN {mount} . /dev/pipes/{digest}",
        "",
        "",
        "",
        "",
        "RUN true",
    ]
    assert lowered.rename(f"[2/3] RUN {mount} . /dev/pipes/{digest}") == "[2/3] RUN <<EOF (set -e)"
    assert lowered.lines == set()


def test_a_command_and_several_heredocs_are_one_script_as_newer_frontends_make_it():
    lowered = lower("FROM base\nRUN --network=none cat <<A <<'B' > /x\na $1\nA\nb $2\nB\n")
    path, script = only_file(lowered)
    assert script == "cat <<A <<'B' > /x\na $1\nA\nb $2\nB\n"  # the shell reads the quoting
    assert lowered.text.splitlines()[1].startswith("RUN --network=none --mount=type=bind,")


def test_dash_strips_tabs_for_a_lone_heredoc_and_leaves_them_to_the_shell_otherwise():
    lone = lower("FROM base\nRUN <<-EOF\n\techo a\n\t\techo b\n\tEOF\n")
    assert only_file(lone)[1] == "echo a\necho b\n"
    inner = lower("FROM base\nRUN sh <<-EOF\n\techo a\n\tEOF\n")
    assert only_file(inner)[1] == "sh <<-EOF\n\techo a\nEOF\n"


def test_a_shebang_body_is_an_executable_file_run_by_itself():
    lowered = lower("FROM base\nRUN <<EOF\n#!/usr/bin/perl\nprint 1;\nEOF\n")
    path, script = only_file(lowered)
    assert path.endswith("/EOF") and lowered.modes[path] == 0o755 and script.startswith("#!/usr/bin/perl\n")
    assert lowered.text.splitlines()[1].endswith(',target=/dev/pipes/EOF ["/dev/pipes/EOF"]')


def test_copy_heredoc_is_a_served_file_named_after_its_delimiter():
    lowered = lower(
        "FROM base\nCOPY --chmod=750 --chown=1:2 <<EOF <<'LIT' /etc/\nx\nEOF\n$y\nLIT\nCOPY --link a /b\n"
    )
    lines = lowered.text.splitlines()
    first, second = sorted(lowered.files)
    assert lines[1].startswith("COPY --chmod=750 --chown=1:2 ") and lines[1].endswith(" /etc/")
    assert {p.rsplit("/", 1)[1]: lowered.files[p] for p in (first, second)} == {"EOF": b"x\n", "LIT": b"$y\n"}
    assert lowered.modes[first] == lowered.modes[second] == 0o644
    assert lowered.lines == {2}  # it reads only served files: no directory needs offering
    assert lines[6] == "COPY a /b"


@pytest.mark.parametrize(
    "text, message",
    [
        (f"FROM base\nCOPY {RESERVED}/x /x\n", rf"^line 2: {RESERVED} is the path"),
        ("FROM base\nRUN <<EOF\necho\n", r"^line 2: the heredoc EOF has no line EOF ending it"),
        ("FROM base\nCOPY <<EOF /x\n$HOME\nEOF\n", r"^line 2: the heredoc EOF would have its \$variables"),
        ("FROM base\nCOPY --from=b <<EOF /x\nx\nEOF\n", r"^line 2: COPY --from with a heredoc"),
    ],
)
def test_forms_that_cannot_be_rewritten_exactly_are_refused_in_one_line(text, message):
    with pytest.raises(CommandError, match=message):
        lower(text)


def test_heredoc_words():
    assert heredoc_word("<<EOF").name == "EOF" and heredoc_word("<<EOF").expand
    assert not heredoc_word("<<'EOF'").expand and not heredoc_word('<<"E"OF').expand
    assert heredoc_word("<<-EOF").chomp and heredoc_word("3<<EOF").name == "EOF"
    assert heredoc_word("<<<EOF") is None and heredoc_word("a<<b") is None and heredoc_word("<<") is None


def test_text_without_heredocs_or_link_is_unchanged():
    text = "FROM base\nRUN echo '<<EOF' && cat <<<word\nCOPY --chmod=600 a /a\n"
    lowered = lower(text)
    assert lowered.text == text and not lowered.files


def test_served_files_are_sent_with_the_directory_in_fsutil_order_whatever_the_patterns(tmp_path):
    for name in ("a.txt", "z.txt"):
        (tmp_path / name).write_text(name)
    local = Local(str(tmp_path), served={f"{RESERVED}/h/s": b"script"}, modes={f"{RESERVED}/h/s": 0o755})
    entries = local.entries([], ["*"])  # a .dockerignore that leaves everything out
    assert [e.stat.path for e in entries] == [RESERVED, f"{RESERVED}/h", f"{RESERVED}/h/s"]
    entries = local.entries([], [])
    assert [e.stat.path for e in entries] == [RESERVED, f"{RESERVED}/h", f"{RESERVED}/h/s", "a.txt", "z.txt"]
    assert entries[2].stat.mode == 0o755 and b"".join(entries[2].read()) == b"script"


def test_a_request_for_dockerignore_alone_gets_no_served_files(tmp_path):
    (tmp_path / ".dockerignore").write_text("*.log\n")
    local = Local(str(tmp_path), served={f"{RESERVED}/h/s": b"script"})
    assert [e.stat.path for e in local.entries([".dockerignore"], [])] == [".dockerignore"]
    held = Local(files={}, served={f"{RESERVED}/h/s": b"script"})
    assert held.entries([".dockerignore"], []) == []
    assert [e.stat.path for e in held.entries([], [])] == [RESERVED, f"{RESERVED}/h", f"{RESERVED}/h/s"]


def test_continued_lines_with_either_escape_keep_their_heredoc_and_their_line_count():
    for escape in ("\\", "`"):
        head = f"# escape={escape}\n" if escape == "`" else ""
        lowered = lower(
            f"{head}FROM base\nRUN --network=none {escape}\n  cat <<EOF > /x\nbody\nEOF\nRUN true\n"
        )
        path, script = only_file(lowered)
        assert script == "cat <<EOF > /x\nbody\nEOF\n"
        lines = lowered.text.splitlines()
        assert len(lines) == len(head.splitlines()) + 6 and lines[-1] == "RUN true"


def test_a_heredoc_in_onbuild_is_refused_in_one_line():
    with pytest.raises(CommandError, match=r"^line 2: a heredoc in ONBUILD"):
        lower("FROM base\nONBUILD RUN <<EOF\necho\nEOF\n")
