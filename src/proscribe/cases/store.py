"""Tables of the customer book, ongoing monitoring, alerts and cases, the good-guy list and the
audit log. They live on :data:`proscribe.store.db.metadata`, so :func:`proscribe.store.db.connect`
creates them on SQLite and PostgreSQL alike.

Rows that people change concurrently (cases) carry a ``version`` column: every update is
``... WHERE id = :id AND version = :seen`` and bumps it, so of two analysts acting on the same
case one wins and the other gets a clear conflict (optimistic locking).
"""

from __future__ import annotations

import datetime

from sqlalchemy import Boolean, Column, Float, Index, Integer, String, Table, Text, UniqueConstraint, event

from proscribe.store.db import metadata

#: The firm's customers and counterparties: one row per firm id, the query record as imported.
book_customers = Table(
    "book_customers",
    metadata,
    Column("customer_id", String(200), primary_key=True),  # the firm's own id
    Column("kind", String(20), nullable=False),  # customer | counterparty
    Column("schema", String(30), nullable=False),
    Column("caption", Text, nullable=False),
    Column("record", Text, nullable=False),  # canonical JSON of the DESIGN.md query shape
    Column("record_hash", String(32), nullable=False),
    Column("revision", Integer, nullable=False),  # +1 whenever the record changes
    Column("imported_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("screened_hash", String(32)),  # record_hash at the last completed screening
    Column("screened_at", String(32)),
    Column("active", Boolean, nullable=False, default=True),
)
Index("ix_book_customers_updated_at", book_customers.c.updated_at)

#: What the list side looked like at the end of the last completed monitoring run.
monitor_list_state = Table(
    "monitor_list_state",
    metadata,
    Column("entity_id", String(200), primary_key=True),
    Column("dataset", String(100), nullable=False),
    Column("fingerprint", String(32), nullable=False),
    Column("snapshot_id", Integer),
)

monitor_runs = Table(
    "monitor_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("status", String(20), nullable=False),  # running | completed | failed | abandoned | refused
    Column("mode", String(20), nullable=False),  # full | delta
    Column("host", String(255)),  # where the run's process is (to tell a killed run from a live one)
    Column("pid", Integer),
    Column("snapshots", Text, nullable=False),  # JSON {dataset: snapshot label}
    Column("stats", Text),  # JSON counters
    Column("error", Text),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_kind", String(20), nullable=False),  # customer | payment
    Column("subject_id", String(200), nullable=False),
    Column("state", String(20), nullable=False),  # open | in_review | escalated | pending_approval | closed
    Column("disposition", String(20)),  # true_match | false_positive | inconclusive
    Column("reason", Text),
    Column("assignee", String(100)),
    Column("priority", String(10), nullable=False),  # block | review (the worst alert)
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("closed_at", String(32)),
    Column("closed_by", String(100)),
    Column("approved_by", String(100)),
    # four-eyes: an action waiting for a second person with the approver role
    Column("pending_action", String(20)),  # close_true_match | close_false_positive | release_funds
    Column("pending_by", String(100)),  # the user's name (shown); the check uses the two columns below
    Column("pending_reason", Text),
    Column("pending_user_id", String(32)),  # the user who asked (users.id)
    Column("pending_controllers", Text),  # JSON: every user in control of the asking key (user, minter)
    Column("pending_whitelist", Boolean),  # close_false_positive: whitelist the pairs once approved
    Column("funds_released", Boolean, nullable=False, default=False),
    Column("version", Integer, nullable=False, default=1),
)
Index("ix_cases_subject", cases.c.subject_kind, cases.c.subject_id)
Index("ix_cases_state", cases.c.state)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # sha256(subject, subject record hash, list entity, entity fingerprint): the same pair in the
    # same state raises one alert however often it is screened (re-runs after a crash included)
    Column("alert_key", String(64), nullable=False, unique=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("subject_kind", String(20), nullable=False),
    Column("subject_id", String(200), nullable=False),
    Column("subject_hash", String(32), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("entity_fingerprint", String(32), nullable=False),
    Column("dataset", String(100), nullable=False),
    Column("source_id", String(100)),
    Column("caption", Text),
    Column("decision", String(10), nullable=False),  # block | review
    Column("score", Float, nullable=False),
    Column("snapshot", Text),  # the list snapshot label the result names
    Column("result", Text, nullable=False),  # JSON: the full screening result, explanation included
    Column("trigger", Text, nullable=False),  # why it was raised now
    Column("created_at", String(32), nullable=False),
    Column("state", String(20), nullable=False),  # open | closed
    Column("disposition", String(20)),
)
Index("ix_alerts_pair", alerts.c.subject_id, alerts.c.entity_id)

#: Good-guy list: a (customer record, list entity) pair closed as a false positive, valid while
#: neither side changes (both hashes are kept).
goodguys = Table(
    "goodguys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", String(200), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("subject_hash", String(32), nullable=False),
    Column("entity_fingerprint", String(32), nullable=False),
    Column("subject_record", Text),  # the customer record whitelisted (to say what changed later)
    Column("case_id", Integer),
    Column("created_by", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("lapsed_at", String(32)),
    Column("lapse_reason", Text),
    # a match at or above the block threshold is whitelisted only once an approver agrees: until
    # then the entry is inactive and pending
    Column("pending", Boolean),
    Column("approved_by", String(100)),
)
Index("ix_goodguys_pair", goodguys.c.subject_id, goodguys.c.entity_id)

#: Before users had a table of their own (:data:`proscribe.store.service_tables.users`), the
#: people who work cases and their roles; read once by the store migration, never written.
case_users = Table(
    "case_users",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("roles", String(100), nullable=False),  # comma-separated
    Column("created_at", String(32), nullable=False),
)

#: The hash-chained audit log. ``seq`` is assigned by the appender (previous + 1), never by the
#: database, so a lost or re-ordered record shows as a gap or a broken link.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("ts", String(32), nullable=False),
    Column("event_type", String(50), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("payload", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
Index("ix_audit_ts", audit_log.c.ts)

#: One row per name: ``head`` (the last seq and hash written, updated with every append: a
#: removed tail shows) and ``anchor`` (where the chain starts after a retention purge).
audit_meta = Table(
    "audit_meta",
    metadata,
    Column("name", String(20), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("name", name="uq_audit_meta_name"),
)


@event.listens_for(audit_meta, "after_create")
def _seed_head(target, connection, **_kw) -> None:
    """The head row exists from the start, so concurrent first appends queue on it."""
    connection.execute(target.insert().values(name="head", seq=0, hash="0" * 64))


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds")
