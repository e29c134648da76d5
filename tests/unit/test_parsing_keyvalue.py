"""parsing.keyvalue: KEY=VALUE lists and files, one rule for every flag."""

import pytest

from dockermagic.errors import CommandError
from dockermagic.parsing.keyvalue import env_entry, filters, mapping, pairs, read_env_file, read_label_file


def test_pairs_keep_a_bare_key_apart_and_every_equals_sign_of_the_value():
    assert pairs(["A=1", "B", "C=x=y", "D="], "--build-arg") == (
        ("A", "1"),
        ("B", None),
        ("C", "x=y"),
        ("D", ""),
    )


def test_mapping_gives_a_bare_key_the_empty_value_and_the_last_one_wins():
    assert mapping(["a=1", "b", "a=2"], "--label") == {"a": "2", "b": ""}


@pytest.mark.parametrize("entry", ["=x", "", " =x"])
def test_an_empty_key_names_the_flag(entry):
    with pytest.raises(CommandError) as caught:
        mapping([entry], "--opt")
    assert str(caught.value) == f"--opt {entry!r}: use KEY=VALUE."


def test_filters_as_the_cli_reads_them():
    assert filters(["status=exited", "Name = db ", "label=a=b", "status=running", ""]) == {
        "status": ["exited", "running"],
        "name": ["db"],
        "label": ["a=b"],
    }


@pytest.mark.parametrize("entry", ["bad", "=x"])
def test_a_bad_filter_says_how_to_write_one(entry):
    with pytest.raises(CommandError) as caught:
        filters([entry])
    assert str(caught.value) == f"bad filter {entry!r}: use key=value, e.g. -f status=running"


def test_env_entry_takes_a_bare_name_from_the_environment_or_drops_it():
    environ = {"HOME": "/root"}
    assert env_entry("A=1=2", environ) == ["A=1=2"]
    assert env_entry("HOME", environ) == ["HOME=/root"]
    assert env_entry("UNSET", environ) == []
    with pytest.raises(CommandError, match="-e '=1': use KEY=VALUE"):
        env_entry("=1", environ)


def test_env_file_lines_comments_bom_and_bare_names(tmp_path):
    path = tmp_path / "vars.env"
    path.write_text("\ufeffA=1\n\n   # a comment\n  B=two words\nHOME\nUNSET\nC=\n", encoding="utf-8")
    assert read_env_file(str(path), {"HOME": "/root"}) == ["A=1", "B=two words", "HOME=/root", "C="]


def test_label_file_keeps_a_bare_key_as_an_empty_label(tmp_path):
    path = tmp_path / "labels"
    path.write_text("# labels\nteam=db\nlegacy\n", encoding="utf-8")
    assert read_label_file(str(path)) == {"team": "db", "legacy": ""}


def test_a_key_with_white_space_names_the_line(tmp_path):
    path = tmp_path / "vars.env"
    path.write_text("A=1\nMY VAR=2\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 2: 'MY VAR' is not a name"):
        read_env_file(str(path), {})


@pytest.mark.parametrize("path", ["a\x00b", "/nonexistent/dir/vars.env"])
def test_an_unreadable_file_is_one_line_naming_the_flag(path):
    with pytest.raises(CommandError, match=r"^--env-file .*\(a file on this machine\)\.$"):
        read_env_file(path, {})


def test_a_file_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "latin1.env"
    path.write_bytes(b"A=\xe9t\xe9\n")
    with pytest.raises(CommandError, match="--label-file"):
        read_label_file(str(path))
