"""Time to the one-line error for each sick-engine scenario (README, "Faults").

Runs the magics in-process against the fake engines of tests/unit/fake_engine.py
with ``ping_timeout`` = ``timeout`` = 1 s and ``stream_timeout`` = 1.5 s, and
prints, per scenario, whether it ended in one line naming the engine and how
long it took. Not a test: the tests in tests/unit/test_faults_fake_engines.py
assert the same behaviour.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

SCENARIOS = [
    ("hang", "line", "ps"),
    ("hang_after_version", "line", "ps"),
    ("hang_after_version", "line", "rm a b c d"),
    ("hang_after_version", "cell", "-t x"),
    ("error500", "line", "ps"),
    ("garbage", "line", "ps"),
    ("old_api", "line", "ps"),
    ("drop_mid_body", "line", "ps"),
    ("no socket", "line", "ps"),
    ("logs_then_die", "line", "logs -f web"),
    ("logs_then_stop", "line", "logs -f web"),
]


def main() -> None:
    import docker  # noqa: F401  (imported once, before the clocks start)
    from IPython.core.error import UsageError
    from IPython.testing.globalipapp import start_ipython

    from tests.unit.fake_engine import FakeEngine

    ip = start_ipython()
    ip.run_line_magic("load_ext", "dockermagic")
    for setting in ("ping_timeout = 1.0", "timeout = 1.0", "stream_timeout = 1.5"):
        ip.run_line_magic("config", f"DockerMagics.{setting}")
    survived = 0
    directory = tempfile.mkdtemp(prefix="dm-faults-")
    print(f"{'scenario':<22}{'command':<20}{'seconds':>8}  one line naming the engine")
    for index, (mode, kind, line) in enumerate(SCENARIOS):
        path = os.path.join(directory, f"e{index}.sock")
        engine = FakeEngine(path, "healthy" if mode == "no socket" else mode)
        if mode == "no socket":
            engine.close()
        ip.run_line_magic("config", f"DockerMagics.base_url = 'unix://{path}'")
        start = time.monotonic()
        message = ""
        try:
            if kind == "line":
                ip.run_line_magic("docker", line)
            else:
                ip.run_cell_magic("dockerfile", line, "FROM debian:bookworm\nRUN true\n")
        except UsageError as exc:
            message = str(exc)
        took = time.monotonic() - start
        ok = bool(message) and "\n" not in message and path in message
        survived += ok
        shown = f"%%dockerfile {line}" if kind == "cell" else line
        print(f"{mode:<22}{shown:<20}{took:>8.2f}  {'yes' if ok else 'NO: ' + message[:80]}")
        engine.close()
    ip.run_line_magic("config", "DockerMagics.base_url = None")
    print(f"\nscenarios survived: {survived} of {len(SCENARIOS)}")
    os.rmdir(directory)


if __name__ == "__main__":
    main()
