"""The one masking policy for values whose names look secret.

A value is masked when its name contains PASS, SECRET, TOKEN, KEY, CREDENTIAL,
AUTH (not AUTHOR) or PRIVATE.  Two shapes are recognised:

- structured data: every ``Env`` list (``NAME=value`` entries) anywhere in an
  inspect document, masked before a view or a Go template sees it;
- free text (history's CREATED BY, build steps and logs, template output,
  error messages, table cells): ``NAME=value`` as a shell word, and the body
  of an ``ENV``/``ARG`` instruction, where a value may hold spaces and runs up
  to the next ``NAME=`` (the classic builder records ``ENV A=two words``
  without quotes).

Masking is the default everywhere; ``%config DockerMagics.show_secrets = True``
turns it off for the kernel (an explicit choice, never the default).  The
unmasked data stays on the Python objects (``view.data``, ``view.reveal()``).
"""

from __future__ import annotations

import re

MASK = "••••••"

_SECRET_NAME = re.compile(r"PASS|SECRET|TOKEN|KEY|CREDENTIAL|AUTH(?!OR)|PRIVATE", re.IGNORECASE)
# NAME=value as a shell word: a quoted string, or a run of characters up to a space or quote.
_PAIR = re.compile(
    r"(?<![\w.-])(?P<name>[A-Za-z_][\w.-]*)=(?P<value>\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|[^\s\"']+)"
)
# The body of an ENV/ARG instruction, up to the end of the line or a quote
# (a JSON string holding the instruction ends there).
_INSTRUCTION = re.compile(r"(?<![\w-])(?:ENV|ARG)[ \t]+(?P<body>[^\"\n]+)", re.IGNORECASE)
_NEXT_NAME = re.compile(r"([ \t]+)(?=[A-Za-z_][\w.-]*=)")


class _Policy:
    reveal = False


policy = _Policy()


def set_reveal(reveal: bool) -> None:
    """``True`` shows secrets everywhere (``%config DockerMagics.show_secrets``)."""
    policy.reveal = bool(reveal)


def looks_secret(name: str) -> bool:
    return bool(_SECRET_NAME.search(name or ""))


def mask_env(entry) -> str:
    """``NAME=value`` with the value masked when the name looks secret."""
    entry = str(entry)
    if policy.reveal:
        return entry
    name, eq, val = entry.partition("=")
    if eq and val and looks_secret(name):
        return f"{name}={MASK}"
    return entry


def mask_doc(doc):
    """A copy of ``doc`` with every ``Env`` list masked; other values shared, not copied."""
    if policy.reveal:
        return doc
    if isinstance(doc, dict):
        return {
            key: ([mask_env(e) for e in val] if key == "Env" and isinstance(val, list) else mask_doc(val))
            for key, val in doc.items()
        }
    if isinstance(doc, list):
        return [mask_doc(v) for v in doc]
    return doc


def _mask_instruction(match: re.Match) -> str:
    # parts: NAME=value, separator, NAME=value, ... (separators kept as they were)
    parts = _NEXT_NAME.split(match.group("body"))
    for i in range(0, len(parts), 2):
        name, eq, value = parts[i].partition("=")
        if not eq and i == 0:  # the legacy form: ENV NAME the whole value
            name, eq, value = parts[i].partition(" ")
        if eq and value.strip() and looks_secret(name) and not value.startswith(MASK):
            parts[i] = f"{name}{eq}{MASK}{value[len(value.rstrip()) :]}"
    head = match.group(0)[: match.start("body") - match.start(0)]
    return head + "".join(parts)


def _mask_pair(match: re.Match) -> str:
    name, value = match.group("name"), match.group("value")
    if not looks_secret(name) or value.startswith(MASK):
        if value[:1] in "\"'" and len(value) > 2:  # a quoted value may hold pairs itself (-c 'A_KEY=1 cmd')
            return f"{name}={value[0]}{mask_text(value[1:-1])}{value[-1]}"
        return match.group(0)
    return f"{name}={MASK}"


def mask_text(text):
    """``text`` with secret-looking ``NAME=value`` values and ENV/ARG bodies masked."""
    if policy.reveal or not text or "=" not in text and " " not in text:
        return text
    text = str(text)
    if not _SECRET_NAME.search(text):
        return text
    text = _INSTRUCTION.sub(_mask_instruction, text)
    return _PAIR.sub(_mask_pair, text)
