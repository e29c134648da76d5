"""What every ``prune`` command shares: ``-f``, ``--filter``, and the confirmation rule.

The CLI asks "Are you sure you want to continue? [y/N]" before a prune. A notebook cell cannot
answer a prompt (and "run all" must not stop on one), so a prune without ``-f`` is refused with a
line that says what it would remove and to add ``-f``; nothing is removed.

A prune's spec holds its filters (``filters: Annotated[Filters, FILTER] = ()``, or it extends
``PruneFilters``); ``FORCE`` is passed to ``@command`` beside it, and its builder returns
``confirmed(SPEC, p, COMMAND, removes)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from ..errors import CommandError
from .common_options import Filters, frozen_filters
from .grammar import Parsed, flag, repeated
from .registry import fill

__all__ = ["FILTER", "FORCE", "Filters", "PruneFilters", "confirmed", "frozen_filters"]

S = TypeVar("S")

FORCE = flag("-f", "--force", help="Do not prompt for confirmation (required: a notebook has no prompt)")
FILTER = repeated(
    "--filter",
    help="Provide filter values (e.g. 'label=<key>=<value>')",
    metavar="filter",
    freeze=frozen_filters,
)


@dataclass(frozen=True)
class PruneFilters:
    """A prune that reads its filters alone (``-f`` aside)."""

    filters: Annotated[Filters, FILTER] = ()


def confirmed(spec: type[S], p: Parsed, command: str, removes: str, **given: Any) -> S:
    """The prune's spec, once ``-f`` says the user means it."""
    found = fill(spec, p, **given)
    if not p.force:
        raise CommandError(
            f"'%docker {command}' removes {removes}: add -f to confirm "
            f"(a notebook cell cannot answer the CLI's prompt), and --filter label=... to narrow it."
        )
    return found
