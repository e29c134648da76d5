"""Resource usage samples of a container (``GET /containers/{id}/stats``), one or a stream."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .errors import call, explained


def sample(api: Any, ref: str) -> dict[str, Any]:
    """One sample, with the previous one's CPU counters (the engine waits about a second for them)."""
    found: dict[str, Any] = call(api.stats, ref, stream=False)
    return found


class SampleStream:
    """The engine's stream of samples, one a second, for as long as the container runs.

    ``close()`` may be called from another thread: it ends a read that waits.
    """

    def __init__(self, api: Any, ref: str) -> None:
        self._response = call(
            api._get, api._url("/containers/{0}/stats", ref), params={"stream": 1}, stream=True
        )
        call(api._raise_for_status, self._response)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        try:
            with explained():
                for line in self._response.iter_lines():
                    if line:
                        yield json.loads(line)
        finally:
            self.close()

    def close(self) -> None:
        try:
            self._response.close()
        except Exception:  # noqa: BLE001 - closing twice, or from another thread mid-read
            pass
