"""Options that several commands take together, declared once as a group its specs derive from.

A spec takes a group as a base class (``class RunSpec(HealthCheck)``): the group's fields are the
spec's own, read flat (``spec.health_cmd``). ``--help`` lists options in the CLI's order, by long
name, so where a group's fields come in a spec changes nothing a user sees. The groups are
keyword-only, so that a spec's positional fields still come first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from .common_options import (
    CPU_SHARES,
    CPUSET_CPUS,
    CPUSET_MEMS,
    HEALTH_CMD,
    HEALTH_INTERVAL,
    HEALTH_RETRIES,
    HEALTH_TIMEOUT,
    ISOLATION,
    MEMORY,
    NO_HEALTHCHECK,
)


@dataclass(frozen=True, kw_only=True)
class HealthCheck:
    """The container's health check (run, create, service create/update). Each words its
    ``--health-start-period`` its own way, as the CLI does, so it is not in the group."""

    health_cmd: Annotated[str | None, HEALTH_CMD] = None
    health_interval: Annotated[int | None, HEALTH_INTERVAL] = None
    health_retries: Annotated[int | None, HEALTH_RETRIES] = None
    health_timeout: Annotated[int | None, HEALTH_TIMEOUT] = None
    no_healthcheck: Annotated[bool, NO_HEALTHCHECK] = False


@dataclass(frozen=True, kw_only=True)
class ContainerResources:
    """The CPUs, memory and isolation a container gets (run, create), and so do a build's RUN steps
    (build). Their ``--cpu-period``/``--cpu-quota`` are worded apart in the CLI, so they are not here."""

    cpu_shares: Annotated[int | None, CPU_SHARES] = None
    cpuset_cpus: Annotated[str | None, CPUSET_CPUS] = None
    cpuset_mems: Annotated[str | None, CPUSET_MEMS] = None
    memory: Annotated[int | None, MEMORY] = None
    isolation: Annotated[str | None, ISOLATION] = None
