"""A mistyped instruction is named with its line and its likely spelling, in one line.

The Dockerfile below is the sample from the lecture notes the notebooks follow, byte for byte:
its ``EXPOSS 22`` (line 16) must be caught before anything is sent to the engine, and the
message must say where and what to write instead.
"""

import pytest

from dockermagic.engine.dockerfile import INSTRUCTIONS, parse
from dockermagic.errors import CommandError

NOTES_SAMPLE = (
    "FROM ubuntu:latest\n"
    "MAINTAINER sury <sury@gmail.com>\n"
    "\n"
    "RUN apt-get update\n"
    "RUN apt-get install \u2013y openjdk-8-jdk\n"
    "\n"
    "ENV JAVA_HOME=/usr/lib/jvm/java-8-openjdk-amd64\n"
    "ENV CLASSPATH=$JAVA_HOME/lib/*:.\n"
    "ENV PATH=$PATH:$JAVA_HOME/bin\n"
    "\n"
    "RUN apt-get install \u2013y openssh-server\n"
    "RUN mkdir /var/run/sshd\n"
    "RUN echo \u2018root:kitri\u2019 | chpasswd\n"
    "RUN sed \u2013i \u2018s/PermitRootLogin prohibit-password/PermitRootLogin yes/\u2019 /etc/ssh/sshd_config\n"
    "RUN sed \u2013i \u2018s/PermitRootLogin without-password/PermitRootLogin yes/\u2019 /etc/ssh/sshd_config\n"
    "EXPOSS 22\n"
    "CMD [\u201c/usr/sbin/sshd\u201d, \u201c-D\u201d]\n"
)


def test_the_notes_sample_fails_on_its_typo_line_with_the_fix():
    with pytest.raises(CommandError) as caught:
        parse(NOTES_SAMPLE)
    message = str(caught.value)
    assert message == (
        "Dockerfile line 16: unknown instruction: EXPOSS; did you mean EXPOSE? "
        "Correct the spelling on that line."
    )
    assert "\n" not in message


@pytest.mark.parametrize(
    "typo, meant",
    [
        ("FORM", "FROM"),
        ("RUNN", "RUN"),
        ("WORKDIRR", "WORKDIR"),
        ("ENTRYPIONT", "ENTRYPOINT"),
        ("cpoy", "COPY"),
    ],
)
def test_close_misspellings_get_a_suggestion(typo, meant):
    with pytest.raises(
        CommandError, match=rf"line 2: unknown instruction: {typo.upper()}; did you mean {meant}\?"
    ):
        parse(f"FROM x\n{typo} y\n")


def test_a_word_like_no_instruction_lists_them_all():
    with pytest.raises(CommandError) as caught:
        parse("FROM x\nPLEASE build\n")
    message = str(caught.value)
    assert message.startswith("Dockerfile line 2: unknown instruction: PLEASE; write one of ")
    assert "did you mean" not in message
    assert all(name in message for name in INSTRUCTIONS)
