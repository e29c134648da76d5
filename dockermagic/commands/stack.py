"""stack deploy/ls/ps/services/rm: a compose file deployed as swarm services, one spec each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from ..errors import CommandError
from .common_options import FILTER, Filters
from .grammar import Positional, flag, refused, repeated, value
from .registry import command
from .swarm import TaskListing

RESOLVE_IMAGE = ("always", "changed", "never")
STACK = Positional("stack")


def orchestrator(text: str) -> str:
    """docker.io 20.10's ``--orchestrator``: Kubernetes stacks went with its removal from the CLI."""
    if text != "swarm":
        raise ValueError("only swarm stacks exist here (Kubernetes stacks are gone from current CLIs)")
    return text


def resolve_image(text: str) -> str:
    if text not in RESOLVE_IMAGE:
        raise ValueError('use "always", "changed" or "never"')
    return text


ORCHESTRATOR = value("--orchestrator", help="Orchestrator to use (swarm)", convert=orchestrator)


@command(
    "stack deploy",
    "Deploy a new stack or update an existing stack",
    aliases=("stack up",),
    options=[
        refused("--with-registry-auth", reason="%docker sends no registry credentials to the swarm's agents"),
    ],
)
@dataclass(frozen=True)
class StackDeploySpec:
    stack: Annotated[str, STACK]
    compose_files: Annotated[
        tuple[str, ...],
        repeated(
            "-c",
            "--compose-file",
            help="Path to a Compose file (several are merged, as compose merges them)",
            metavar="strings",
        ),
    ] = ()
    detach: Annotated[
        bool,
        flag("-d", "--detach", help="Exit immediately instead of waiting for the stack services to converge"),
    ] = True
    orchestrator: Annotated[str | None, ORCHESTRATOR] = None
    prune: Annotated[bool, flag("--prune", help="Prune services that are no longer referenced")] = False
    quiet: Annotated[bool, flag("-q", "--quiet", help="Suppress progress output")] = False
    resolve_image: Annotated[
        str,
        value(
            "--resolve-image",
            help='Query the registry to resolve image digest ("always", "changed", "never")',
            convert=resolve_image,
        ),
    ] = "always"

    def __post_init__(self) -> None:
        if not self.compose_files:
            raise CommandError("stack deploy needs -c FILE: the compose file to deploy (-c again for more).")
        if "-" in self.compose_files:
            raise CommandError(
                "stack deploy -c -: a notebook has no stdin; write the file and give its path."
            )


@command("stack ls", "List stacks", aliases=("stack list",))
@dataclass(frozen=True)
class StackLsSpec:
    format: Annotated[str | None, value("--format", help="Format output using a custom template")] = None
    orchestrator: Annotated[str | None, ORCHESTRATOR] = None


@command("stack ps", "List the tasks in the stack")
@dataclass(frozen=True)
class StackPsSpec(TaskListing):
    stack: Annotated[str, STACK] = ""
    orchestrator: Annotated[str | None, ORCHESTRATOR] = None


@command("stack services", "List the services in the stack")
@dataclass(frozen=True)
class StackServicesSpec:
    stack: Annotated[str, STACK]
    filters: Annotated[Filters, FILTER] = ()
    format: Annotated[str | None, value("--format", help="Format output using a custom template")] = None
    orchestrator: Annotated[str | None, ORCHESTRATOR] = None
    quiet: Annotated[bool, flag("-q", "--quiet", help="Only display IDs")] = False


@command("stack rm", "Remove one or more stacks", aliases=("stack remove", "stack down"))
@dataclass(frozen=True)
class StackRmSpec:
    stacks: Annotated[tuple[str, ...], Positional("stack", many=True)]
    detach: Annotated[bool, flag("-d", "--detach", help="Do not wait for stack removal")] = True
    orchestrator: Annotated[str | None, ORCHESTRATOR] = None
