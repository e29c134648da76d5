"""What the fuzzers feed, and where: one list shared by the unit test and scripts/fuzz.py.

Each target takes one generated text and runs it through a user-facing entry
point the way the magics do.  The only exception a target may raise is the
project's own ``DockerMagicError`` (one line for the user); anything else is
an escape.  Nothing here contacts an engine.
"""

from __future__ import annotations

import random

from dockermagic.commands import get, names, parse_line
from dockermagic.commands.build import parse_cell_line
from dockermagic.commands.exec import parse_dexec_cell, parse_dexec_line
from dockermagic.engine import dockerfile
from dockermagic.engine.context import IgnoreRules
from dockermagic.errors import DockerMagicError
from dockermagic.expand import expand_text, split_expand
from dockermagic.templates import render

NAMESPACE = {"name": "web", "n": 3, "v": "1 --privileged", "q": "it's", "items": [1, 2], "d": {"k": "v"}}
DOC = {
    "Name": "/web",
    "Id": "abc",
    "Config": {"Env": ["A=1", "DB_PASSWORD=x"], "Labels": {"a": "b"}},
    "State": {"Running": True, "Pid": 7},
    "Mounts": [{"Source": "/s"}],
}
PATHS = ["a", "a/b", "src/main.py", ".git/config", "node_modules/x/y.js", "dir with space/f", "ü/ß"]


def _words(line: str) -> list[str]:
    return split_expand(line, dict(NAMESPACE))


def command_line(text: str):
    return parse_line(_words(text))


def dockerfile_cell(text: str):
    line, _, body = text.partition("\n")
    parse_cell_line(_words(line), body or "FROM scratch\n")
    return dockerfile.needs_context(dockerfile.parse(body))


def dexec_line(text: str):
    return parse_dexec_line(_words(text))


def dexec_cell(text: str):
    line, _, body = text.partition("\n")
    words = _words(line)
    return parse_dexec_cell(words, expand_text(body, dict(NAMESPACE)) if "--expand" in words else body)


def dockerignore(text: str):
    rules = IgnoreRules.parse(text)
    return [rules.excluded(p) for p in PATHS]


def dockerfile_text(text: str):
    return dockerfile.needs_context(dockerfile.parse(text))


def expr(text: str):
    return _words(text), expand_text(text, dict(NAMESPACE))


def template(text: str):
    return render(text, DOC)


TARGETS = {
    "command line": command_line,
    "%%dockerfile": dockerfile_cell,
    "%dexec": dexec_line,
    "%%dexec": dexec_cell,
    ".dockerignore": dockerignore,
    "Dockerfile": dockerfile_text,
    "{expr}": expr,
    "--format template": template,
}
ALLOWED = (DockerMagicError,)


def vocabulary() -> list[str]:
    """Words people (and attackers) write: every command and flag, plus hostile pieces."""
    words = set()
    for command in names():
        words.update(command.split())
        for option in get(command).options:
            words.update(option.names)
    words.update(
        [
            "debian:bookworm",
            "web",
            "--",
            "-",
            "-it",
            "-dp",
            "8080:80",
            "-e",
            "A=1",
            "DB_PASSWORD=x",
            "--rm=false",
            "--name=x",
            "{name}",
            "{n:>3}",
            "{name!r}",
            "{v}",
            "{q}",
            "{{.Name}}",
            "{{json .}}",
            "{{range .Mounts}}",
            "{{end}}",
            "{{",
            "}}",
            "{",
            "}",
            "{}",
            "${HOME}",
            "$USER",
            "'",
            '"',
            "\\",
            "'{ print $2 }'",
            '"a b"',
            "#!",
            "\n",
            "\t",
            "\x00",
            "\ufeff",
            "ü",
            "🐳",
            "[z-a]",
            "[",
            "]",
            "**",
            "*",
            "?",
            "!",
            "/",
            "..",
            "FROM",
            "RUN",
            "COPY",
            "ADD",
            "ENV",
            "ARG",
            "<<EOF",
            "<<<",
            "EOF",
            "--mount=type=cache",
            "# syntax=x",
            "# escape=`",
            "`",
            "inf",
            "nan",
            "1e400",
            "9" * 40,
            "-1",
            "0",
            "512m",
            "1g",
            "30s",
            "1m30s",
            "999999h",
            "--shell",
            "mysql -p'x",
            "--expand",
            "json",
            "index",
            "printf",
            "%s",
            "|",
            "(",
            ")",
            ";",
            "&&",
            ">",
            " " * 200,
            "a" * 500,
        ]
    )
    return sorted(words)


def random_text(rng: random.Random, words: list[str]) -> str:
    """A line or a small file made of vocabulary words, random characters and mutations."""
    parts = []
    for _ in range(rng.randint(0, 14)):
        roll = rng.random()
        if roll < 0.7:
            parts.append(rng.choice(words))
        elif roll < 0.85:
            parts.append(
                "".join(
                    chr(rng.choice((rng.randint(32, 126), rng.randint(0, 0x2FFF))))
                    for _ in range(rng.randint(1, 8))
                )
            )
        else:
            word = rng.choice(words)
            cut = rng.randint(0, len(word))
            parts.append(word[:cut] + rng.choice("{}'\"\\$[]\n\x00=-") + word[cut:])
        parts.append(rng.choice((" ", " ", " ", "", "\n", "=")))
    return "".join(parts)
