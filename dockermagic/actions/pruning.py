"""What every prune prints: the CLI's report of what it removed."""

from __future__ import annotations

from ..views.base import Text, human_size


def pruned(sections: list[tuple[str, list[str]]], reclaimed: int | None = None) -> Text:
    """Each non-empty ``Deleted ...:`` section, then the space reclaimed, as the CLI prints them."""
    blocks = [f"{title}:\n" + "\n".join(names) + "\n" for title, names in sections if names]
    if reclaimed is not None:
        blocks.append(f"Total reclaimed space: {human_size(reclaimed)}")
    return Text("\n".join(blocks).rstrip("\n"))
