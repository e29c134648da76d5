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

__all__ = ["FILTER", "FORCE", "Filters", "PruneFilters", "confirmed", "frozen_filters", "prune"]

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
    return _confirmed(fill(spec, p, **given), p, command, removes)


def _confirmed(found: S, p: Parsed, command: str, removes: str) -> S:
    if not p.force:
        raise CommandError(
            f"'%docker {command}' removes {removes}: add -f to confirm "
            f"(a notebook cell cannot answer the CLI's prompt), and --filter label=... to narrow it."
        )
    return found


def prune(
    name: str, summary: str, removes: str | Callable[[Any], str], refuses: Iterable[Option] = ()
) -> Callable[[type[S]], type[S]]:
    """Register ``%docker NAME`` on a prune's spec: refused without ``-f``, saying what it removes
    (``removes``: the words, or a function of the spec that gives them); ``refuses``: ``refused(...)``
    flags."""

    def register(spec: type[S]) -> type[S]:
        def build(p: Parsed) -> S:
            found = fill(spec, p)
            return _confirmed(found, p, name, removes if isinstance(removes, str) else removes(found))

        command(name, f"{summary} (-f required: a notebook has no prompt)", [FORCE, *refuses], produces=spec)(
            build
        )
        return spec

    return register
