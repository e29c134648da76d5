"""Markers by where a test lives, so that `-m "not engine and not browser"` runs
the pure suite with no engine. Here at the root, so that it also applies when
only notebooks/ is collected."""
from __future__ import annotations

import os
import signal

import pytest

# first path parts under the root -> markers of every test collected there
MARKERS_BY_PATH = {
    ("tests", "engine"): ("engine",),
    ("tests", "browser"): ("engine", "browser"),  # the page shows objects made on the engine
    ("notebooks",): ("engine",),                   # nbval runs every cell against the engine
}


# notebooks/08-swarm.ipynb starts three engines in containers and runs Spark across them (about 10
# minutes): scripts/swarm-3-nodes.sh runs it, with DM_SWARM_NODES=3; other runs leave it out.
HEAVY_NOTEBOOKS = {"08-swarm.ipynb": "DM_SWARM_NODES"}


def pytest_ignore_collect(collection_path, config):
    variable = HEAVY_NOTEBOOKS.get(collection_path.name)
    if variable is not None and collection_path.parent.name == "notebooks":
        return int(os.environ.get(variable) or 0) < 3
    return None


def pytest_configure(config):
    # The interrupt tests send SIGINT, as a kernel interrupt or Ctrl-C does. A shell that starts
    # a job in the background without job control starts it with SIGINT ignored, which Python
    # and every process it starts then keep: the test run gets back the usual handler.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_collection_modifyitems(config, items):
    root = config.rootpath
    for item in items:
        try:
            parts = item.path.relative_to(root).parts
        except ValueError:  # collected from outside the repository
            continue
        for prefix, names in MARKERS_BY_PATH.items():
            if parts[:len(prefix)] == prefix:
                for name in names:
                    item.add_marker(getattr(pytest.mark, name))


def pytest_runtest_setup(item):
    # A test that says it differs on Podman (@pytest.mark.podman_differs("why")) is a strict xfail
    # there, with that reason (tests/podman.py); the engine is asked only for such a test.
    if item.get_closest_marker("podman_differs") is not None:
        from tests.podman import mark_difference

        mark_difference(item)
