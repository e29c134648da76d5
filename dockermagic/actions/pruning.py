"""What every prune prints: the CLI's report of what it removed."""

from __future__ import annotations

from ..views.base import Text, human_size


def pruned(sections: list[tuple[str, list[str]]], reclaimed: int | None = None, note: str = "") -> Text:
    """Each non-empty ``Deleted ...:`` section, then the space reclaimed, as the CLI prints them;
    ``note``: a last line on what was left alone, and why."""
    blocks = [f"{title}:\n" + "\n".join(names) + "\n" for title, names in sections if names]
    if reclaimed is not None:
        blocks.append(f"Total reclaimed space: {human_size(reclaimed)}")
    text = "\n".join(blocks).rstrip("\n")
    return Text(f"{text}\n{note}" if note else text)
