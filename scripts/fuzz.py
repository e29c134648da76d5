"""Fuzz every user-facing entry point at scale (README, "Fuzzing").

    python scripts/fuzz.py [CASES] [SEED]      # default 100000 cases, seed 0

Each case is a random text (command words, flags, hostile pieces, random
characters, mutations) sent to every target of tests/fuzz_targets.py: both
magics' lines, the %%dexec body, .dockerignore, Dockerfiles, {expr} and
--format templates. It prints, per target, how many cases raised something
other than the project's own one-line errors (escapes) and how many took over
100 ms (the fastest of four runs, so that a scheduling pause on a shared
machine is not counted), with the first few of each, and exits non-zero if any.
"""
from __future__ import annotations

import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

SLOW = 0.1  # seconds


def _time(target, text: str) -> float:
    start = time.perf_counter()
    try:
        target(text)
    except Exception:
        pass
    return time.perf_counter() - start


def main(cases: int = 100_000, seed: int = 0) -> int:
    from tests.fuzz_targets import ALLOWED, TARGETS, random_text, vocabulary

    rng = random.Random(seed)
    words = vocabulary()
    escapes = {name: [] for name in TARGETS}
    slow = {name: [] for name in TARGETS}
    started = time.monotonic()
    for _ in range(cases):
        text = random_text(rng, words)
        for name, target in TARGETS.items():
            start = time.perf_counter()
            try:
                target(text)
            except ALLOWED:
                pass
            except Exception as exc:  # an escape: what the fuzz is looking for
                escapes[name].append((text, f"{type(exc).__name__}: {exc}"))
            took = time.perf_counter() - start
            if took > SLOW:  # timed again: on a shared machine one run can be a scheduling pause
                took = min([took] + [_time(target, text) for _ in range(3)])
                if took > SLOW:
                    slow[name].append((text, took))
    elapsed = time.monotonic() - started
    print(f"{cases} cases x {len(TARGETS)} targets in {elapsed:.0f} s (seed {seed})")
    print(f"{'target':<20}{'escapes':>9}{'> 100 ms':>10}")
    for name in TARGETS:
        print(f"{name:<20}{len(escapes[name]):>9}{len(slow[name]):>10}")
    for name in TARGETS:
        for text, error in escapes[name][:3]:
            print(f"  escape in {name}: {error[:120]!r} <- {text[:120]!r}")
        for text, took in slow[name][:3]:
            print(f"  slow in {name}: {took * 1000:.0f} ms <- {text[:120]!r}")
    return 1 if any(escapes.values()) or any(slow.values()) else 0


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    sys.exit(main(*args))
