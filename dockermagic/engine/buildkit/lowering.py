"""Heredocs and ``COPY --link`` for a Dockerfile frontend that predates them (Docker Engine 20.10).

The client serves the build context itself (file sync), so it can rewrite these forms into ones
the older frontend has, with the same result, before the build starts:

- ``RUN [cmd] <<EOF``: newer frontends hand the whole instruction (the command, then each
  heredoc's body and its delimiter) to the shell as one script; a lone ``<<EOF`` runs its body
  as the script, and a body that starts with ``#!`` is a file executed by that interpreter.
  Here that script is a file served under ``RESERVED`` in the context and bind-mounted (read
  only, for that step only) at ``/dev/pipes/...``, as newer frontends mount a shebang script,
  so it never lands in the image. The shell form keeps the stage's ``SHELL``: its command is
  ``. /dev/pipes/NAME``, which reads the script into that shell, as ``-c`` would have.
- ``COPY <<EOF /dest`` (and ADD): a COPY of a served file named after the delimiter, mode 0644
  as newer frontends make it; ``--chmod`` and ``--chown`` are kept. A body the frontend would
  expand (unquoted delimiter, ``$`` in it) is refused: this frontend cannot be asked to.
- ``COPY --link``: a plain COPY, which gives the same files; what it does not give on this
  engine is the layer that can be rebased onto a new base without a rebuild.

Each rewritten instruction stays on its line (the body's lines become blank), so the engine's
line numbers are the user's. ``names`` maps the rewritten text back for the build view.
"""

from __future__ import annotations

import hashlib
import re
import shlex
from dataclasses import dataclass, field

from ...errors import CommandError

RESERVED = ".dockermagic-inline"  # the context path where the served files are, never on disk
RUN_DIR = "/dev/pipes"  # where a step sees its script: the runtime's /dev, never in the image

# a heredoc word as newer frontends read it: [fd]<<[-]NAME, NAME maybe quoted
_HEREDOC = re.compile(r"^(\d*)<<(-?)\s*([^<]*)$")
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_WORD = re.compile(r"""(?:[^\s'"\\]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")+""", re.S)
_ESCAPE = re.compile(r"^#\s*escape\s*=\s*(\S)\s*$", re.I)


@dataclass(frozen=True)
class Heredoc:
    name: str
    chomp: bool  # <<-: leading tabs of the body's lines are dropped
    expand: bool  # an unquoted delimiter
    body: str = ""

    @property
    def content(self) -> str:
        return re.sub(r"(?m)^\t+", "", self.body) if self.chomp else self.body


@dataclass
class Lowered:
    text: str  # the Dockerfile the engine's frontend reads
    files: dict[str, bytes] = field(default_factory=dict)  # context path -> contents
    modes: dict[str, int] = field(default_factory=dict)  # context path -> permission bits
    names: list[tuple[str, str]] = field(default_factory=list)  # (rewritten text, the user's)
    lines: set[int] = field(default_factory=set)  # lines of COPYs that read only served files

    def rename(self, text: str) -> str:
        for new, old in self.names:
            text = text.replace(new, old)
        return text


def heredoc_word(word: str) -> Heredoc | None:
    """A shell word that opens a heredoc, or None (``<<<``, ``a<<b`` and ``<<`` alone are not)."""
    m = _HEREDOC.match(word)
    if not m or not m.group(3):
        return None
    raw = m.group(3)
    try:
        words = shlex.split(raw)
    except ValueError:
        return None
    if len(words) != 1:
        return None
    return Heredoc(words[0], m.group(2) == "-", "'" not in raw and '"' not in raw)


def _heredocs(args: str) -> list[Heredoc]:
    return [h for w in _WORD.findall(args) if (h := heredoc_word(w)) is not None]


def _flags(args: str) -> tuple[list[str], str]:
    """Leading ``--name[=value]`` words, and the rest as written."""
    flags = []
    rest = args.lstrip()
    while rest.startswith("--"):
        word, _, rest = rest.partition(" ")
        flags.append(word)
        rest = rest.lstrip()
    return flags, rest


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def lower(text: str) -> Lowered:
    """The Dockerfile with heredocs and ``COPY --link`` rewritten; raises CommandError, naming
    the line, for a form that cannot be rewritten exactly."""
    if RESERVED in text:
        line = next(i for i, t in enumerate(text.splitlines(), 1) if RESERVED in t)
        raise CommandError(
            f"line {line}: {RESERVED} is the path where heredocs are served in the build "
            "context; rename that path in the Dockerfile."
        )
    lines = text.removeprefix("\ufeff").splitlines()
    escape = "\\"
    for head in lines:  # the directives come first: `# escape=`` ` changes the continuation
        m = _ESCAPE.match(head.strip())
        if m and m.group(1) in "\\`":
            escape = m.group(1)
        elif not (head.strip().startswith("#") and "=" in head):
            break
    e = re.escape(escape)
    continuation = re.compile(rf"(?<!{e}){e}[ \t]*$")
    out = Lowered("")
    result: list[str] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            result.append(lines[i])
            i += 1
            continue
        start = i
        joined = stripped
        while continuation.search(joined) and i + 1 < len(lines):
            joined = continuation.sub("", joined)
            i += 1
            nxt = lines[i]
            if nxt.strip() and not nxt.lstrip().startswith("#"):
                joined += nxt
        i += 1
        keyword, _, args = joined.partition(" ")
        keyword = keyword.upper()
        docs = _heredocs(args) if keyword in ("RUN", "COPY", "ADD", "ONBUILD") and "<<" in args else []
        if docs and keyword == "ONBUILD":
            raise CommandError(
                f"line {start + 1}: a heredoc in ONBUILD is run by the image built FROM this one, whose "
                "frontend this build cannot rewrite; put the commands in a RUN line there."
            )
        bodies = []
        for doc in docs:
            body = []
            while True:
                if i >= len(lines):
                    raise CommandError(
                        f"line {start + 1}: the heredoc {doc.name} has no line {doc.name} ending it; add one."
                    )
                read = lines[i]
                i += 1
                if (read.lstrip("\t") if doc.chomp else read) == doc.name:
                    break
                body.append(read + "\n")
            bodies.append(Heredoc(doc.name, doc.chomp, doc.expand, "".join(body)))
        span = i - start
        rewritten = _rewrite(keyword, args, bodies, start + 1, out)
        if rewritten is None:
            result.extend(lines[start:i])
        else:
            result.append(rewritten)
            result.extend([""] * (span - 1))
    out.text = "\n".join(result) + "\n"
    return out


def _rewrite(keyword: str, args: str, docs: list[Heredoc], line: int, out: Lowered) -> str | None:
    if keyword == "RUN" and docs:
        return _run(args, docs, line, out)
    if keyword in ("COPY", "ADD"):
        flags, rest = _flags(args)
        link = [f for f in flags if f == "--link" or f.startswith("--link=")]
        if not docs and not link:
            return None
        kept = [f for f in flags if f not in link]
        if docs:
            rest = _copy_sources(keyword, kept, rest, docs, line, out)
            keyword = "COPY"  # a served text file: ADD has nothing to fetch or unpack
        return " ".join([keyword, *kept, rest])
    return None


def _run(args: str, docs: list[Heredoc], line: int, out: Lowered) -> str:
    flags, command = _flags(args)
    if command.startswith("["):
        raise CommandError(f"line {line}: a heredoc in RUN's JSON form is never read; use the shell form.")
    single = heredoc_word(command.strip())
    if single is not None and len(docs) == 1:
        script = docs[0].content
        summary = f"RUN {command.strip()} ({script.splitlines()[0] if script else ''})"
    else:
        script = command + "".join("\n" + d.body + d.name for d in docs) + "\n"
        summary = f"RUN {command}"
    data = script.encode()
    digest = _digest(data)
    shebang = single is not None and len(docs) == 1 and script.startswith("#!")
    name = docs[0].name if shebang else digest
    if not _NAME.match(name):
        raise CommandError(
            f"line {line}: the heredoc name {name!r} must be letters, digits, '.', '_' or '-'."
        )
    source = f"{RESERVED}/{digest}/{name}"
    target = f"{RUN_DIR}/{name}"
    out.files[source] = data
    out.modes[source] = 0o755 if shebang else 0o644
    mount = f"--mount=type=bind,source={source},target={target}"
    run = f'["{target}"]' if shebang else f". {target}"
    rewritten = " ".join(["RUN", *flags, mount, run])
    out.names.append((" ".join([*flags, mount, run]).strip(), summary.removeprefix("RUN ")))
    if not shebang:
        out.names.append((f". {target}", command.strip()))
    return rewritten


def _copy_sources(
    keyword: str, flags: list[str], rest: str, docs: list[Heredoc], line: int, out: Lowered
) -> str:
    if any(f.startswith("--from") for f in flags):
        raise CommandError(
            f"line {line}: {keyword} --from with a heredoc source: write them as two {keyword} lines."
        )
    words = _WORD.findall(rest)
    if len(words) < 2:
        raise CommandError(f"line {line}: {keyword} needs a source and a destination.")
    by_name = {d.name: d for d in docs}
    sources = []
    only_served = True
    for word in words[:-1]:
        doc = heredoc_word(word)
        if doc is None:
            sources.append(word)
            only_served = False
            continue
        full = by_name[doc.name]
        content = full.content
        if full.expand and "$" in content:
            raise CommandError(
                f"line {line}: the heredoc {doc.name} would have its $variables expanded by the "
                f"Dockerfile frontend, which this engine's cannot do; quote the delimiter (<<'{doc.name}') "
                "to keep them as written."
            )
        if not _NAME.match(doc.name):
            raise CommandError(
                f"line {line}: the heredoc name {doc.name!r} is its file's name: use letters, digits, '.', '_' or '-'."
            )
        data = content.encode()
        source = f"{RESERVED}/{_digest(data)}/{doc.name}"
        out.files[source] = data
        out.modes[source] = 0o644
        sources.append(source)
    if only_served:
        out.lines.add(line)
    rewritten = " ".join([*sources, words[-1]])
    out.names.append((rewritten, rest))
    return rewritten
