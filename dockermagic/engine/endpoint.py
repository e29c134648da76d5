"""Where an engine is and how to reach it: what the client is made from.

An address alone does not say how to connect: a ``tcp://`` engine may want TLS
(from ``DOCKER_TLS_VERIFY``/``DOCKER_CERT_PATH``, or from a docker context's
stored material), and every error names where the address came from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TLSFiles:
    """PEM files for a TLS connection; ``verify`` checks the engine's certificate against ``ca``."""

    ca: str | None = None
    cert: str | None = None
    key: str | None = None
    verify: bool = True


@dataclass(frozen=True)
class Endpoint:
    """An engine's address (``unix://``, ``tcp://``, ``ssh://``), its TLS material, and its origin."""

    host: str
    origin: str  # "DOCKER_HOST", "the docker context NAME", ...: named in every engine error
    tls: TLSFiles | None = None

    @property
    def where(self) -> str:
        return f"{self.host} (from {self.origin})"
