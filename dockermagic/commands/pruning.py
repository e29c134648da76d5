"""What every ``prune`` command shares: ``-f``, ``--filter``, and the confirmation rule.

The CLI asks "Are you sure you want to continue? [y/N]" before a prune. A notebook cell cannot
answer a prompt (and "run all" must not stop on one), so a prune without ``-f`` is refused with a
line that says what it would remove and to add ``-f``; nothing is removed.

A prune is declared on its spec with ``@prune(NAME, SUMMARY, REMOVES)``: the spec holds its
filters (``filters: Annotated[Filters, FILTER] = ()``, or it extends ``PruneFilters``), and
``prune`` adds ``-f`` and the confirmation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from ..errors import CommandError
from .common_options import Filters, frozen_filters
from .grammar import Option, Parsed, flag, repeated
from .registry import command, fill

__all__ = ["FILTER", "FORCE", "Filters", "PruneFilters", "prune"]

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


def prune(
    name: str,
    summary: str,
    removes: str | Callable[[Any], str],
    refuses: Iterable[Option] = (),
    narrow: str = "label=...",
) -> Callable[[type[S]], type[S]]:
    """Register ``%docker NAME`` on a prune's spec: refused without ``-f``, saying what it removes
    (``removes``: the words, or a function of the spec that gives them); ``refuses``: ``refused(...)``
    flags; ``narrow``: the filter the refusal suggests."""

    def register(spec: type[S]) -> type[S]:
        def build(p: Parsed) -> S:
            found = fill(spec, p)
            if not p.force:
                said = removes if isinstance(removes, str) else removes(found)
                raise CommandError(
                    f"'%docker {name}' removes {said}: add -f to confirm (a notebook cell cannot "
                    f"answer the CLI's prompt), and --filter {narrow} to narrow it."
                )
            return found

        command(name, f"{summary} (-f required: a notebook has no prompt)", [FORCE, *refuses], produces=spec)(
            build
        )
        return spec

    return register
