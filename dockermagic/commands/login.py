"""``login [-u USER] [-p PASS | --password-stdin] [SERVER]`` and ``logout [SERVER]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from ..errors import CommandError
from .grammar import Positional, flag, value
from .registry import command


@command("login", "Log in to a registry (credentials stored where the docker CLI keeps them)")
@dataclass(frozen=True, repr=False)
class LoginSpec:
    server: Annotated[str | None, Positional("server", required=False)] = None
    username: Annotated[str | None, value("-u", "--username", help="Username")] = None
    password: Annotated[
        str | None,
        value(
            "-p",
            "--password",
            help="Password (written out: insecure, it warns; -p {variable} takes a kernel variable)",
        ),
    ] = None
    password_stdin: Annotated[
        bool,
        flag(
            "--password-stdin",
            help="Take the password from stdin: in a notebook, a prompt that does not echo",
        ),
    ] = False

    def __post_init__(self) -> None:
        if self.password is not None and self.password_stdin:
            raise CommandError("--password and --password-stdin are mutually exclusive: use one.")
        if self.password is not None and self.password == "":
            raise CommandError("login -p: the password is empty.")

    def __repr__(self) -> str:  # the password never reaches a repr, a log or a traceback
        shown = "••••••" if self.password else None
        return f"LoginSpec(server={self.server!r}, username={self.username!r}, password={shown!r})"


@command("logout", "Log out from a registry (its stored credentials removed)")
@dataclass(frozen=True)
class LogoutSpec:
    server: Annotated[str | None, Positional("server", required=False)] = None
