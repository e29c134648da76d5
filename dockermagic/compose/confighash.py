"""A service's config hash: what ``up`` compares to decide whether a container is still current.

As compose's, it leaves out what changes no container (build settings, replicas, depends_on,
profiles): scaling or reordering keeps containers; any other change recreates them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace

from .model import Service

_NEUTRAL = {"build": None, "replicas": 1, "depends_on": (), "profiles": ()}


def config_hash(service: Service) -> str:
    data = asdict(replace(service, **_NEUTRAL))  # type: ignore[arg-type]
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
