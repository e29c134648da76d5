"""What every ``prune`` command shares: ``-f``, ``--filter``, and the confirmation rule.

The CLI asks "Are you sure you want to continue? [y/N]" before a prune. A notebook cell cannot
answer a prompt (and "run all" must not stop on one), so a prune without ``-f`` is refused with a
line that says what it would remove and to add ``-f``; nothing is removed.
"""

from __future__ import annotations

from ..errors import CommandError
from ..parsing.keyvalue import filters
from .grammar import Option, Parsed, flag, repeated

# ``(key, values)`` pairs, sorted by key: the API's filters, frozen.
Filters = tuple[tuple[str, tuple[str, ...]], ...]

FORCE = flag("-f", "--force", help="Do not prompt for confirmation (required: a notebook has no prompt)")
FILTER = repeated("--filter", help="Provide filter values (e.g. 'label=<key>=<value>')", metavar="filter")
PRUNE_OPTIONS: list[Option] = [FILTER, FORCE]


def frozen_filters(entries: list[str]) -> Filters:
    """``--filter label=a --filter until=1h`` -> sorted ``(key, values)`` pairs."""
    return tuple((key, tuple(values)) for key, values in sorted(filters(entries).items()))


def confirmed(p: Parsed, command: str, removes: str) -> Filters:
    """The prune's filters, once ``-f`` says the user means it."""
    found = frozen_filters(p.filter)
    if not p.force:
        raise CommandError(
            f"'%docker {command}' removes {removes}: add -f to confirm "
            f"(a notebook cell cannot answer the CLI's prompt), and --filter label=... to narrow it."
        )
    return found
