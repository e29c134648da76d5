"""Image references (``[registry/]repository[:tag][@digest]``), as the engine reads them.

A reference's first component is a registry host when it has a ``.`` or a
``:`` or is ``localhost`` (the distribution library's rule); a colon after
the last ``/`` starts a tag; no tag and no digest means ``latest``.
"""

from __future__ import annotations


def split(ref: str) -> tuple[str, str]:
    """``repo[:tag][@digest]`` -> (repository, tag or digest); a registry's port is not a tag.

    ``debian`` -> ("debian", "latest"); ``host:5000/x`` -> ("host:5000/x", "latest");
    ``x@sha256:ab`` -> ("x", "sha256:ab"); ``<none>:<none>`` -> ("<none>", "<none>").
    """
    if "@" in ref:
        repository, digest = ref.split("@", 1)
        return repository, digest
    if ":" in ref.rsplit("/", 1)[-1]:
        repository, tag = ref.rsplit(":", 1)
        return repository, tag
    return ref, "latest"


def familiar(ref: str) -> str:
    """A reference as the docker CLI shows it: ``docker.io/library/x:1`` -> ``x:1``,
    ``docker.io/u/x`` -> ``u/x`` (Podman's engine sends the full names, Docker's the short ones)."""
    for prefix in ("docker.io/library/", "docker.io/"):
        if ref.startswith(prefix) and len(ref) > len(prefix):
            return ref[len(prefix) :]
    return ref


def with_tag(ref: str) -> str:
    """``ref`` with ``:latest`` added when it names neither a tag nor a digest."""
    if "@" in ref or ":" in ref.rsplit("/", 1)[-1]:
        return ref
    return f"{ref}:latest"


def registry_host(ref: str) -> str | None:
    """The registry host a reference names (``127.0.0.1:5000``), or None for Docker Hub."""
    first, slash, _ = ref.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        return first
    return None
