"""SQLAlchemy URLs for database containers (MySQL, MariaDB, Postgres), from their environment.

The URL is a ``str`` (``%sql``, ``create_engine`` and pandas take it as it is) whose displays
mask the password, as SQLAlchemy's own URL object does: text, pretty and HTML reprs alike.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..secrets import MASK

# (kind, default port, SQLAlchemy dialect+driver, env prefixes in order of preference)
KINDS = (
    ("mariadb", 3306, "mysql+pymysql", ("MARIADB_", "MYSQL_")),
    ("mysql", 3306, "mysql+pymysql", ("MYSQL_", "MARIADB_")),
    ("postgres", 5432, "postgresql", ("POSTGRES_",)),
)


class DatabaseURL(str):
    """A connection URL; ``str(url)`` is the real one, every display shows ``masked``."""

    masked: str

    def __new__(cls, url: str, masked: str) -> DatabaseURL:
        made = super().__new__(cls, url)
        made.masked = masked
        return made

    def __repr__(self) -> str:
        return repr(self.masked)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(self.masked)

    def _repr_html_(self) -> str:
        from html import escape

        return f"<code>{escape(self.masked)}</code>"


def _env(doc: dict[str, Any]) -> dict[str, str]:
    out = {}
    for entry in (doc.get("Config") or {}).get("Env") or []:
        key, _, value = entry.partition("=")
        out[key] = value
    return out


def kind_of(doc: dict[str, Any]) -> tuple[str, int, str, tuple[str, ...]] | None:
    """Which database a container runs, from its image name or its environment; None if none."""
    image = str((doc.get("Config") or {}).get("Image") or "").lower()
    env = _env(doc)
    for kind in KINDS:
        if kind[0] in image.rsplit("/", 1)[-1].split(":")[0]:
            return kind
    for kind in KINDS:
        if any(key.startswith(prefix) for key in env for prefix in kind[3]):
            return kind
    return None


def _pick(env: dict[str, str], prefixes: tuple[str, ...], *names: str) -> str | None:
    for prefix in prefixes:
        for name in names:
            if env.get(prefix + name):
                return env[prefix + name]
    return None


def database_url(doc: dict[str, Any], host: str, port: int) -> DatabaseURL:
    """The URL for the database a container runs, reached at ``host:port``."""
    found = kind_of(doc)
    if found is None:
        raise KeyError("not a MySQL, MariaDB or Postgres container: pass the port, e.g. .url(8080)")
    kind, _, dialect, prefixes = found
    env = _env(doc)
    if kind == "postgres":
        user = _pick(env, prefixes, "USER") or "postgres"
        password = _pick(env, prefixes, "PASSWORD") or ""
        database = _pick(env, prefixes, "DB") or user
    else:
        named = _pick(env, prefixes, "USER")
        if named:
            user, password = named, _pick(env, prefixes, "PASSWORD") or ""
        else:
            user, password = "root", _pick(env, prefixes, "ROOT_PASSWORD") or ""
        database = _pick(env, prefixes, "DATABASE") or ""
    where = f"@{host}:{port}/{quote(database, safe='')}"
    secret = f":{quote(password or '', safe='')}" if password else ""
    shown = f":{MASK}" if password else ""
    return DatabaseURL(
        f"{dialect}://{quote(user, safe='')}{secret}{where}",
        f"{dialect}://{quote(user, safe='')}{shown}{where}",
    )
