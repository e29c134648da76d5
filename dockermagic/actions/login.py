"""``login`` and ``logout``: the engine checks the credentials, then they are kept (or forgotten)
where the docker CLI keeps them, so that the CLI and ``%docker push``/``pull`` both use them.

The password is never echoed or shown: ``--password-stdin`` (and no password at all) asks for it
with a prompt that does not echo, as the CLI reads a terminal; ``-p {variable}`` (or ``-p $VAR``)
takes a kernel variable (or the environment's), which never appears in the cell. ``-p`` with the
password written out warns, as the CLI does.
"""

from __future__ import annotations

import getpass

from ..commands.login import LoginSpec, LogoutSpec
from ..engine import login as engine
from ..errors import DockerMagicError
from ..views.base import Text
from . import perform

PASSWORD_WARNING = "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n"


def _prompt(username: str, key: str) -> str:
    try:
        password = getpass.getpass(f"Password for {username} at {key}: ")
    except Exception:  # noqa: BLE001 - a front end that takes no input (nbval, a script)
        raise DockerMagicError(
            "login: this front end cannot prompt for a password; pass a kernel variable with "
            "-p {variable} (read it with getpass.getpass() in a cell of its own)."
        ) from None
    if not password:
        raise DockerMagicError("login: the password is empty.")
    return password


@perform.register
def _login(spec: LoginSpec, session):
    key = engine.server_key(spec.server)
    username, password = spec.username, spec.password
    if password is not None and not getattr(password, "from_value", False):
        session.err(PASSWORD_WARNING)  # written in the cell; -p {variable} or $VAR keeps it out
    if not username and password is None and not spec.password_stdin:
        kept = engine.stored(spec.server)  # the CLI's login with nothing given tries what is kept
        if kept["username"] and (kept["password"] or kept["identitytoken"]):
            session.out("Authenticating with existing credentials...\n")
            engine.login(session.api, key, kept["username"], kept["password"] or kept["identitytoken"])
            return Text("Login Succeeded")
    if not username:
        raise DockerMagicError("login needs -u USERNAME (a notebook cell has no terminal to ask on).")
    if password is None:
        password = _prompt(username, key)
    answer = engine.login(session.api, key, username, password)
    where = engine.save(key, username, password, answer.get("IdentityToken") or None)
    if where == engine.config_path():
        session.err(
            f"WARNING! Your credentials are stored unencrypted in '{where}'.\n"
            "Configure a credential helper to remove this warning.\n\n"
        )
    return Text("Login Succeeded")


@perform.register
def _logout(spec: LogoutSpec, session):
    key = engine.server_key(spec.server)
    if not engine.erase(key):
        return Text(f"Not logged in to {key}")
    return Text(f"Removing login credentials for {key}")
