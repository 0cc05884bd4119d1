"""API keys, roles and per-key rate limits.

A key reads ``psk_<id>_<secret>``. The store keeps the id, the role and sha256(salt + secret)
with a per-key random salt; the whole key is shown once, when it is created, and can never be
read back. Roles nest: a ``screener`` screens; an ``analyst`` also reads entities, datasets and
screening records; an ``admin`` also reloads the index and manages keys.

Clients send the key as ``Authorization: ApiKey <key>`` (as yente clients do),
``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. Keys are never logged.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
import secrets
import threading
import time
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update

from proscribe import audit
from proscribe.store.db import connect
from proscribe.store.service_tables import api_keys

ROLES = ("screener", "analyst", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
KEY_PREFIX = "psk_"


@dataclass(frozen=True)
class KeyInfo:
    id: str | None  # None for the --no-auth development principal
    name: str
    role: str
    rate_limit: float | None


@dataclass
class CreatedKey:
    id: str
    name: str
    role: str
    key: str  # the whole key: shown once
    created_at: str
    rate_limit: float | None


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256((salt + secret).encode()).hexdigest()


def create_key(
    name: str, role: str, *, rate_limit: float | None = None, engine: Engine | None = None,
    actor: str = "admin",
) -> CreatedKey:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if rate_limit is not None and not rate_limit > 0:
        raise ValueError("rate limit must be a positive number of requests per second")
    engine = engine or connect()
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    created = _now()
    with engine.begin() as conn:
        conn.execute(
            insert(api_keys).values(
                id=key_id,
                name=name,
                role=role,
                salt=salt,
                key_hash=_digest(salt, secret),
                created_at=created,
                revoked_at=None,
                rate_limit=rate_limit,
            )
        )
        # never the secret or its hash: who, which role, when
        audit.append("key.created", actor, {"key_id": key_id, "name": name, "role": role,
                                            "rate_limit": rate_limit}, conn=conn)
    return CreatedKey(key_id, name, role, f"{KEY_PREFIX}{key_id}_{secret}", created, rate_limit)


def list_keys(*, engine: Engine | None = None) -> list[dict]:
    engine = engine or connect()
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                api_keys.c.id,
                api_keys.c.name,
                api_keys.c.role,
                api_keys.c.created_at,
                api_keys.c.revoked_at,
                api_keys.c.rate_limit,
            ).order_by(api_keys.c.created_at)
        )
        return [{str(k): v for k, v in row._mapping.items()} for row in rows]


def revoke_key(key_id: str, *, engine: Engine | None = None, actor: str = "admin") -> bool:
    """Revoke a key; False when no active key has that id."""
    engine = engine or connect()
    with engine.begin() as conn:
        result = conn.execute(
            update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=_now())
        )
        if result.rowcount > 0:
            audit.append("key.revoked", actor, {"key_id": key_id}, conn=conn)
    return result.rowcount > 0


def split_key(key: str) -> tuple[str, str] | None:
    if not key.startswith(KEY_PREFIX):
        return None
    rest = key[len(KEY_PREFIX) :]
    key_id, sep, secret = rest.partition("_")
    if not sep or not key_id or not secret or len(key) > 200:
        return None
    return key_id, secret


def verify_key(key: str, *, engine: Engine | None = None) -> KeyInfo | None:
    """The key's holder, or None for an unknown, malformed or revoked key."""
    parts = split_key(key)
    if parts is None:
        return None
    key_id, secret = parts
    engine = engine or connect()
    with engine.connect() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(_digest(row.salt, secret), row.key_hash):
        return None
    return KeyInfo(row.id, row.name, row.role, row.rate_limit)


def key_from_headers(authorization: str | None, x_api_key: str | None) -> str | None:
    if x_api_key:
        return x_api_key.strip()
    if authorization:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() in ("apikey", "bearer", "token") and value.strip():
            return value.strip()
    return None


class KeyCache:
    """Verified keys for a few seconds, so a request costs no store read; a revoked key stops
    working within ``ttl`` seconds. Entries are keyed by a hash of the presented key."""

    def __init__(self, ttl: float, engine_getter):
        self.ttl = ttl
        self._engine = engine_getter
        self._entries: dict[str, tuple[float, KeyInfo | None]] = {}
        self._lock = threading.Lock()

    def lookup(self, key: str) -> KeyInfo | None:
        token = hashlib.sha256(key.encode()).hexdigest()
        now = time.monotonic()
        entry = self._entries.get(token)
        if entry is not None and now - entry[0] < self.ttl:
            return entry[1]
        info = verify_key(key, engine=self._engine())
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[token] = (now, info)
        return info


class RateLimiter:
    """A token bucket per key: ``rate`` requests a second, bursts of up to one second's worth."""

    def __init__(self, default_rate: float, share: float = 1.0):
        self.default_rate = default_rate
        self.share = share  # this process's share of each key's rate (1/workers)
        self._buckets: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def check(self, key_id: str, rate: float | None, cost: float = 1.0) -> float:
        """0 when the request may go ahead, else the seconds to wait before retrying."""
        rate = (rate or self.default_rate) * self.share
        if rate <= 0:
            return 0.0
        capacity = max(rate, cost)
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.get(key_id)
            if bucket is None:
                bucket = self._buckets[key_id] = [capacity, now]
            tokens = min(capacity, bucket[0] + (now - bucket[1]) * rate)
            bucket[1] = now
            if tokens >= cost:
                bucket[0] = tokens - cost
                return 0.0
            bucket[0] = tokens
            return (cost - tokens) / rate


def retry_after_header(wait: float) -> str:
    return str(max(1, math.ceil(wait)))


def allowed(role: str, needed: str) -> bool:
    return ROLE_RANK.get(role, -1) >= ROLE_RANK[needed]
