"""The payment tables, on the store's one :data:`proscribe.store.db.metadata`.

- ``payment_decisions``: one row per screened message (transaction), unique by ``message_key``:
  the decision and its reasons exactly as returned, recorded before they are returned.
- ``blocked_property``: the blocked property register, one row per blocked payment: what
  31 CFR 501.603 asks to be reported (amount, currency, parties, the blocked person and program,
  the date, the blocked account and that it bears interest).
- ``rejected_transactions``: one row per rejected payment, for 501.604 reports.

Each register row is unique by ``message_key`` as well, so re-screening a message (a batch
re-run after a crash) never duplicates an entry.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, String, Table, Text

from proscribe.store.db import metadata

payment_decisions = Table(
    "payment_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_key", String(200), nullable=False, unique=True),
    Column("message_id", String(200), nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("file", Text, nullable=False),
    Column("format", String(40), nullable=False),
    Column("regime", String(10), nullable=False),
    Column("decision", String(10), nullable=False),
    Column("output", Text, nullable=False),  # the JSON line returned
    Column("snapshots", Text, nullable=False),  # JSON {dataset: snapshot label}
    Column("screened_at", String(32), nullable=False),
)

blocked_property = Table(
    "blocked_property",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_key", String(200), nullable=False, unique=True),
    Column("message_id", String(200), nullable=False),
    Column("blocked_account_id", String(40), nullable=False, unique=True),
    Column("blocked_on", String(10), nullable=False),  # ISO date the property became blocked
    Column("amount", String(40)),  # decimal as text: no float rounding
    Column("currency", String(3)),
    Column("value_date", String(10)),
    Column("parties", Text, nullable=False),  # JSON
    Column("entity_id", String(200)),
    Column("entity_name", Text),
    Column("programs", Text, nullable=False),  # JSON list
    Column("basis", Text, nullable=False),  # why: the reason detail
    Column("regime", String(10), nullable=False),
    Column("interest_bearing", Boolean, nullable=False, default=True),
    Column("status", String(20), nullable=False, default="blocked"),  # blocked | unblocked
    Column("unblocked_on", String(10)),
    Column("report_filed_on", String(10)),
    Column("raw_message", Text, nullable=False),
)

rejected_transactions = Table(
    "rejected_transactions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_key", String(200), nullable=False, unique=True),
    Column("message_id", String(200), nullable=False),
    Column("rejected_on", String(10), nullable=False),
    Column("amount", String(40)),
    Column("currency", String(3)),
    Column("value_date", String(10)),
    Column("parties", Text, nullable=False),
    Column("entity_id", String(200)),
    Column("entity_name", Text),
    Column("programs", Text, nullable=False),
    Column("basis", Text, nullable=False),
    Column("regime", String(10), nullable=False),
    Column("report_filed_on", String(10)),
    Column("raw_message", Text, nullable=False),
)
