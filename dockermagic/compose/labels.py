"""The labels docker compose v2 reads, and the names it gives containers: shared, so that
``docker compose -p NAME ps/down`` manages a stack made here and the other way round."""

from __future__ import annotations

PROJECT = "com.docker.compose.project"
SERVICE = "com.docker.compose.service"
NUMBER = "com.docker.compose.container-number"
ONEOFF = "com.docker.compose.oneoff"
CONFIG_HASH = "com.docker.compose.config-hash"
WORKING_DIR = "com.docker.compose.project.working_dir"
CONFIG_FILES = "com.docker.compose.project.config_files"
ENVIRONMENT_FILE = "com.docker.compose.project.environment_file"
VERSION = "com.docker.compose.version"
DEPENDS_ON = "com.docker.compose.depends_on"
IMAGE = "com.docker.compose.image"
NETWORK = "com.docker.compose.network"
VOLUME = "com.docker.compose.volume"
SLUG = "com.docker.compose.slug"

# The compose version these labels follow (what docker compose compares to its own).
COMPOSE_VERSION = "2.40.3"


def container_name(project: str, service: str, number: int) -> str:
    """``PROJECT-SERVICE-N``, compose v2's name for a service's N-th container."""
    return f"{project}-{service}-{number}"
