"""The timing loop every bench script shares: medians of several runs, contenders in turns.

Timings on a shared machine move between runs, so each figure is a median,
and contenders compared side by side run in turns (a colleague's load falls
on both alike) after one warm-up each.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence


def median_seconds(fn: Callable[[], object], runs: int, warmup: bool = False) -> float:
    """Median wall time of ``runs`` calls of ``fn``; ``warmup``: one untimed call first."""
    if warmup:
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def samples_in_turns(
    contenders: Sequence[Callable[[], object]], runs: int, runs_of: Sequence[int] | None = None
) -> list[list[float]]:
    """Seconds of each run of each contender, run in turns after one warm-up each.

    ``runs_of``: fewer runs for some (a slow contender), spread evenly over the ``runs`` turns.
    """
    counts = list(runs_of) if runs_of is not None else [runs] * len(contenders)
    samples: list[list[float]] = [[] for _ in contenders]
    for fn in contenders:
        fn()
    for turn in range(runs):
        for fn, times, count in zip(contenders, samples, counts, strict=True):
            if (turn + 1) * count // runs == turn * count // runs:
                continue  # not this contender's turn
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return samples


def medians_in_turns(contenders: Sequence[Callable[[], object]], runs: int) -> list[float]:
    """Median seconds of each contender, run in turns after one warm-up each."""
    return [statistics.median(times) for times in samples_in_turns(contenders, runs)]
