"""API keys, roles, per-key rate limits and the failed-authentication limit.

A key reads ``psk_<id>_<secret>``. The store keeps the id, the role and sha256(salt + secret)
with a per-key random salt; the whole key is shown once, when it is created, and can never be
read back. Roles nest: a ``screener`` screens; an ``analyst`` also reads entities, datasets and
screening records; an ``admin`` also reloads the index and manages keys.

Every key belongs to a user (:mod:`proscribe.cases.users`) and has a unique name. A key minted
through the API records who minted it: the audit trail says "X created a key for user Y", and
four-eyes treats such a key as under the control of both X and Y.

Clients send the key as ``Authorization: ApiKey <key>`` (as yente clients do),
``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. Keys are never logged.
"""

from __future__ import annotations

import collections
import datetime
import hashlib
import hmac
import math
import secrets
import threading
import time
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from proscribe import audit
from proscribe.cases import users as people
from proscribe.store.db import connect
from proscribe.store.service_tables import api_keys, users

ROLES = ("screener", "analyst", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
KEY_PREFIX = "psk_"
KEY_NAME_MAX = 200
#: A key's own rate limit, in requests per second: from one a minute to 10,000 a second.
RATE_LIMIT_MIN = 1 / 60
RATE_LIMIT_MAX = 10_000.0


class KeyRequestError(ValueError):
    """A key (or its name, role or rate limit) that cannot be created as asked."""


class KeyNameTaken(KeyRequestError):
    """Key names are unique."""


@dataclass(frozen=True)
class KeyInfo:
    id: str | None  # None for the --no-auth development principal
    name: str
    role: str
    rate_limit: float | None
    user_id: str | None = None
    user_name: str | None = None
    created_by_user_id: str | None = None  # who minted it through the API (None: the CLI)

    def actor(self) -> people.Actor:
        """The person acting with this key (for case actions and the audit trail)."""
        if self.id is None:
            return people.Actor("no-auth")
        controllers = {u for u in (self.user_id, self.created_by_user_id) if u}
        return people.Actor(self.user_name or f"key {self.id}", self.user_id, self.id, frozenset(controllers))


@dataclass
class CreatedKey:
    id: str
    name: str
    role: str
    key: str  # the whole key: shown once
    created_at: str
    rate_limit: float | None
    user: str | None = None
    user_id: str | None = None


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256((salt + secret).encode()).hexdigest()


def check_rate_limit(rate_limit: float | None) -> float | None:
    if rate_limit is None:
        return None
    if not (isinstance(rate_limit, int | float) and math.isfinite(rate_limit)):
        raise KeyRequestError("rate_limit: must be a number of requests per second")
    if not RATE_LIMIT_MIN <= rate_limit <= RATE_LIMIT_MAX:
        raise KeyRequestError(
            f"rate_limit: {rate_limit:g} requests per second is out of range "
            f"({RATE_LIMIT_MIN:.4f} (one a minute) to {RATE_LIMIT_MAX:g})"
        )
    return float(rate_limit)


def create_key(
    name: str,
    role: str,
    *,
    rate_limit: float | None = None,
    user: str | None = None,
    engine: Engine | None = None,
    actor: people.Actor | str = "admin",
) -> CreatedKey:
    """A new key named ``name`` (unique) for the user ``user`` (default: the user named like the
    key, created when missing). ``actor`` is who mints it: an :class:`~proscribe.cases.users.Actor`
    through the API (recorded as the key's minter), a plain name from the CLI."""
    if role not in ROLES:
        raise KeyRequestError(f"role: unknown role {role!r}; use one of {', '.join(ROLES)}")
    try:
        name = people.check_name(name, "name", KEY_NAME_MAX)
        owner = people.check_name(user if user is not None else name, "user")
    except people.UserError as exc:
        raise KeyRequestError(str(exc)) from None
    rate_limit = check_rate_limit(rate_limit)
    by = actor if isinstance(actor, people.Actor) else people.Actor(str(actor))
    engine = engine or connect()
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    created = _now()
    try:
        with engine.begin() as conn:
            if conn.execute(select(api_keys.c.id).where(api_keys.c.name == name)).first() is not None:
                raise KeyNameTaken(f"name: a key named {name!r} exists already; key names are unique")
            user_id, new_user = people.ensure(conn, owner, created_by=by.name)
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
                    user_id=user_id,
                    created_by_user_id=by.user_id,
                    created_by_key_id=by.key_id,
                )
            )
            if new_user:
                audit.append(
                    "user.created",
                    by.name,
                    {"user": owner, "user_id": user_id, **by.audit_fields()},
                    conn=conn,
                )
            for_other = by.user_id is not None and by.user_id != user_id
            # never the secret or its hash: who minted it, for whom, which role, when
            audit.append(
                "key.created",
                by.name,
                {
                    "key_id": key_id,
                    "name": name,
                    "role": role,
                    "rate_limit": rate_limit,
                    "user": owner,
                    "user_id": user_id,
                    "for_other_user": for_other,
                    "summary": f"{by.name} created a key for user {owner}",
                    **by.audit_fields(),
                },
                conn=conn,
            )
    except IntegrityError:  # another request took the name meanwhile
        raise KeyNameTaken(f"name: a key named {name!r} exists already; key names are unique") from None
    return CreatedKey(
        key_id, name, role, f"{KEY_PREFIX}{key_id}_{secret}", created, rate_limit, owner, user_id
    )


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
                api_keys.c.user_id,
                users.c.name.label("user"),
            )
            .select_from(api_keys.outerjoin(users, users.c.id == api_keys.c.user_id))
            .order_by(api_keys.c.created_at)
        )
        return [{str(k): v for k, v in row._mapping.items()} for row in rows]


def revoke_key(key_id: str, *, engine: Engine | None = None, actor: people.Actor | str = "admin") -> bool:
    """Revoke a key; False when no active key has that id. Audited with who revoked it."""
    by = actor if isinstance(actor, people.Actor) else people.Actor(str(actor))
    engine = engine or connect()
    with engine.begin() as conn:
        result = conn.execute(
            update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=_now())
        )
        if result.rowcount > 0:
            audit.append("key.revoked", by.name, {"key_id": key_id, **by.audit_fields()}, conn=conn)
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
        row = conn.execute(
            select(api_keys, users.c.name.label("user_name"))
            .select_from(api_keys.outerjoin(users, users.c.id == api_keys.c.user_id))
            .where(api_keys.c.id == key_id)
        ).first()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(_digest(row.salt, secret), row.key_hash):
        return None
    return KeyInfo(
        row.id, row.name, row.role, row.rate_limit, row.user_id, row.user_name, row.created_by_user_id
    )


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


class FailedAuthLimiter:
    """Failed authentications per client address: after ``limit`` unknown or revoked keys within
    ``window`` seconds, every further attempt from that address is a 429 until the oldest failure
    leaves the window (per worker process). A missing key is not a failure: nothing was guessed."""

    def __init__(self, limit: int, window: float, max_clients: int = 100_000):
        self.limit = limit
        self.window = window
        self.max_clients = max_clients
        self._failures: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> collections.deque[float] | None:
        failures = self._failures.get(client)
        if failures is None:
            return None
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        if not failures:
            del self._failures[client]
            return None
        return failures

    def blocked(self, client: str) -> float:
        """0 when ``client`` may try to authenticate, else the seconds until it may again."""
        if self.limit <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            failures = self._recent(client, now)
            if failures is None or len(failures) < self.limit:
                return 0.0
            return max(0.001, self.window - (now - failures[0]))

    def failed(self, client: str) -> None:
        if self.limit <= 0:
            return
        now = time.monotonic()
        with self._lock:
            if len(self._failures) >= self.max_clients:
                for stale in [c for c in self._failures if not self._recent(c, now)]:
                    self._failures.pop(stale, None)
                if len(self._failures) >= self.max_clients:
                    self._failures.clear()
            failures = self._recent(client, now) or self._failures.setdefault(client, collections.deque())
            failures.append(now)
            if len(failures) > self.limit:
                failures.popleft()


def retry_after_header(wait: float) -> str:
    return str(max(1, math.ceil(wait)))


def allowed(role: str, needed: str) -> bool:
    return ROLE_RANK.get(role, -1) >= ROLE_RANK[needed]


def role_refusal(role: str, needed: str, action: str) -> str | None:
    """Why ``role`` may not do ``action`` (a route or a CLI command) that needs ``needed``, or
    None. The service's gate and the CLI both ask this, so a role means the same at both doors."""
    if allowed(role, needed):
        return None
    return f"the {role} role may not use {action}; it needs {needed}"
