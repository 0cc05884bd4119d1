"""Where proscribe keeps its state, read once from the environment.

All state lives under ``PROSCRIBE_HOME`` (default ``~/.local/share/proscribe``): the SQLite store,
the persisted screening index and logs. ``PROSCRIBE_DATABASE_URL`` points the store elsewhere
(for example a PostgreSQL URL); the same SQLAlchemy code runs on both.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository's bundled data folder (official list files and their provenance).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def home() -> Path:
    path = Path(os.environ.get("PROSCRIBE_HOME") or Path.home() / ".local" / "share" / "proscribe")
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    url = os.environ.get("PROSCRIBE_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{home() / 'proscribe.db'}"


def index_dir() -> Path:
    path = home() / "index"
    path.mkdir(parents=True, exist_ok=True)
    return path


def audit_key_file(store_home: Path | None = None) -> Path:
    """The audit trail's HMAC key: outside the database, so whoever can write the store cannot
    re-sign records (``PROSCRIBE_AUDIT_KEY_FILE``, default ``keys/audit.key`` under the store's
    home: the folder of a SQLite store, else ``PROSCRIBE_HOME``)."""
    value = os.environ.get("PROSCRIBE_AUDIT_KEY_FILE")
    return Path(value) if value else (store_home or home()) / "keys" / "audit.key"


def audit_checkpoint_file(store_home: Path | None = None) -> Path:
    """The append-only log of signed audit checkpoints (``PROSCRIBE_AUDIT_CHECKPOINTS``, default
    ``audit/checkpoints.jsonl`` under the store's home): outside the database, so a wiped or
    truncated trail is still caught."""
    value = os.environ.get("PROSCRIBE_AUDIT_CHECKPOINTS")
    return Path(value) if value else (store_home or home()) / "audit" / "checkpoints.jsonl"
