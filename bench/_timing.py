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


def medians_in_turns(contenders: Sequence[Callable[[], object]], runs: int) -> list[float]:
    """Median seconds of each contender, run in turns after one warm-up each."""
    samples: list[list[float]] = [[] for _ in contenders]
    for fn in contenders:
        fn()
    for _ in range(runs):
        for fn, times in zip(contenders, samples, strict=True):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return [statistics.median(times) for times in samples]
