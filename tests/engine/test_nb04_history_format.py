"""history --format as the CLI prints it: \\t between fields, and "table" with the CLI's headers.

Notebook 04 prints a history's instructions and sizes with --format; before this, history left the
\\t escape as two characters while images and ps turned it into a tab.
"""

import io
import re

import pytest

from tests.conftest import BASE_IMAGE, docker_cli


@pytest.fixture
def built(client, test_label, unique):
    key, value = test_label.split("=")
    df = f"FROM {BASE_IMAGE}\nLABEL {key}={value}\nRUN echo one > /one\nENV TERM=xterm\n"
    image, _ = client.images.build(fileobj=io.BytesIO(df.encode()), tag=f"{unique}-hist:1", rm=True)
    yield f"{unique}-hist:1"
    client.images.remove(image.id, force=True)


def test_fields_are_separated_by_a_tab_as_with_the_cli(ip, built):
    template = r"{{.CreatedBy}}\t{{.Size}}"  # as typed in a cell: backslash, t
    ours = str(ip.run_line_magic("docker", f'history --no-trunc --format "{template}" {built}'))
    theirs = docker_cli("history", "--no-trunc", "--format", template, built).stdout.decode().rstrip("\n")
    assert ours == theirs
    assert ours.splitlines()[0] == "/bin/sh -c #(nop)  ENV TERM=xterm\t0B"


def test_table_format_has_the_clis_headers(ip, built):
    template = r"table {{.ID}}\t{{.CreatedBy}}\t{{.Size}}"
    ours = str(ip.run_line_magic("docker", f'history --format "{template}" {built}'))
    theirs = docker_cli("history", "--format", template, built).stdout.decode()

    def split(text):
        return [re.split(r"\s{2,}", line.strip()) for line in text.strip().splitlines()]

    assert split(ours)[0] == split(theirs)[0] == ["IMAGE", "CREATED BY", "SIZE"]
    assert [row[-1] for row in split(ours)] == [row[-1] for row in split(theirs)]
