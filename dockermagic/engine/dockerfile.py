"""Reading a Dockerfile before the engine does: instructions with their line
numbers, whether a build context is needed, and the BuildKit-only syntax that
the engine's classic builder (the one the Engine API's /build drives) rejects
with cryptic errors."""

from __future__ import annotations

import difflib
import functools
import json
import re
from dataclasses import dataclass

from ..errors import CommandError

INSTRUCTIONS = {
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
}


class BuildKitOnly(CommandError):
    """The Dockerfile uses syntax only BuildKit understands."""


@dataclass(frozen=True)
class Instruction:
    line: int  # 1-based line where it starts
    keyword: str
    args: str

    def __str__(self) -> str:
        return f"{self.keyword} {self.args}".strip()


_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z]+)\s*=\s*(.*?)\s*$")


@functools.lru_cache(maxsize=4)
def _continuation(escape: str) -> re.Pattern[str]:
    """The escape character ending a line (trailing blanks allowed), unless escaped itself."""
    e = re.escape(escape)
    return re.compile(rf"(?<!{e}){e}[ \t]*$")


def split_instructions(text: str) -> tuple[list[Instruction], int | None]:
    """The instructions as the engine's parser splits them (directives, escapes, continuations), and
    the line of a ``# syntax=`` directive (None without one). Nothing is checked here."""
    escape = "\\"
    continuation = _continuation(escape)
    lines = text.removeprefix("\ufeff").splitlines()  # a UTF-8 BOM is ignored, as the CLI ignores it
    out: list[Instruction] = []
    syntax: int | None = None
    directives_allowed = True
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped.startswith("#") or not stripped:
            m = _DIRECTIVE.match(stripped) if directives_allowed else None
            if m:
                name = m.group(1).lower()
                if name == "syntax":
                    syntax = i + 1
                if name == "escape" and m.group(2) in ("\\", "`"):
                    escape = m.group(2)
                    continuation = _continuation(escape)
            else:  # the engine's parser stops looking for directives at any other comment or blank line
                directives_allowed = False
            i += 1
            continue
        directives_allowed = False
        start = i
        # a continued line loses its escape; the next one is appended as it is (no space added)
        body, continued = continuation.subn("", stripped) if stripped.endswith(escape) else (stripped, 0)
        while continued and i + 1 < len(lines):
            i += 1
            nxt = lines[i]
            if not nxt.strip() or nxt.lstrip().startswith("#"):
                continue  # comments and blank lines inside a continued instruction are dropped
            piece, continued = continuation.subn("", nxt) if nxt.rstrip(" \t").endswith(escape) else (nxt, 0)
            body += piece
        i += 1
        keyword, _, args = body.partition(" ")
        out.append(Instruction(start + 1, keyword.upper(), args.strip()))
    return out, syntax


def parse(text: str, buildkit: bool = False) -> list[Instruction]:
    """Instructions in order; raises CommandError naming the line of a bad one. ``buildkit``: the
    build goes to BuildKit, which checks its own syntax (actions/buildkit.py)."""
    out, syntax = split_instructions(text)
    if syntax is not None and not buildkit:
        raise BuildKitOnly(
            f"line {syntax}: the '# syntax=' directive needs BuildKit, which "
            "the Engine API's builder is not; remove the line."
        )
    for ins in out:
        if ins.keyword not in INSTRUCTIONS:
            raise CommandError(
                f"Dockerfile line {ins.line}: unknown instruction: {ins.keyword}; {_what_to_write(ins.keyword)}."
            )
        if not buildkit:
            _check_buildkit(ins)
    if not out:
        raise CommandError("The Dockerfile is empty: write at least a FROM line.")
    if out[0].keyword not in ("FROM", "ARG"):
        raise CommandError(
            f"Dockerfile line {out[0].line}: the first instruction must be FROM "
            f"(or ARG before FROM), not {out[0].keyword}."
        )
    return out


def _what_to_write(keyword: str) -> str:
    """The fix for a mistyped instruction: its likely spelling (EXPOSS -> EXPOSE), else the list."""
    close = difflib.get_close_matches(keyword, sorted(INSTRUCTIONS), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]}? Correct the spelling on that line"
    return f"write one of {', '.join(sorted(INSTRUCTIONS))}"


# A shell word that opens a heredoc, as BuildKit reads it: <<NAME, <<-NAME, <<'NAME', <<"NAME".
_HEREDOC = re.compile(r"""<<-?(?:'[^']+'|"[^"]+"|[^'"\s<][^'"\s]*)""")
_WORD = re.compile(r"""(?:[^\s'"\\]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")+""", re.S)


def has_heredoc(ins: Instruction) -> bool:
    """A heredoc in RUN, COPY or ADD's shell form: a whole word ``<<EOF`` (quoted text, ``a<<b``
    and the shell's ``<<<`` here-string are not one)."""
    keyword, args = ins.keyword, ins.args
    if keyword == "ONBUILD":  # ONBUILD RUN <<EOF: the parser reads the body of the one inside
        inner, _, args = args.partition(" ")
        keyword, args = inner.upper(), args.strip()
    if keyword not in ("RUN", "COPY", "ADD") or "<<" not in args or _exec_form(args):
        return False
    return any(_HEREDOC.fullmatch(word) for word in _WORD.findall(args))


def _exec_form(args: str) -> bool:
    """``["cmd", "arg"]``: a JSON list of strings, which no shell reads."""
    if not args.startswith("["):
        return False
    try:
        value = json.loads(args)
    except ValueError:
        return False
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


_RUN_ONLY = re.compile(r"--(mount|network|security)\b")
_COPY_ONLY = re.compile(r"--(link|parents|exclude|checksum|keep-git-dir)\b")


def _check_buildkit(ins: Instruction) -> None:
    if ins.keyword not in ("RUN", "COPY", "ADD"):
        return
    where = f"line {ins.line} ({ins.keyword})"
    if ins.keyword == "RUN" and _RUN_ONLY.match(ins.args):
        flag = ins.args.split("=", 1)[0].split()[0]
        raise BuildKitOnly(
            f"{where}: RUN {flag} needs BuildKit, which the Engine API's builder is not; "
            "drop the flag (e.g. use a plain RUN, or COPY the files in)."
        )
    if has_heredoc(ins):
        raise BuildKitOnly(
            f"{where}: heredocs (<<EOF) need BuildKit, which the Engine API's builder is "
            "not; write the commands on RUN lines joined with && instead."
        )
    only = _COPY_ONLY.search(ins.args)
    if ins.keyword in ("COPY", "ADD") and only:
        flag = only.group(0)  # the BuildKit flag itself, not a classic one before it (--chown)
        raise BuildKitOnly(f"{where}: {ins.keyword} {flag} needs BuildKit; remove it.")


def needs_context(instructions: list[Instruction]) -> bool:
    """True when some ADD/COPY reads from the build context."""
    for ins in instructions:
        if ins.keyword == "COPY" and "--from" not in ins.args:
            return True
        if ins.keyword == "ADD":
            sources = [a for a in ins.args.split() if not a.startswith("--")][:-1]
            if any(not re.match(r"https?://", s) for s in sources):
                return True
    return False
