"""Tables of the screening service: API keys and the screening record.

``api_keys`` holds only a salted sha256 of each key's secret (never the secret itself);
``screenings`` holds one row per screened query: who asked (key id), when, the query, the list
snapshots it ran against, the results, the decision and the engine version.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, String, Table, Text

from proscribe.store.db import metadata

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),  # public part of the key: psk_<id>_<secret>
    Column("name", Text, nullable=False),
    Column("role", String(20), nullable=False),  # screener | analyst | admin
    Column("salt", String(32), nullable=False),
    Column("key_hash", String(64), nullable=False),  # sha256(salt + secret), hex
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
    Column("rate_limit", Float),  # requests per second; NULL: the service default
)

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
