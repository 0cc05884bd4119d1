"""Persisted index files and the hashes that vouch for them.

An index file in ``$PROSCRIBE_HOME/index/`` is loaded only when its sha256 is the one recorded in
the store (table ``index_files``) when this code wrote it. A file that is not recorded (planted),
or whose bytes changed since (tampered, damaged), is never parsed: it is reported with a warning
and the index is rebuilt from the store, which then records the new file. The file format itself
cannot run code either (:mod:`proscribe.index.safe_format`), so a planted file is at worst data
that is refused.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Column, Engine, Integer, String, Table, delete, insert, select
from sqlalchemy.exc import OperationalError

from proscribe.index.compiled import CompiledIndex, IndexFileMismatch
from proscribe.store.db import connect, metadata

log = logging.getLogger("proscribe.index")

#: One row per index file this code wrote: its name in the index folder and its sha256.
index_files = Table(
    "index_files",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
)

_ready: set[str] = set()


def _engine(engine: Engine | None) -> Engine:
    """The store engine, with the table created (stores made before the table existed)."""
    engine = engine or connect()
    url = str(engine.url)
    if url not in _ready:
        index_files.create(engine, checkfirst=True)
        _ready.add(url)
    return engine


def recorded_hash(path: Path, engine: Engine | None = None) -> str | None:
    with _engine(engine).connect() as conn:
        return conn.execute(select(index_files.c.sha256).where(index_files.c.name == path.name)).scalar()


def save_index(index: CompiledIndex, path: Path, engine: Engine | None = None) -> str | None:
    """Write ``index`` to ``path`` and record its sha256; returns the hash (None, logged, when
    the file cannot be written)."""
    try:
        digest = index.save(path)
        size = path.stat().st_size
    except (OSError, TypeError) as exc:  # screening goes on from memory; the next start rebuilds
        log.warning(
            "the index file %s could not be written (%s); screening from the index in memory, "
            "which is built again on the next start",
            path,
            getattr(exc, "strerror", None) or exc,
        )
        return None
    try:
        _record_hash(path, digest, size, engine)
    except OperationalError as exc:  # a read-only store: the file is never trusted unrecorded
        log.warning(
            "the hash of index file %s could not be recorded in the store (%s); it will not be "
            "loaded, and the index is built again on the next start",
            path,
            getattr(exc, "orig", None) or exc,
        )
        return None
    return digest


def _record_hash(path: Path, digest: str, size: int, engine: Engine | None) -> None:
    import datetime

    with _engine(engine).begin() as conn:
        conn.execute(delete(index_files).where(index_files.c.name == path.name))
        conn.execute(
            insert(index_files).values(
                name=path.name,
                sha256=digest,
                size=size,
                created_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            )
        )


def load_index(path: Path, engine: Engine | None = None) -> CompiledIndex | None:
    """The index in ``path`` if its bytes are the recorded ones and it reads as this version's
    index; None (with a warning saying why) when it must be rebuilt instead."""
    if not path.exists():
        return None
    expected = recorded_hash(path, engine)
    if expected is None:
        log.warning(
            "index file %s has no recorded hash (not written here): ignored, the index is rebuilt", path
        )
        return None
    try:
        return CompiledIndex.load(path, expected_sha256=expected)
    except IndexFileMismatch as exc:
        log.warning(
            "index file %s was changed after it was written (%s): ignored, the index is rebuilt", path, exc
        )
    except Exception as exc:  # damaged or another version: rebuilt, never trusted
        log.warning(
            "index file %s could not be read (%s: %s): the index is rebuilt", path, type(exc).__name__, exc
        )
    return None
