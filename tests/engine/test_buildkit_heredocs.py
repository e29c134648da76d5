"""Heredocs and COPY --link on this engine's BuildKit (dockerd 20.10, whose built-in Dockerfile
frontend predates them): the client rewrites them (engine/buildkit/lowering.py) and serves the
scripts and files in the build context. Each test builds with that rewrite; the scripts and files
must not be in the image. The BuildKit cache the module makes is pruned at its end.
"""

from __future__ import annotations

import re

import pytest
from IPython.core.error import UsageError

from dockermagic.engine.buildkit.lowering import RESERVED
from tests.conftest import BASE_IMAGE
from tests.engine.test_buildkit import build, run


def history(ip, image):
    return str(ip.run_line_magic("docker", f"history --no-trunc {image}"))


def no_trace(ip, image):
    """Neither the served files nor their mount point are in the image's filesystem."""
    found = run(
        ip,
        image,
        f"sh -c 'find / -xdev \\( -name {RESERVED} -o -path /dev/pipes \\) -print; ls -a /dev/pipes 2>&1; true'",
    )
    assert RESERVED not in found and "/dev/pipes\n" not in found


def test_run_heredoc_with_several_lines_and_a_shell_variable(ip, unique, capfd):
    image = build(
        ip,
        f"-t {unique}:lines",
        f'FROM {BASE_IMAGE}\nRUN <<EOF\nset -e\nGREETING=hello\necho "$GREETING world" > /greeting\n'
        "echo second line >> /greeting\nEOF\nRUN cat /greeting\n",
    )
    assert run(ip, f"{unique}:lines", "cat /greeting") == "hello world\nsecond line\n"
    out = capfd.readouterr().out
    # the step is shown as the user wrote it, on its line, not as it was rewritten
    assert "[2/3] RUN <<EOF (set -e)" in out and "/dev/pipes" not in out
    names = [v.name for v in image.build_steps.vertexes]
    assert "[2/3] RUN <<EOF (set -e)" in names
    no_trace(ip, f"{unique}:lines")


def test_perl_reads_a_quoted_heredoc_and_sh_reads_one_on_stdin(ip, unique):
    build(
        ip,
        f"-t {unique}:stdin",
        f"FROM {BASE_IMAGE}\nRUN perl - > /perl <<'EOF'\nmy $x = 6 * 7;\nprint \"answer $x\\n\";\nEOF\n"
        "RUN sh > /sh <<EOF\necho from sh\nEOF\n",
    )
    assert run(ip, f"{unique}:stdin", "cat /perl /sh") == "answer 42\nfrom sh\n"


def test_dash_heredoc_strips_leading_tabs(ip, unique):
    build(
        ip,
        f"-t {unique}:tabs",
        f"FROM {BASE_IMAGE}\nRUN <<-EOF\n\techo tabs gone > /tabs\n\t\tcat > /kept <<-INNER\n"
        "\t\t\tindented\n\t\tINNER\n\tEOF\n",
    )
    assert run(ip, f"{unique}:tabs", "cat -A /tabs /kept") == "tabs gone$\nindented$\n"


def test_quoted_delimiter_keeps_the_body_unexpanded(ip, unique):
    build(
        ip,
        f"-t {unique}:quoted",
        f"FROM {BASE_IMAGE}\nRUN HOME=/root; cat > /quoted <<'EOF'\nliteral $HOME\nEOF\n"
        "RUN HOME=/root; cat > /expanded <<EOF\nexpanded $HOME\nEOF\n",
    )
    assert run(ip, f"{unique}:quoted", "cat /quoted /expanded") == "literal $HOME\nexpanded /root\n"


def test_shebang_script_runs_with_its_interpreter(ip, unique):
    build(
        ip,
        f"-t {unique}:shebang",
        f"FROM {BASE_IMAGE}\nRUN <<EOF\n#!/usr/bin/perl\nopen my $f, '>', '/perl.out';\n"
        'print $f "perl $^V as $0\\n";\nEOF\n',
    )
    out = run(ip, f"{unique}:shebang", "cat /perl.out")
    assert re.fullmatch(r"perl v5\.\d+\.\d+ as /dev/pipes/EOF\n", out), out
    no_trace(ip, f"{unique}:shebang")


def test_copy_heredoc_with_chmod_and_chown_sends_no_folder(ip, unique):
    body = "line one\nline two\n", "keep $THIS\n"
    image = build(
        ip,
        f"-t {unique}:copy",
        f"FROM {BASE_IMAGE}\nCOPY --chmod=750 <<EOF /etc/x\n{body[0]}EOF\n"
        f"COPY --chown=1:2 <<'NOTE' /etc/notes/\n{body[1]}NOTE\n",
    )
    out = run(
        ip,
        f"{unique}:copy",
        "sh -c 'stat -c \"%a %u:%g\" /etc/x /etc/notes/NOTE; cat /etc/x /etc/notes/NOTE'",
    )
    assert out == "750 0:0\n644 1:2\nline one\nline two\nkeep $THIS\n"
    no_trace(ip, f"{unique}:copy")
    # only the two served files went over the session: the working directory was not offered
    assert image.context_bytes == len(body[0]) + len(body[1])
    # the history has the rewritten line (the frontend writes it), the bodies are not in it
    steps = history(ip, f"{unique}:copy")
    assert f"COPY {RESERVED}/" in steps and "line one" not in steps


def test_two_heredocs_in_one_run(ip, unique):
    build(
        ip,
        f"-t {unique}:two",
        f"FROM {BASE_IMAGE}\nRUN cat /dev/fd/3 /dev/fd/4 > /both 3<<ONE 4<<TWO\nfirst\nONE\nsecond\nTWO\n"
        "RUN cat <<A > /a && cat <<B > /b\nalpha\nA\nbeta\nB\n",
    )
    assert run(ip, f"{unique}:two", "cat /both /a /b") == "first\nsecond\nalpha\nbeta\n"


def test_copy_link_gives_the_same_files(ip, unique, tmp_path):
    (tmp_path / "app.txt").write_text("app\n")
    build(
        ip,
        f"-t {unique}:link --context {tmp_path}",
        f"FROM {BASE_IMAGE}\nCOPY --link --chmod=640 app.txt /srv/app.txt\nCOPY --link=true app.txt /srv/again/\n",
    )
    assert run(
        ip, f"{unique}:link", "sh -c 'stat -c %a /srv/app.txt; cat /srv/app.txt /srv/again/app.txt'"
    ) == ("640\napp\napp\n")


def test_scripts_are_not_in_the_image_nor_its_history(ip, unique, tmp_path):
    (tmp_path / "keep.txt").write_text("kept\n")
    (tmp_path / ".dockerignore").write_text("*\n!keep.txt\n")  # the served files pass all the same
    secret_word = f"script-body-{unique}"
    build(
        ip,
        f"-t {unique}:clean --context {tmp_path}",
        f"FROM {BASE_IMAGE}\nCOPY keep.txt /keep.txt\nRUN <<EOF\n: {secret_word}\necho ran > /ran\nEOF\n",
    )
    assert run(ip, f"{unique}:clean", "cat /keep.txt /ran") == "kept\nran\n"
    no_trace(ip, f"{unique}:clean")
    assert secret_word not in history(ip, f"{unique}:clean")
    assert not (tmp_path / RESERVED).exists()  # nothing was written into the user's folder


def test_failure_names_the_users_line_and_the_reserved_path_is_refused(ip, unique, tmp_path):
    with pytest.raises(UsageError, match=r"^\[2/2\] RUN <<EOF \(echo about to fail\) failed: .*exit code: 3"):
        build(ip, f"-t {unique}:fail", f"FROM {BASE_IMAGE}\nRUN <<EOF\necho about to fail\nexit 3\nEOF\n")
    with pytest.raises(UsageError, match=rf"^line 2: {RESERVED} is the path where heredocs are served"):
        build(ip, "", f"FROM {BASE_IMAGE}\nCOPY {RESERVED}/x /x\n")
    (tmp_path / RESERVED).mkdir()
    (tmp_path / "a.txt").write_text("a\n")
    with pytest.raises(UsageError, match=rf"^The build context holds {RESERVED}"):
        build(ip, f"--context {tmp_path}", f"FROM {BASE_IMAGE}\nCOPY a.txt <<EOF /x/\nx\nEOF\n")
    with pytest.raises(UsageError, match=r"^line 2: the heredoc EOF would have its \$variables expanded"):
        build(ip, "", f"FROM {BASE_IMAGE}\nCOPY <<EOF /x\n$HOME\nEOF\n")
