"""A compose file's YAML, read with the line of every key, so that mistakes name both."""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import CommandError

Path = tuple[str, ...]


class Document:
    """The parsed file: plain data, and the line (1-based) where each key path is written."""

    def __init__(self, data: dict[str, Any], lines: dict[Path, int], name: str):
        self.data, self.lines, self.name = data, lines, name

    def where(self, path: Path) -> str:
        """``'services.web.ports' (line 7)``: a key path as a person reads it, with its line."""
        shown = ".".join(path)
        for n in range(len(path), 0, -1):
            if path[:n] in self.lines:
                return f"'{shown}' (line {self.lines[path[:n]]})"
        return f"'{shown}'"


def _key_lines(node: yaml.Node, path: Path, out: dict[Path, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = path + (str(key.value),)
            out.setdefault(sub, key.start_mark.line + 1)
            _key_lines(value, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            sub = path + (str(index),)
            out.setdefault(sub, item.start_mark.line + 1)
            _key_lines(item, sub, out)


def _key_at(text: str, line: int) -> str:
    """The key path that encloses ``line`` (1-based), from indentation: where a YAML error is."""
    stack: list[tuple[int, str]] = []
    for raw in text.expandtabs(8).splitlines()[:line]:
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" -"))
        key = stripped.lstrip("- ").split(":", 1)[0].strip().strip("'\"")
        if ":" not in stripped or not key:
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, key))
    return ".".join(key for _, key in stack)


def load(text: str, name: str = "compose file") -> Document:
    """Parse ``text``; a YAML mistake is one line with its line number and the key it is under."""
    loader = None
    try:
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        key = _key_at(text, line)
        under = f" under '{key}'" if key else ""
        problem = exc.problem or exc.context or "not valid YAML"
        raise CommandError(f"{name}, line {line}{under}: {problem}: fix the YAML there.") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, control characters)
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise CommandError(
            f"{name}, line {line}: character U+{code:04X} is not allowed in YAML: remove it."
        ) from None
    except yaml.YAMLError as exc:
        raise CommandError(f"{name}: not valid YAML ({' '.join(str(exc).split())}).") from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        raise CommandError(f"{name} is empty: write at least 'services:' with one service.")
    if not isinstance(data, dict):
        raise CommandError(f"{name}: the top level must be a mapping (services:, networks:, volumes:).")
    lines: dict[Path, int] = {}
    if node is not None:
        _key_lines(node, (), lines)
    return Document(data, lines, name)
