"""The store's tables and its one door: :func:`connect`.

SQLAlchemy Core 2 keeps the SQL portable: SQLite is the embedded default, PostgreSQL runs the
same code. Every list import is a *snapshot* (one row in ``snapshots``) whose entities are
written in the same transaction, so a failed import leaves nothing behind.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)

from proscribe import settings

metadata = MetaData()


snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset", String(100), nullable=False, index=True),
    Column("format", String(50), nullable=False),
    Column("published", String(10)),  # ISO date the publisher gives (or the provenance date)
    Column("source_sha256", String(64), nullable=False),
    Column("source_label", Text, nullable=False),  # file name(s) or URL it came from
    Column("imported_at", String(32), nullable=False),
    Column("parser_version", String(20), nullable=False),
    Column("entity_count", Integer, nullable=False),
    Column("schema_counts", Text, nullable=False),  # JSON {schema: count}
    Column("reconstructed", Boolean, nullable=False, default=False),
    Column("note", Text),
    UniqueConstraint("dataset", "source_sha256", name="uq_snapshot_dataset_sha"),
)

entities = Table(
    "entities",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", String(200), primary_key=True),
    Column("schema", String(30), nullable=False),
    Column("caption", Text, nullable=False),
    Column("content_hash", String(32), nullable=False),
    Column("data", Text, nullable=False),  # Entity.to_json()
)
Index("ix_entities_entity_id", entities.c.entity_id)


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - exercised by every test
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    metadata.create_all(engine)
    return engine


def connect(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: ``PROSCRIBE_DATABASE_URL`` or the SQLite file under
    ``PROSCRIBE_HOME``), with the tables created."""
    return _engine(url or settings.database_url())


# Every module's tables live on this one ``metadata``; importing them here lets ``create_all``
# create the whole store at once.
import proscribe.cases.store  # noqa: F401,E402
import proscribe.ownership.store  # noqa: F401,E402
import proscribe.payments.store  # noqa: F401,E402
import proscribe.store.service_tables  # noqa: F401,E402
