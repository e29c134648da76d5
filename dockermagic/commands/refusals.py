"""Reasons several families give for refusing a flag of the CLI's by name.

A flag that current CLIs send to engines newer than the one ``%docker`` is written for (Engine API
1.41, docker.io 20.10's engine) is refused, saying which API version it needs, rather than sent
to an engine that would ignore it.
"""

from __future__ import annotations

from ..errors import CommandError
from .grammar import Option, flag, refused

ENGINE_API = "1.41"


def needs_api(*names: str, version: str, instead: str) -> Option:
    """``names``: a flag that needs Engine API ``version``; ``instead``: what to write now."""
    return refused(
        *names,
        reason=f"it needs Engine API {version} or later, and %docker is written for API {ENGINE_API}; {instead}",
    )


def swarm_cluster_volume(name: str) -> Option:
    """A flag of the CLI's cluster (CSI) volumes, which only a swarm manager has."""
    return refused(
        name,
        reason="cluster volumes need a swarm manager (docker swarm init) and Engine API 1.42 or later; "
        "%docker manages local volumes",
    )


# Content trust (image signatures checked against a Notary server) is the CLI's, not the engine's:
# the flag's default, skipping verification, is what %docker does.
CONTENT_TRUST = flag(
    "--disable-content-trust",
    help="Skip image verification (the default; --disable-content-trust=false is refused)",
)


def verified_content_refused(disabled: bool) -> None:
    """``--disable-content-trust=false`` asks for signature checks, which %docker cannot make."""
    if not disabled:
        raise CommandError(
            "--disable-content-trust=false asks for content trust (image signatures checked with a "
            "Notary server), which %docker does not do: leave the flag out, or use the docker CLI."
        )
