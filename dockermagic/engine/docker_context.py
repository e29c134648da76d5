"""The active docker context's engine address, chosen as the docker CLI chooses it.

``DOCKER_CONTEXT`` first, then ``currentContext`` in the config file
(``DOCKER_CONFIG``, default ``~/.docker``); ``default`` means no context.
The SDK's own "current context" reads only the config file, so the context is
looked up by name here.
"""

from __future__ import annotations

import json
import os


def active_context_name() -> str:
    if os.environ.get("DOCKER_CONTEXT"):
        return os.environ["DOCKER_CONTEXT"]
    config = os.path.join(os.environ.get("DOCKER_CONFIG", os.path.expanduser("~/.docker")), "config.json")
    try:
        with open(config, encoding="utf-8") as f:
            return json.load(f).get("currentContext") or "default"
    except (OSError, ValueError, AttributeError):
        return "default"


def active_context_host() -> str | None:
    """The endpoint of the active context, or None for the default one."""
    name = active_context_name()
    if name == "default":
        return None
    try:
        from docker.context import ContextAPI

        context = ContextAPI.get_context(name)
    except Exception:  # a broken context file must not stop the default socket
        return None
    return context.Host if context is not None else None
