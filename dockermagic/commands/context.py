"""context ls/create/use/inspect/rm/show/update/export/import: one spec per command.

The contexts are the docker CLI's own (its files under ``$DOCKER_CONFIG``), so each command reads
as the CLI's does; the Kubernetes flags of docker.io's 20.10 CLI are refused by name.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Annotated

from ..errors import CommandError
from .grammar import Option, Positional, flag, refused, repeated, value
from .registry import command

# The keys ``--docker`` takes, in the order the CLI's help lists them.
DOCKER_KEYS = ("from", "host", "ca", "cert", "key", "skip-tls-verify")

KUBERNETES = "Kubernetes endpoints and stack orchestrators went with the docker CLI 23.0; %docker drives Docker engines"


def _kubernetes_flags() -> list[Option]:
    return [
        refused("--kubernetes", reason=KUBERNETES),
        refused("--default-stack-orchestrator", reason=KUBERNETES),
    ]


def endpoint_pairs(entries: list[str]) -> tuple[tuple[str, str], ...]:
    """``--docker host=tcp://h:2376,ca=ca.pem`` (a ``stringToString`` flag: comma-separated, quotes
    honoured, several flags merged, the last value of a key winning) -> ``(key, value)`` pairs."""
    found: dict[str, str] = {}
    for entry in entries:
        try:
            items = next(csv.reader([entry], strict=True), [])
        except csv.Error as exc:
            raise CommandError(f'invalid argument "{entry}" for "--docker" flag: {exc}.') from None
        for item in items or [""]:
            key, eq, val = item.partition("=")
            if not eq:
                raise CommandError(
                    f'invalid argument "{entry}" for "--docker" flag: {item} must be formatted as key=value '
                    "(keys: " + ", ".join(DOCKER_KEYS) + ")."
                )
            found[key] = val
    return tuple(found.items())


DOCKER = repeated(
    "--docker",
    help="set the docker endpoint: " + ",".join(f"{k}=..." for k in DOCKER_KEYS),
    metavar="stringToString",
    freeze=endpoint_pairs,
)
DESCRIPTION = value("--description", help="Description of the context")
Names = Annotated[tuple[str, ...], Positional("context", many=True)]
CONTEXT_NAMES = ("context",)  # what their arguments complete with: the contexts' names


@command("context ls", "List contexts", aliases=("context list",))
@dataclass(frozen=True)
class ContextLsSpec:
    format: Annotated[str | None, value("--format", help="Format output using a custom template")] = None
    quiet: Annotated[bool, flag("-q", "--quiet", help="Only show context names")] = False


@command("context create", "Create a context", _kubernetes_flags())
@dataclass(frozen=True)
class ContextCreateSpec:
    name: Annotated[str, Positional("context")]
    description: Annotated[str, DESCRIPTION] = ""
    docker: Annotated[tuple[tuple[str, str], ...], DOCKER] = ()
    source: Annotated[str, value("--from", help="create context from a named context")] = ""


@command("context update", "Update a context", _kubernetes_flags(), completes=CONTEXT_NAMES)
@dataclass(frozen=True)
class ContextUpdateSpec:
    name: Annotated[str, Positional("context")]
    description: Annotated[str, DESCRIPTION] = ""
    docker: Annotated[tuple[tuple[str, str], ...], DOCKER] = ()


@command(
    "context use",
    "Set the current docker context (the next command uses its engine)",
    completes=CONTEXT_NAMES,
)
@dataclass(frozen=True)
class ContextUseSpec:
    name: Annotated[str, Positional("context")]


@command("context show", "Print the name of the current context")
@dataclass(frozen=True)
class ContextShowSpec:
    pass


@command("context inspect", "Display detailed information on one or more contexts", completes=CONTEXT_NAMES)
@dataclass(frozen=True)
class ContextInspectSpec:
    names: Annotated[tuple[str, ...], Positional("context", required=False, many=True)] = ()
    format: Annotated[str | None, value("-f", "--format", help="Format output using a custom template")] = (
        None
    )


@command("context rm", "Remove one or more contexts", aliases=("context remove",), completes=CONTEXT_NAMES)
@dataclass(frozen=True)
class ContextRmSpec:
    names: Names
    force: Annotated[bool, flag("-f", "--force", help="Force the removal of a context in use")] = False


@command(
    "context export",
    "Export a context to a tar archive FILE (default CONTEXT.dockercontext), or return it with '-'",
    [refused("--kubeconfig", reason=KUBERNETES)],
    completes=CONTEXT_NAMES,
)
@dataclass(frozen=True)
class ContextExportSpec:
    name: Annotated[str, Positional("context")]
    file: Annotated[str | None, Positional("file", required=False)] = None


@command("context import", "Import a context from a tar or zip file")
@dataclass(frozen=True)
class ContextImportSpec:
    name: Annotated[str, Positional("context")]
    file: Annotated[str, Positional("file")]

    def __post_init__(self) -> None:
        if self.file == "-":
            raise CommandError(
                "context import: a notebook cell has no stdin to read the archive from: "
                "give the archive's file name (%docker context export NAME FILE writes one)."
            )
