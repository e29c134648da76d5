"""Grammar of %docker exec, the %dexec line and the %%dexec line (no engine)."""

import pytest

from dockermagic.commands.exec import ExecSpec, parse_dexec_cell, parse_dexec_line
from dockermagic.commands.registry import parse_line
from dockermagic.errors import CommandError


def test_docker_exec_flags_and_command_rest():
    spec = parse_line("exec -it -u 1000:1000 -w /srv -e A=1 --env B=2 --privileged web bash -lc 'echo -u'")
    assert isinstance(spec, ExecSpec)
    assert (spec.container, spec.interactive, spec.tty, spec.detach) == ("web", True, True, False)
    assert (spec.user, spec.workdir, spec.env, spec.privileged) == ("1000:1000", "/srv", ("A=1", "B=2"), True)
    # flags after the container belong to the command, as in the CLI
    assert spec.command == ("bash", "-lc", "echo -u")


def test_docker_exec_detach_and_env_file(tmp_path):
    f = tmp_path / "env"
    f.write_text("# comment\nX=1\nY=two words\n")
    spec = parse_line(f"exec -d --env-file {f} -e Z=3 web sleep 5")
    assert spec.detach and spec.env == ("X=1", "Y=two words", "Z=3")


def test_docker_exec_needs_a_command():
    with pytest.raises(CommandError, match="requires a command"):
        parse_line("exec web")


def test_dexec_line_options_and_no_raise():
    spec = parse_dexec_line("--user nobody --workdir=/tmp -e K=V -e Q='a b' --no-raise web ls -l /")
    assert spec.command == ("ls", "-l", "/") and spec.user == "nobody" and spec.workdir == "/tmp"
    assert spec.env == ("K=V", "Q=a b") and spec.raise_on_error is False and spec.script is None
    assert parse_dexec_line("web true").raise_on_error is True


def test_dexec_line_without_command_says_what_to_do():
    with pytest.raises(CommandError, match="%%dexec"):
        parse_dexec_line("web")


def test_dexec_help_is_text():
    assert "%dexec" in parse_dexec_line("--help")
    assert "--shell" in parse_dexec_cell("--help", "")


@pytest.mark.parametrize(
    "line, body, interpreter",
    [
        ("web", "echo hi\n", ("sh",)),
        ("web --shell bash", "echo hi\n", ("bash",)),
        ("web --shell python3", "print(1)\n", ("python3",)),
        ("web --shell 'mysql -uroot -psecret'", "select 1;\n", ("mysql", "-uroot", "-psecret")),
        ("web", "\n#!/usr/bin/env python3 -u\nprint(1)\n", ("/usr/bin/env", "python3", "-u")),
        ("web --shell sh", "#!/bin/bash\necho\n", ("sh",)),  # --shell wins over #!
    ],
)
def test_dexec_cell_interpreter(line, body, interpreter):
    spec = parse_dexec_cell(line, body)
    assert spec.command == interpreter and spec.container == "web"


def test_dexec_cell_body_is_kept_byte_for_byte():
    body = "echo \"it's $HOME\" \\\n  'a\\nb' `id`\n\n"
    spec = parse_dexec_cell("-u root -w / -e A=1 --no-raise --expand web", body)
    assert spec.script == body
    assert (spec.user, spec.workdir, spec.env, spec.raise_on_error) == ("root", "/", ("A=1",), False)


def test_dexec_cell_rejects_extra_words_and_empty_shell():
    with pytest.raises(CommandError):
        parse_dexec_cell("web extra", "echo\n")
    with pytest.raises(CommandError, match="--shell"):
        parse_dexec_cell("web --shell ''", "echo\n")
