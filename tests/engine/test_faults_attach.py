"""attach and start -a when the engine dies in the middle: one line that names the engine,
within 2 s of the kill, and nothing left running once it is back (a throwaway dockerd, as
in test_faults_real_engine)."""

from __future__ import annotations

import pytest

from ..conftest import BASE_IMAGE
from .test_faults_real_engine import (  # noqa: F401 (fixtures)
    EXIT_ON_TERM,
    SIGNALS,
    _back_up,
    _check_error,
    _detached,
    _killed_during,
    engine,
    magics,
)

pytestmark = pytest.mark.engine

TICKER = f"{EXIT_ON_TERM} while :; do echo tick; sleep 0.2; done"


@SIGNALS
def test_attach(magics, engine, unique, sig):  # noqa: F811
    name = f"{unique}-ticker"
    _detached(engine, name, ["sh", "-c", TICKER])
    message, seconds = _killed_during(engine, sig, lambda: magics.run_line_magic("docker", f"attach {name}"))
    _check_error(engine, message, seconds)
    assert not _back_up(engine)


@SIGNALS
def test_start_a(magics, engine, unique, sig):  # noqa: F811
    name = f"{unique}-started"
    client = engine.client()
    try:
        client.api.create_container(BASE_IMAGE, ["sh", "-c", TICKER], name=name)
    finally:
        client.close()
    message, seconds = _killed_during(
        engine, sig, lambda: magics.run_line_magic("docker", f"start -a {name}")
    )
    _check_error(engine, message, seconds)
    assert not _back_up(engine)
