"""Why the build context keeps its own .dockerignore matcher rather than the docker SDK's.

The CLI's answer for these patterns is pinned against the real CLI by
tests/engine/test_dockerignore_parity.py; here both matchers are asked the same question.
If the SDK's matcher ever agrees with the CLI, the choice is worth measuring again.
"""

from docker.utils.build import PatternMatcher

from dockermagic.engine.context import IgnoreRules
from tests.engine.test_dockerignore_parity import FILES, IGNORE

# what the CLI (classic builder) sends for FILES under IGNORE, as the parity test finds it
CLI_KEEPS = {
    "README.md",
    "a/x.txt",
    "app.py",
    "b/z.txt",
    "c/d/e/deep.txt",
    "c/top.txt",
    "node_modules/keep/k.js",
}
PATTERNS = [line.strip() for line in IGNORE.splitlines() if line.strip() and not line.startswith("#")]


def test_ours_keeps_what_the_cli_keeps():
    rules = IgnoreRules.parse(IGNORE)
    assert {f for f in FILES if not rules.excluded(f)} == CLI_KEEPS


def test_the_sdks_matcher_reads_classes_and_escapes_otherwise():
    sdk = PatternMatcher(PATTERNS)
    differs = {f for f in FILES if not sdk.matches(f)} ^ CLI_KEEPS
    # a/[^x].txt (a negated class) and b/\*.txt (an escaped star)
    assert differs == {"a/x.txt", "a/y.txt", "b/*.txt"}
