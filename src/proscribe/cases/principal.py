"""Who acts from the command line: an authenticated principal, never a name typed in a flag.

A name in a flag (the former ``--as``) let anyone at the shell act as anyone, and so approve
their own case and defeat four-eyes. A CLI action that changes a case, a payment, a customer,
the audit trail, a user or a key now acts as one of:

1. ``PROSCRIBE_API_KEY``: a key verified against the store's salted hashes, exactly as the
   service verifies it; the actor is the key's user, with the key's role. A key that is set but
   unknown or revoked is refused: there is no falling back to the OS user.
2. The OS user of the process (the login of its real uid, from the password database, not from
   ``USER``/``LOGNAME``, which anyone can set), mapped to a proscribe user in
   ``$PROSCRIBE_HOME/os_users.toml``::

       [os_users]
       alice = "alice"                                 # role analyst
       ops = { user = "operations", role = "admin" }

   The file must not be writable by group or others. An OS user not in it cannot act.

The role check (:func:`proscribe.api.auth.role_refusal`) is the one the service's gate applies to
a key, and the four-eyes and approver checks are those of :mod:`proscribe.cases.alerts`, so the
shell, the API and the UI enforce the same rules.
"""

from __future__ import annotations

import os
import pwd
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from proscribe import audit, settings
from proscribe.api import auth
from proscribe.cases import users as people
from proscribe.store.db import connect

KEY_ENV = "PROSCRIBE_API_KEY"
MAPPING_FILE = "os_users.toml"
DEFAULT_OS_ROLE = "analyst"


class PrincipalError(PermissionError):
    """No authenticated principal, or one whose role may not do what was asked."""


@dataclass(frozen=True)
class Principal:
    """An authenticated actor and the access role it holds (a key's role, or the mapping's)."""

    actor: people.Actor
    role: str
    how: str  # "API key <id>" or "OS user <login>": said in refusals

    def require(self, needed: str, action: str) -> people.Actor:
        """The actor, when its role reaches ``needed``; else :class:`PrincipalError`."""
        refusal = auth.role_refusal(self.role, needed, action)
        if refusal:
            raise PrincipalError(f"{self.actor.name} ({self.how}): {refusal}")
        return self.actor


def os_login() -> str:
    """The login name of the process's real uid (environment variables are not consulted)."""
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        raise PrincipalError(f"the OS user with uid {uid} has no login name; set {KEY_ENV}") from None


def mapping_file() -> Path:
    return settings.home() / MAPPING_FILE


def read_mapping(path: Path) -> dict[str, tuple[str, str]]:
    """OS login -> (proscribe user name, role) from ``path``; refused when others may write it
    or an entry is malformed (a broken mapping must not quietly admit or drop anyone)."""
    mode = path.stat().st_mode
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise PrincipalError(f"{path}: writable by group or others; make it 0600 or 0644 (chmod go-w)")
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise PrincipalError(f"{path}: not valid TOML: {exc}") from None
    table = data.get("os_users")
    if not isinstance(table, dict):
        raise PrincipalError(f"{path}: needs an [os_users] table of OS login = proscribe user")
    mapping: dict[str, tuple[str, str]] = {}
    for login, entry in table.items():
        if isinstance(entry, str):
            user, role = entry, DEFAULT_OS_ROLE
        elif isinstance(entry, dict) and isinstance(entry.get("user"), str):
            user, role = entry["user"], entry.get("role", DEFAULT_OS_ROLE)
            unknown = sorted(set(entry) - {"user", "role"})
            if unknown:
                raise PrincipalError(f"{path}: os_users.{login}: unknown field(s) {', '.join(unknown)}")
        else:
            raise PrincipalError(f"{path}: os_users.{login}: a user name or {{ user = ..., role = ... }}")
        if role not in auth.ROLES:
            raise PrincipalError(
                f"{path}: os_users.{login}: unknown role {role!r}; use one of {', '.join(auth.ROLES)}"
            )
        try:
            mapping[login] = (people.check_name(user, f"os_users.{login}"), role)
        except people.UserError as exc:
            raise PrincipalError(f"{path}: {exc}") from None
    return mapping


def _from_key(key: str, engine: Engine) -> Principal:
    info = auth.verify_key(key.strip(), engine=engine)
    if info is None:
        raise PrincipalError(f"{KEY_ENV} is not a valid key (unknown, malformed or revoked)")
    return Principal(info.actor(), info.role, f"API key {info.id}")


def _from_os_user(engine: Engine) -> Principal:
    login = os_login()
    path = mapping_file()
    if not path.is_file():
        raise PrincipalError(
            f"OS user {login!r} is not mapped to a proscribe user: set {KEY_ENV} to your key, or "
            f"map the login in {path} ([os_users] {login} = \"<user>\")"
        )
    entry = read_mapping(path).get(login)
    if entry is None:
        raise PrincipalError(
            f"OS user {login!r} is not mapped to a proscribe user in {path}; set {KEY_ENV} or add it"
        )
    name, role = entry
    with engine.begin() as conn:
        user_id, created = people.ensure(conn, name, created_by=f"{MAPPING_FILE}:{login}")
        if created:
            audit.append(
                "user.created",
                f"{MAPPING_FILE}:{login}",
                {"user": name, "user_id": user_id, "os_user": login, "by_user": None},
                conn=conn,
            )
    actor = people.Actor(name, user_id, None, frozenset({user_id}))
    return Principal(actor, role, f"OS user {login}")


def current(engine: Engine | None = None) -> Principal:
    """The principal this process acts as: ``PROSCRIBE_API_KEY``'s user, else the mapped OS user."""
    engine = engine or connect()
    key = os.environ.get(KEY_ENV)
    if key is not None and key.strip():
        return _from_key(key, engine)
    return _from_os_user(engine)
