"""Tables of the screening service: users, API keys and the screening record.

``users`` holds the people who act (unique name, case roles ``analyst``/``approver``); every API
key belongs to one user (``api_keys.user_id``) and remembers who minted it, so that four-eyes can
tell two people apart (two keys of one user are one person; a key minted by X for Y is under the
control of both). ``api_keys`` holds only a salted sha256 of each key's secret (never the secret
itself); key names are unique. ``screenings`` holds one row per screened query: who asked (key
id), when, the query, the list snapshots it ran against, the results, the decision and the
engine version.

Stores written before users existed are migrated when the store is opened
(:func:`_migrate`): missing columns are added, every distinct key name becomes a user, the case
users of ``proscribe cases user`` become users with their roles, duplicate key names are made
unique (``NAME #<key id>``).
"""

from __future__ import annotations

import datetime
import logging
import secrets

from sqlalchemy import (
    Column,
    Connection,
    Float,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    insert,
    select,
    update,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import CreateIndex

from proscribe.store.db import metadata

log = logging.getLogger("proscribe.store")

users = Table(
    "users",
    metadata,
    Column("id", String(32), primary_key=True),  # u_<hex>: never reused, never renamed
    Column("name", String(100), nullable=False),
    Column("roles", String(100), nullable=False, default=""),  # case roles, comma-separated
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(200)),  # who added the user (a user name, "cli:<login>", "migration: ...")
    UniqueConstraint("name", name="uq_users_name"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),  # public part of the key: psk_<id>_<secret>
    Column("name", Text, nullable=False),  # unique (ux_api_keys_name)
    Column("role", String(20), nullable=False),  # screener | analyst | admin
    Column("salt", String(32), nullable=False),
    Column("key_hash", String(64), nullable=False),  # sha256(salt + secret), hex
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
    Column("rate_limit", Float),  # requests per second; NULL: the service default
    Column("user_id", String(32)),  # the user the key belongs to (NULL only before migration)
    Column("created_by_user_id", String(32)),  # who minted it through the API (NULL: the CLI)
    Column("created_by_key_id", String(32)),
)
KEY_NAME_INDEX = Index("ux_api_keys_name", api_keys.c.name, unique=True)
Index("ix_api_keys_user", api_keys.c.user_id)

screenings = Table(
    "screenings",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("key_id", String(32)),  # NULL when the service runs with --no-auth
    Column("created_at", String(32), nullable=False),
    Column("query", Text, nullable=False),  # JSON
    Column("snapshot_ids", Text, nullable=False),  # JSON {dataset: snapshot id}
    Column("results", Text, nullable=False),  # JSON list of results
    Column("decision", String(10), nullable=False),
    Column("engine_version", String(40), nullable=False),
)
Index("ix_screenings_created_at", screenings.c.created_at)
Index("ix_screenings_key_id", screenings.c.key_id)


def new_user_id() -> str:
    return "u_" + secrets.token_hex(8)


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")


#: Tables whose columns grew after their first release: a missing column is added on open.
MIGRATED_TABLES = ("api_keys", "cases", "goodguys")


def _add_missing_columns(conn: Connection) -> None:
    inspector = sa_inspect(conn)
    for name in MIGRATED_TABLES:
        table = metadata.tables.get(name)
        if table is None or not inspector.has_table(name):
            continue
        present = {c["name"] for c in inspector.get_columns(name)}
        for column in table.columns:
            if column.name in present:
                continue
            kind = column.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f'ALTER TABLE {name} ADD COLUMN "{column.name}" {kind}')
            log.info("store migrated: column %s.%s added", name, column.name)


def _unique_key_names(conn: Connection) -> None:
    """Older stores allowed one key name twice: the later keys get ``NAME #<key id>``."""
    seen: set[str] = set()
    for row in conn.execute(
        select(api_keys.c.id, api_keys.c.name).order_by(api_keys.c.created_at, api_keys.c.id)
    ):
        if row.name in seen:
            conn.execute(update(api_keys).where(api_keys.c.id == row.id).values(name=f"{row.name} #{row.id}"))
            log.info("store migrated: key %s renamed (its name was not unique)", row.id)
        seen.add(row.name)


def _user_id_for(conn: Connection, name: str, roles: str, created_by: str) -> str:
    row = conn.execute(select(users.c.id).where(users.c.name == name)).first()
    if row is not None:
        return row.id
    user_id = new_user_id()
    conn.execute(
        insert(users).values(id=user_id, name=name, roles=roles, created_at=_now(), created_by=created_by)
    )
    return user_id


def _users_from_old_data(conn: Connection) -> None:
    from proscribe.cases.store import case_users

    for row in conn.execute(select(case_users)).all():
        existing = conn.execute(select(users.c.id, users.c.roles).where(users.c.name == row.name)).first()
        if existing is None:
            _user_id_for(conn, row.name, row.roles, "migration: case user")
    orphans = conn.execute(select(api_keys.c.id, api_keys.c.name).where(api_keys.c.user_id.is_(None))).all()
    for key in orphans:
        # the key's name was the person (that is what four-eyes trusted): it becomes a user; a
        # renamed duplicate (NAME #id) belongs to the user NAME as well
        base = key.name.rsplit(" #", 1)[0] if key.name.endswith(f" #{key.id}") else key.name
        person = (base.strip() or f"key {key.id}")[:100]
        user_id = _user_id_for(conn, person, "", "migration: key name")
        conn.execute(update(api_keys).where(api_keys.c.id == key.id).values(user_id=user_id))


def _migrate(conn: Connection) -> None:
    _add_missing_columns(conn)
    inspector = sa_inspect(conn)
    indexes = {ix["name"] for ix in inspector.get_indexes("api_keys")}
    if KEY_NAME_INDEX.name not in indexes:
        _unique_key_names(conn)
        conn.execute(CreateIndex(KEY_NAME_INDEX, if_not_exists=True))
    _users_from_old_data(conn)


@event.listens_for(metadata, "after_create")
def _after_create(target, connection, **_kw) -> None:
    """Runs on every ``create_all`` (each time a store is opened): brings an older store's
    tables and data up to the current shape. Concurrent openers may race; the loser's work is
    already done by the winner."""
    try:
        with connection.begin_nested():
            _migrate(connection)
    except IntegrityError:
        log.info("store migration raced with another process; its result is used")
