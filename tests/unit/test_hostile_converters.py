"""Converters and build-context details: no overflow, NUL or quoting error escapes; linear time."""

import os
import tarfile
import time

import pytest

from dockermagic.commands import parse_line
from dockermagic.commands.exec import parse_dexec_cell
from dockermagic.engine import dockerfile
from dockermagic.engine.context import IgnoreRules, build_context
from dockermagic.errors import CommandError
from dockermagic.parsing.keyvalue import read_env_file
from dockermagic.parsing.units import memory_bytes


@pytest.mark.parametrize(
    "line, flag",
    [
        ("run --cpus inf debian", "--cpus"),
        ("run --cpus nan debian", "--cpus"),
        ("run --cpus 1e400 debian", "--cpus"),
        ("run -m " + "9" * 400 + "g debian", "-m"),
        ("run -m 99999999999999999999t debian", "-m"),
        ("run --health-interval " + "9" * 40 + "h debian", "--health-interval"),
    ],
)
def test_out_of_range_numbers_name_the_flag_and_value(line, flag):
    with pytest.raises(CommandError) as caught:
        parse_line(line)
    assert f'"{flag}" flag' in str(caught.value) and "\n" not in str(caught.value)


def test_memory_converter_is_linear():
    for text in (" " * 30_000 + "x", "1" + " " * 30_000 + "x", "1" * 30_000):
        start = time.perf_counter()
        with pytest.raises(ValueError):
            memory_bytes(text)
        assert time.perf_counter() - start < 0.2
    assert memory_bytes(" 512m ") == 512 * 1024**2 and memory_bytes("1.5g") == 1536 * 1024**2


def test_env_file_with_a_nul_byte_and_an_unbalanced_shell():
    with pytest.raises(CommandError, match="--env-file.*this machine"):
        read_env_file("a\x00b")
    with pytest.raises(CommandError, match="--shell"):
        parse_dexec_cell(["web", "--shell", "mysql -p'x"], "select 1")


def test_dockerignore_errors_name_the_file_and_line():
    with pytest.raises(CommandError, match=r"\.dockerignore, line 2: '\[z-a\]'"):
        IgnoreRules.parse("ok\n[z-a]\n")


def test_bom_and_here_strings():
    instructions = dockerfile.parse("\ufeffFROM debian:bookworm\nRUN cat <<< hi\n")
    assert [i.keyword for i in instructions] == ["FROM", "RUN"]
    with pytest.raises(CommandError, match="heredoc"):
        dockerfile.parse("FROM debian:bookworm\nRUN cat <<EOF\nhi\nEOF\n")
    assert IgnoreRules.parse("\ufeffsecret.txt").excluded("secret.txt")


def test_symlinks_go_into_the_context_as_symlinks(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "f.txt").write_text("x")
    os.symlink("real", tmp_path / "linkdir")
    os.symlink("real/f.txt", tmp_path / "linkfile")
    context = build_context(str(tmp_path), None, 10**9)
    with tarfile.open(fileobj=context.fileobj) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert members["linkdir"].issym() and members["linkdir"].linkname == "real"
    assert members["linkfile"].issym() and "linkdir/f.txt" not in members
    assert members["real/f.txt"].isfile()
