"""export/import grammar: the CLI's options, and what a notebook cannot do refused in one line."""

from __future__ import annotations

import pytest

from dockermagic.commands import parse_line
from dockermagic.commands.export_import import ExportSpec, ImportSpec
from dockermagic.errors import CommandError


def test_export_and_its_spellings():
    assert parse_line("export -o out.tar web") == ExportSpec("web", "out.tar")
    assert parse_line("container export --output=out.tar web") == ExportSpec("web", "out.tar")


def test_import_options_and_spellings():
    spec = parse_line(
        "image import -c 'ENV A=1' --change 'CMD [\"x\"]' -m hi --platform linux/amd64 r.tar repo:1"
    )
    assert spec == ImportSpec("r.tar", "repo:1", ("ENV A=1", 'CMD ["x"]'), "hi", "linux/amd64")
    assert not spec.from_url
    assert parse_line("import https://example.invalid/r.tar").from_url


@pytest.mark.parametrize(
    "line, words",
    [("export web", "export needs -o FILE"), ("import -", "no stdin"), ("import", "file"), ("export", "")],
)
def test_refusals_are_one_line(line, words):
    with pytest.raises(CommandError) as info:
        parse_line(line)
    assert words in str(info.value) and "\n" not in str(info.value)
