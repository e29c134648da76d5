"""Our Dockerfile reader and .dockerignore matcher against the libraries that could replace them.

- Dockerfiles: ``engine.dockerfile.parse`` (split into instructions, then the classic builder's
  checks) against the ``dockerfile`` package (BuildKit's Go parser, built wheels), on every
  Dockerfile of the tests and notebooks plus the edge cases (``tests/dockerfile_cases.py``).
- .dockerignore: ``engine.context.IgnoreRules`` against the docker SDK's ``PatternMatcher``, on one
  set of patterns and 5,000 paths, and each one's walk of a generated tree of 2,000 files.

Prints the median of several runs of each and the ratio (ours / theirs: below 1 is faster). Agreement
is checked by tests (tests/unit/test_dockerfile_oracle.py, tests/engine/test_dockerignore_parity.py),
not here. Not a test: figures for the README.

    python bench/bench_parsers.py [RUNS]
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dockerfile as official  # noqa: E402
from _timing import median_seconds  # noqa: E402
from docker.utils.build import PatternMatcher, exclude_paths  # noqa: E402

from dockermagic.engine.context import IgnoreRules, _walk  # noqa: E402
from dockermagic.engine.dockerfile import parse  # noqa: E402
from dockermagic.errors import CommandError  # noqa: E402
from tests.dockerfile_cases import all_cases  # noqa: E402

IGNORE = "*.log\n**/*.pyc\nnode_modules\nd1*/\n!d10/keep.txt\n.git\n**/__pycache__\n"


def ours_dockerfiles(cases: list[str]) -> None:
    for text in cases:
        try:
            parse(text)
        except CommandError:
            pass  # a refused Dockerfile is read as far as the engine's parser would read it


def official_dockerfiles(cases: list[str]) -> None:
    for text in cases:
        try:
            official.parse_string(text)
        except official.GoParseError:
            pass


def tree(root: str, files: int) -> None:
    rnd = random.Random(1)
    for i in range(files):
        path = Path(
            root,
            f"d{rnd.randint(0, 40)}",
            f"s{rnd.randint(0, 9)}",
            f"f{i}.{rnd.choice(['py', 'pyc', 'log', 'txt'])}",
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    Path(root, ".dockerignore").write_text(IGNORE)


def row(what: str, ours: float, theirs: float, unit: float = 1e3, label: str = "ms") -> None:
    print(f"{what:<48} {ours * unit:9.2f} {theirs * unit:9.2f} {label}   {ours / theirs:5.2f}x")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    cases = all_cases()
    print(f"medians of {runs} runs; ours, theirs, ours/theirs\n")
    row(
        f"Dockerfiles: {len(cases)} cases, parse all",
        median_seconds(lambda: ours_dockerfiles(cases), runs),
        median_seconds(lambda: official_dockerfiles(cases), runs),
    )
    big = "FROM debian:bookworm\n" + "".join(f"RUN echo {i} \\\n  && true\nENV A{i}=1\n" for i in range(300))
    row(
        "Dockerfile: 600 instructions, 900 lines",
        median_seconds(lambda: ours_dockerfiles([big]), runs),
        median_seconds(lambda: official_dockerfiles([big]), runs),
    )

    rnd = random.Random(0)
    paths = [
        f"d{rnd.randint(0, 50)}/s{rnd.randint(0, 20)}/f{i}.{rnd.choice(['py', 'log', 'txt', 'md'])}"
        for i in range(5000)
    ]
    patterns = [line for line in IGNORE.splitlines() if line]

    def ours_match() -> None:
        rules = IgnoreRules.parse(IGNORE)
        for p in paths:
            rules.excluded(p)

    def sdk_match() -> None:
        matcher = PatternMatcher(patterns)
        for p in paths:
            matcher.matches(p)

    row(
        ".dockerignore: 7 patterns x 5,000 paths",
        median_seconds(ours_match, runs),
        median_seconds(sdk_match, runs),
    )
    with tempfile.TemporaryDirectory() as root:
        tree(root, 2000)
        row(
            ".dockerignore: walk of 2,000 files",
            median_seconds(lambda: list(_walk(root, IgnoreRules.read(root))), runs),
            median_seconds(lambda: exclude_paths(root, list(patterns)), runs),
        )


if __name__ == "__main__":
    main()
