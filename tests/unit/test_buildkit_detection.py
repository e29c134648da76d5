"""Every BuildKit-only form the README lists is refused before the build, in one
line that names the form and the line it is on; the classic forms next to each
still parse (so a detection that refused everything would fail too)."""

import pytest

from dockermagic.engine.dockerfile import BuildKitOnly, parse

# (Dockerfile, the line the form is on, what the message names)
BUILDKIT_ONLY = [
    ("FROM x\nRUN --mount=type=cache,target=/root/.cache pip install y\n", 2, "RUN --mount"),
    ("FROM x\nRUN --network=none make\n", 2, "RUN --network"),
    ("FROM x\n\nRUN <<EOF\napt-get update\nEOF\n", 3, "heredocs"),
    ("FROM x\nCOPY <<EOF /etc/motd\nhello\nEOF\n", 2, "heredocs"),
    ("# syntax=docker/dockerfile:1.7\nFROM x\n", 1, "syntax="),
    ("FROM x\nCOPY --link app /app\n", 2, "COPY --link"),
    ("FROM x\nWORKDIR /src\nCOPY --parents ./a/b/c.txt /dst/\n", 3, "COPY --parents"),
    ("FROM x\nCOPY --exclude=*.tmp . /app\n", 2, "COPY --exclude"),
    ("FROM x\nADD --checksum=sha256:0123 https://example.test/a.tar /a.tar\n", 2, "ADD --checksum"),
    ("FROM x\nCOPY --chown=1:1 --link app /app\n", 2, "COPY --link"),
    ("FROM x\nRUN python3 - <<'PY'\nprint(1)\nPY\n", 2, "heredocs"),
    ("FROM x\nRUN apt-get update && \\\n  cat <<-EOF > /f\n\tx\n\tEOF\n", 2, "heredocs"),
]

CLASSIC = [
    "FROM x\nRUN mount | head -1\n",
    "FROM x\nRUN echo --network\n",
    "FROM x\nRUN cat <file\n",
    "# escape=`\nFROM x\n",
    "FROM x\nCOPY --chown=1:1 app /app\n",
    "FROM x\nCOPY --from=build /out /out\n",
    "FROM x\nADD https://example.test/a.tar /a.tar\n",
    "FROM x\n# syntax=docker/dockerfile:1\nRUN true\n",  # after an instruction it is a comment
    "FROM x\nRUN cat <<< hi\n",  # the shell's here-string, not a heredoc
    "FROM x\nRUN echo \"<<EOF\" '<<EOF'\n",  # quoted: text for the shell (the classic builder runs it)
    'FROM x\nRUN ["cat", "<<EOF"]\n',  # exec form: no shell reads it
]


@pytest.mark.parametrize("text, line, named", BUILDKIT_ONLY, ids=[c[2] + f"@{c[1]}" for c in BUILDKIT_ONLY])
def test_each_buildkit_form_is_named_with_its_line(text, line, named):
    with pytest.raises(BuildKitOnly) as info:
        parse(text)
    message = str(info.value)
    assert "\n" not in message
    assert f"line {line}" in message and named in message


@pytest.mark.parametrize("text", CLASSIC)
def test_classic_forms_next_to_them_parse(text):
    assert parse(text)[0].keyword == "FROM"
