"""What `%load_ext dockermagic` adds to a bare `import IPython`, from `python -X importtime`.

Runs a fresh interpreter several times, sums the cumulative import time of the
modules that loading the extension pulls in beyond IPython's own, and prints
the median. Not a test: a figure for the README.

    python bench/bench_import.py [RUNS]
"""
from __future__ import annotations

import statistics
import subprocess
import sys

CODE = (
    "import IPython\n"
    "from IPython.testing.globalipapp import start_ipython\n"
    "ip = start_ipython()\n"
    "import dockermagic\n"
    "dockermagic.load_ipython_extension(ip)\n"
)


def added_ms() -> float:
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", CODE],
                         capture_output=True, text=True, check=True).stderr
    total_us = 0
    for line in err.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
        # top-level entries (no leading indentation in the raw name) are counted once each
        raw_name = line.split("|")[2]
        if raw_name.startswith(" ") and not raw_name.startswith("  "):
            if name.startswith("dockermagic") or name in ("docker", "ipywidgets", "requests"):
                total_us += int(cumulative)
    return total_us / 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    figures = sorted(added_ms() for _ in range(runs))
    print(f"%load_ext dockermagic adds, over a bare `import IPython` "
          f"(median of {runs}): {statistics.median(figures):.1f} ms "
          f"(min {figures[0]:.1f}, max {figures[-1]:.1f})")


if __name__ == "__main__":
    main()
