"""The people who act: users, their case roles, and who stands behind a request.

A user has a unique name and case roles (``analyst``, ``approver``); API keys belong to users
(:mod:`proscribe.api.auth`). Four-eyes compares people, never names: an :class:`Actor` carries
the user id and the *controllers* of the credential it acted with (the key's user and, for a
key minted through the API by someone else, that minter). An approval is refused
(:func:`four_eyes_refusal`) when the approver is the requester (a second key of the same user is
the same person), when the approving key was minted by the requester (an admin minting a key
for an approver and approving), or when the request was made with a key the approver minted.

The CLI acts as ``--as NAME`` (local operators with access to the store): that name is looked up
as a user.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, insert, select, update

from proscribe import audit
from proscribe.store.db import connect
from proscribe.store.service_tables import _now, new_user_id, users

CASE_ROLES = ("analyst", "approver")
NAME_MAX = 100


class UserError(ValueError):
    """A user name or role that cannot be accepted."""


@dataclass(frozen=True)
class Actor:
    """Who acts: the user's name (recorded, shown), their id (compared), the key used, and every
    user in control of that key."""

    name: str
    user_id: str | None = None  # None: not a registered user (system, no-auth, an unknown CLI name)
    key_id: str | None = None
    controllers: frozenset[str] = field(default_factory=frozenset)

    def __str__(self) -> str:
        return self.name

    def selves(self) -> frozenset[str]:
        """The identities of the person acting: the user id and the name (names are unique, so
        the name stands for the user too; older case rows recorded only the name)."""
        return frozenset({*([self.user_id] if self.user_id else []), f"name:{self.name}"})

    def people(self) -> frozenset[str]:
        """Everyone in control of the credential used: the person and the key's minter."""
        return frozenset({*self.controllers, *self.selves()})

    def minters(self) -> frozenset[str]:
        return frozenset(self.controllers) - self.selves()

    def audit_fields(self) -> dict:
        return {"by_user": self.name, "by_user_id": self.user_id, "by_key_id": self.key_id}


def check_name(value: str, what: str = "name", max_length: int = NAME_MAX) -> str:
    """``value`` stripped; refused when empty, too long, or holding control, format, separator or
    surrogate characters (they hide or fake what a reader sees in the audit trail)."""
    if not isinstance(value, str):
        raise UserError(f"{what}: must be text")
    text = value.strip()
    if not text:
        raise UserError(f"{what}: must not be empty")
    if len(text) > max_length:
        raise UserError(f"{what}: longer than {max_length} characters")
    for position, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            raise UserError(
                f"{what}: character {position + 1} (U+{ord(ch):04X}) is a control or invisible character"
            )
    return text


def _roles(value: str | None) -> set[str]:
    return {r for r in (value or "").split(",") if r}


def get(conn: Connection, *, name: str | None = None, user_id: str | None = None):
    query = select(users)
    query = query.where(users.c.id == user_id) if user_id else query.where(users.c.name == name)
    return conn.execute(query).first()


def ensure(conn: Connection, name: str, *, created_by: str) -> tuple[str, bool]:
    """The id of the user ``name``, created (without case roles) when missing; (id, created)."""
    name = check_name(name, "user")
    row = get(conn, name=name)
    if row is not None:
        return row.id, False
    user_id = new_user_id()
    conn.execute(
        insert(users).values(id=user_id, name=name, roles="", created_at=_now(), created_by=created_by)
    )
    return user_id, True


def set_roles(
    name: str, roles: list[str], *, actor: Actor | str = "system", engine: Engine | None = None
) -> str:
    """Create the user ``name`` or set their case roles; audited with who did it. The user's id."""
    bad = [r for r in roles if r not in CASE_ROLES]
    if bad or not roles:
        raise UserError(f"roles must be among {', '.join(CASE_ROLES)} (got {', '.join(roles) or 'none'})")
    name = check_name(name, "user")
    who = actor if isinstance(actor, Actor) else Actor(str(actor))
    engine = engine or connect()
    with engine.begin() as conn:
        row = get(conn, name=name)
        value = ",".join(sorted(set(roles)))
        if row is None:
            user_id = new_user_id()
            conn.execute(
                insert(users).values(
                    id=user_id, name=name, roles=value, created_at=_now(), created_by=who.name
                )
            )
        else:
            user_id = row.id
            conn.execute(update(users).where(users.c.id == user_id).values(roles=value))
        audit.append(
            "config.user_roles",
            who.name,
            {
                "user": name,
                "user_id": user_id,
                "roles": sorted(set(roles)),
                "before": row.roles if row is not None else None,
                **who.audit_fields(),
            },
            conn=conn,
        )
    return user_id


def roles_of(conn: Connection, user_id: str | None) -> set[str]:
    if not user_id:
        return set()
    row = get(conn, user_id=user_id)
    return _roles(row.roles) if row is not None else set()


def list_users(*, engine: Engine | None = None) -> list[dict]:
    engine = engine or connect()
    with engine.connect() as conn:
        rows = conn.execute(select(users).order_by(users.c.created_at, users.c.id)).all()
    return [
        {
            "id": r.id,
            "name": r.name,
            "roles": sorted(_roles(r.roles)),
            "created_at": r.created_at,
            "created_by": r.created_by,
        }
        for r in rows
    ]


def resolve(conn: Connection, actor: Actor | str) -> Actor:
    """An :class:`Actor` for ``actor``: a bare name (the CLI's ``--as``) is looked up as a user."""
    if isinstance(actor, Actor):
        return actor
    name = str(actor)
    row = get(conn, name=name)
    if row is None:
        return Actor(name)
    return Actor(name, row.id, None, frozenset({row.id}))


def four_eyes_refusal(
    approver: Actor, requester_name: str | None, requester_id: str | None, requester_people: frozenset[str]
) -> str | None:
    """Why ``approver`` may not approve what the requester asked, or None. Refused: the same
    user (another key of theirs included); an approving key minted by the requester; a request
    made with a key the approver minted. Two keys an admin minted for two other users are two
    people (provisioning), and the audit trail names that admin."""
    requester_self = {f"name:{requester_name}"} if requester_name else set()
    if requester_id:
        requester_self.add(requester_id)
    if approver.selves() & requester_self:
        return "is the same person"
    if approver.selves() & requester_people:
        return "minted the key the request was made with"
    if approver.minters() & requester_self:
        return "uses a key minted by the person who asked"
    return None


def controllers_json(actor: Actor) -> str:
    return json.dumps(sorted(actor.people()))


def controllers_of(value: str | None, fallback_name: str | None) -> frozenset[str]:
    """The requester's people from a case row (older rows knew only the name)."""
    if value:
        return frozenset(json.loads(value))
    return frozenset({f"name:{fallback_name}"}) if fallback_name else frozenset()
