"""The audit trail: an append-only, keyed hash chain of everything an examiner may ask about.

Every screening, decision, disposition, whitelisting, key and configuration change and list import
is one record: ``seq`` (previous + 1), ``ts``, ``event_type``, ``actor``, ``payload`` (canonical
JSON), ``prev_hash`` (the previous record's hash) and ``hash`` = HMAC-SHA256 over all of those
with a key kept *outside* the database (:func:`proscribe.settings.audit_key_file`, created 0600 on
first use). Whoever can write the store but not read the key cannot re-sign an edited record, so
editing, deleting or re-ordering any record breaks the chain at that record, and :func:`verify`
says where. A store whose key is missing refuses to append rather than write unkeyed records.

Because a wiped or truncated table (head row included) leaves nothing to compare with inside the
database, every commit that appends records also leaves a signed *checkpoint* (last seq, its hash,
the record count, the time) in an append-only file outside the database
(:func:`proscribe.settings.audit_checkpoint_file`), at most once per
``PROSCRIBE_AUDIT_CHECKPOINT_INTERVAL_S`` (default 1 s; a pending checkpoint is written when the
interval ends, before :func:`verify` and at exit). Each checkpoint is also handed to the external
witnesses: a second file (``PROSCRIBE_AUDIT_WITNESS_FILE``, e.g. on write-once storage), a URL
(``PROSCRIBE_AUDIT_WITNESS_URL``, posted as JSON) and any callable given to :func:`add_witness`.

:func:`verify` checks every HMAC, the chain, the head row, the latest checkpoint (a trail shorter
than checkpointed, a rewritten record, an emptied table: tampered), that the chain starts at
record 1 or right after a signed retention purge that the policy allows (an ``anchor`` row alone
justifies nothing), and that the screening and payment decision tables match their audit records
both ways. Retention is 10 years by default (OFAC's record-keeping rule, 31 CFR 501.601, since
March 2025) and configurable (``PROSCRIBE_AUDIT_RETENTION_YEARS``); :func:`purge` never deletes a
record younger than the configured retention and writes a signed record of the range it purged.

Exports (:func:`export`) carry a signed first line (what was exported) and a signed last line
(count, range, last hash, a digest of every record hash in order), so :func:`verify_file` checks an
export alone: a missing chain line, an edited, removed or re-ordered record is found.

Other modules call :func:`append` (``conn=`` to write in the caller's own transaction, so the
action and its record commit together or not at all). Event types in use: ``screening``,
``book.import``, ``monitor.run``, ``alert.raised``, ``case.*``, ``goodguy.*``, ``list.import``
(:func:`list_import_hook`), ``key.*``, ``config.*`` (:func:`config_change`), ``payment.decision``,
``audit.keyed`` (records written before the trail was keyed, adopted) and
``audit.retention_purge``.
"""

from __future__ import annotations

import atexit
import csv
import datetime
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, event, insert, inspect, select, update

from proscribe import settings
from proscribe.cases.store import audit_log, audit_meta, now
from proscribe.csvsafe import SafeDictWriter, unescape_cell
from proscribe.store.db import connect

log = logging.getLogger("proscribe.audit")

GENESIS = "0" * 64
EXPORT_FIELDS = ("seq", "ts", "event_type", "actor", "payload", "prev_hash", "hash")
DEFAULT_RETENTION_YEARS = 10
MAX_PROBLEMS = 100
EXPORT_VERSION = 2
KEYED_EVENT = "audit.keyed"
PURGE_EVENT = "audit.retention_purge"
_KEY_ID_LABEL = b"proscribe audit key id"
_CHECKPOINT_TAIL_BYTES = 1 << 20
CHECKPOINT_HINT = "PROSCRIBE_AUDIT_CHECKPOINTS, default audit/checkpoints.jsonl beside the store"


class AuditKeyError(RuntimeError):
    """The audit key is missing, unreadable or not the one the trail was signed with."""


def retention_years() -> int:
    value = os.environ.get("PROSCRIBE_AUDIT_RETENTION_YEARS")
    if not value:
        return DEFAULT_RETENTION_YEARS
    years = int(value)
    if years < 1:
        raise ValueError("PROSCRIBE_AUDIT_RETENTION_YEARS must be at least 1")
    return years


def canonical(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


# -- the key ------------------------------------------------------------------------------------

_key_cache: dict[tuple[str, int, int], bytes] = {}


def _read_key(path: Path) -> bytes | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    cache_key = (str(path), stat.st_ino, stat.st_mtime_ns)
    key = _key_cache.get(cache_key)
    if key is not None:
        return key
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise AuditKeyError(f"audit key file {path} is unreadable or not hex: {exc}") from None
    if len(key) < 32:
        raise AuditKeyError(f"audit key file {path} holds {len(key)} bytes; at least 32 are needed")
    _key_cache.clear()
    _key_cache[cache_key] = key
    return key


def _create_key(path: Path) -> bytes:
    """A new random key, written 0600 (O_EXCL: of two processes creating it, one key wins)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = _read_key(path)
        assert key is not None
        return key
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    log.info("created the audit key file %s", path)
    key = _read_key(path)
    assert key is not None
    return key


def store_home(engine: Engine | None = None) -> Path:
    """Where a store's key and checkpoints live: beside a SQLite store's file (so they follow the
    database whichever ``PROSCRIBE_HOME`` the process has), else ``PROSCRIBE_HOME``."""
    url = (engine or connect()).url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent
    return settings.home()


def key_file(engine: Engine | None = None) -> Path:
    return settings.audit_key_file(store_home(engine))


def checkpoint_file(engine: Engine | None = None) -> Path:
    return settings.audit_checkpoint_file(store_home(engine))


def signing_key(engine: Engine | None = None) -> bytes:
    """The audit key of the store (never created here; :func:`append` creates it for a trail
    never keyed)."""
    path = key_file(engine)
    key = _read_key(path)
    if key is None:
        raise AuditKeyError(
            f"the audit key file {path} is missing: records cannot be signed or checked "
            "(restore it, or point PROSCRIBE_AUDIT_KEY_FILE at it)"
        )
    return key


def mac_function(key: bytes) -> Callable[[bytes], str]:
    """HMAC-SHA256 (RFC 2104) with the key's inner and outer states computed once: the same value as
    ``hmac.digest(key, message, "sha256").hex()`` at a third of its cost per record."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    block = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def mac(message: bytes) -> str:
        first = inner.copy()
        first.update(message)
        second = outer.copy()
        second.update(first.digest())
        return second.hexdigest()

    return mac


def key_id(key: bytes) -> str:
    """A public fingerprint of the key (says which key signed, reveals nothing of it)."""
    return hmac.digest(key, _KEY_ID_LABEL, "sha256").hex()[:16]


def _line(seq: int, ts: str, event_type: str, actor: str, payload: str, prev_hash: str) -> bytes:
    """The fields joined by the unit separator (which canonical JSON and the other fields never
    contain unescaped)."""
    return f"{seq}\x1f{ts}\x1f{event_type}\x1f{actor}\x1f{payload}\x1f{prev_hash}".encode()


def record_hash(
    seq: int, ts: str, event_type: str, actor: str, payload: str, prev_hash: str, key: bytes | None = None
) -> str:
    """The record's keyed hash: HMAC-SHA256 with the audit key (the current one by default)."""
    return hmac.digest(
        key or signing_key(), _line(seq, ts, event_type, actor, payload, prev_hash), "sha256"
    ).hex()


def legacy_hash(seq: int, ts: str, event_type: str, actor: str, payload: str, prev_hash: str) -> str:
    """The unkeyed sha256 records carried before the trail was keyed (accepted only for records
    that a signed ``audit.keyed`` record adopted)."""
    return hashlib.sha256(_line(seq, ts, event_type, actor, payload, prev_hash)).hexdigest()


def sign(key: bytes, document: dict[str, Any]) -> str:
    """HMAC of a checkpoint or export line (every field but ``sig``)."""
    body = {k: v for k, v in document.items() if k != "sig"}
    return hmac.digest(key, canonical(body).encode(), "sha256").hex()


def _signed(key: bytes, document: dict[str, Any]) -> bool:
    return isinstance(document.get("sig"), str) and hmac.compare_digest(document["sig"], sign(key, document))


# -- checkpoints and witnesses --------------------------------------------------------------------

_witnesses: list[Callable[[dict[str, Any]], None]] = []


def add_witness(witness: Callable[[dict[str, Any]], None]) -> None:
    """Hand every checkpoint to ``witness`` too (an external log, a timestamping service, ...).
    A witness that fails is logged and never stops the trail."""
    _witnesses.append(witness)


def remove_witness(witness: Callable[[dict[str, Any]], None]) -> None:
    if witness in _witnesses:
        _witnesses.remove(witness)


def http_witness(url: str, client: Any = None, timeout: float = 5.0) -> Callable[[dict[str, Any]], None]:
    """A witness that POSTs each checkpoint as JSON to ``url`` (``client``: an httpx client)."""

    def post(checkpoint: dict[str, Any]) -> None:
        import httpx

        if client is not None:
            client.post(url, json=checkpoint, timeout=timeout).raise_for_status()
        else:
            httpx.post(url, json=checkpoint, timeout=timeout).raise_for_status()

    return post


def _append_line(path: Path, line: str) -> None:
    """One whole line appended and flushed to disk (O_APPEND: concurrent writers never interleave
    within a line this short)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _checkpoint_interval() -> float:
    try:
        return max(0.0, float(os.environ.get("PROSCRIBE_AUDIT_CHECKPOINT_INTERVAL_S", "1")))
    except ValueError:
        return 1.0


class _Checkpointer:
    """Writes the newest committed head as a signed checkpoint, at most once per interval per file;
    a checkpoint held back by the interval is written when it ends (a timer), before a verify in
    this process and at exit, so the last commit is never left unwitnessed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[int, str, bytes]] = {}
        self._written: dict[str, int] = {}
        self._last: dict[str, float] = {}
        self._timer: threading.Timer | None = None

    def offer(self, path: str, seq: int, digest: str, key: bytes) -> None:
        with self._lock:
            if seq <= self._written.get(path, 0) or seq <= self._pending.get(path, (0,))[0]:
                return
            self._pending[path] = (seq, digest, key)
            wait = self._last.get(path, 0.0) + _checkpoint_interval() - time.monotonic()
            if wait > 0:
                if self._timer is None:
                    self._timer = threading.Timer(wait, self.flush)
                    self._timer.daemon = True
                    self._timer.start()
                return
        self.flush(path)

    def flush(self, only: str | None = None) -> None:
        with self._lock:
            if only is None:
                self._timer = None
            paths = [only] if only is not None else list(self._pending)
            work = [(path, self._pending.pop(path)) for path in paths if path in self._pending]
            for path, (seq, digest, key) in work:
                try:
                    _write_checkpoint(Path(path), seq, digest, key)
                except OSError:
                    log.exception("audit checkpoint for record %d could not be written to %s", seq, path)
                    continue
                self._written[path] = seq
                self._last[path] = time.monotonic()


_checkpointer = _Checkpointer()
atexit.register(_checkpointer.flush)


def flush_checkpoints() -> None:
    """Write any checkpoint still held back by the interval (verify calls this first)."""
    _checkpointer.flush()


def _write_checkpoint(path: Path, seq: int, digest: str, key: bytes) -> dict[str, Any]:
    checkpoint: dict[str, Any] = {
        "seq": seq,
        "hash": digest,
        "records": seq,
        "ts": now(),
        "key_id": key_id(key),
    }
    checkpoint["sig"] = sign(key, checkpoint)
    line = json.dumps(checkpoint, sort_keys=True) + "\n"
    _append_line(path, line)
    witness_file = os.environ.get("PROSCRIBE_AUDIT_WITNESS_FILE")
    if witness_file:
        try:
            _append_line(Path(witness_file), line)
        except OSError:
            log.exception("audit witness file %s could not be written", witness_file)
    hooks = list(_witnesses)
    url = os.environ.get("PROSCRIBE_AUDIT_WITNESS_URL")
    if url:
        hooks.append(http_witness(url))
    if hooks:
        threading.Thread(target=_tell_witnesses, args=(hooks, dict(checkpoint)), daemon=True).start()
    return checkpoint


def _tell_witnesses(hooks: list[Callable[[dict[str, Any]], None]], checkpoint: dict[str, Any]) -> None:
    for hook in hooks:
        try:
            hook(checkpoint)
        except Exception:  # a witness never stops the trail; its failure is on record in the log
            log.exception("audit witness %r failed for checkpoint %d", hook, checkpoint["seq"])


def _checkpoint_files(engine: Engine | None = None) -> list[Path]:
    paths = [checkpoint_file(engine)]
    witness_file = os.environ.get("PROSCRIBE_AUDIT_WITNESS_FILE")
    if witness_file:
        paths.append(Path(witness_file))
    return paths


def _read_checkpoints(path: Path) -> list[dict[str, Any]]:
    """The checkpoints in the file's tail (the newest: writers append in commit order, give or take
    a few lines between processes)."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - _CHECKPOINT_TAIL_BYTES))
            data = handle.read()
    except FileNotFoundError:
        return []
    lines = data.split(b"\n")
    if size > _CHECKPOINT_TAIL_BYTES:
        lines = lines[1:]  # the first line may be cut
    out = []
    for line in lines:
        if line.strip():
            try:
                item = json.loads(line)
            except ValueError:
                item = {"unreadable": line[:80].decode("utf-8", "replace")}
            out.append(item if isinstance(item, dict) else {"unreadable": str(item)[:80]})
    return out


def _checkpoints_exist(engine: Engine) -> bool:
    return any(_read_checkpoints(path) for path in _checkpoint_files(engine))


#: The head each commit in progress will make durable, by DBAPI connection: the checkpoint is
#: offered only once the database has committed (a checkpoint written before, then a crash or a
#: failed commit, would name records that never were, and read as a truncated trail).
_committing: dict[int, tuple[str, int, str, bytes]] = {}


def _dbapi_id(connection: Any) -> int:
    return id(getattr(connection, "dbapi_connection", connection))


def _on_commit(conn: Connection) -> None:
    pending = conn.info.pop("proscribe_audit_head", None)
    if pending is None:
        return
    path, seq, digest, key = pending
    try:  # what this commit makes durable (a savepoint rolled back may have undone the last append)
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            cursor.execute("SELECT seq, hash FROM audit_meta WHERE name = 'head'")
            row = cursor.fetchone()
        finally:
            cursor.close()
        if row is not None:
            seq, digest = int(row[0]), row[1]
    except Exception:  # the appended head stands
        log.debug("head not re-read at commit", exc_info=True)
    _committing[_dbapi_id(conn.connection)] = (path, seq, digest, key)


def _on_rollback(conn: Connection) -> None:
    conn.info.pop("proscribe_audit_head", None)
    try:
        _committing.pop(_dbapi_id(conn.connection), None)
    except Exception:  # an invalidated connection has nothing pending
        log.debug("no connection to clear at rollback", exc_info=True)


def _checkpoint_after_commit(dialect: Any) -> None:
    """Make the dialect's commit offer the checkpoint once the database has committed. The
    ``commit`` event runs before the commit, so it only notes what the commit will make durable."""
    if getattr(dialect, "_proscribe_checkpoints_after_commit", False):
        return
    commit = dialect.do_commit

    def do_commit(dbapi_connection: Any) -> None:
        pending = _committing.pop(_dbapi_id(dbapi_connection), None)
        commit(dbapi_connection)
        if pending is not None:
            _checkpointer.offer(*pending)

    dialect.do_commit = do_commit
    dialect._proscribe_checkpoints_after_commit = True


def _hook_commits(engine: Engine) -> None:
    if not event.contains(engine, "commit", _on_commit):
        event.listen(engine, "commit", _on_commit)
        event.listen(engine, "rollback", _on_rollback)
    _checkpoint_after_commit(engine.dialect)


# -- appending ----------------------------------------------------------------------------------


def _lock_head(conn: Connection) -> tuple[int, str]:
    """Take the head row for this transaction (a write first: a row lock on PostgreSQL, the
    write lock on SQLite) and return the last seq and hash."""
    result = conn.execute(update(audit_meta).where(audit_meta.c.name == "head").values(seq=audit_meta.c.seq))
    if result.rowcount == 0:
        conn.execute(insert(audit_meta).values(name="head", seq=0, hash=GENESIS))
    row = conn.execute(select(audit_meta.c.seq, audit_meta.c.hash).where(audit_meta.c.name == "head")).one()
    return int(row.seq), row.hash


def _key_for_append(conn: Connection, seq: int) -> tuple[bytes, bool]:
    """The key to sign with, and whether unkeyed records before ``seq`` must be adopted first.

    A key is created only for a trail that was never keyed (no ``keyed`` marker, no checkpoint):
    a missing key of a keyed trail is an error, never a reason to start a new key."""
    path = key_file(conn.engine)
    marker = _meta(conn, "keyed")
    key = _read_key(path)
    if key is None:
        if marker is not None or _checkpoints_exist(conn.engine):
            raise AuditKeyError(
                f"the audit key file {path} is missing, but this trail was signed with key "
                f"{marker[1] if marker else '(see the checkpoints)'}: restore it (or point "
                "PROSCRIBE_AUDIT_KEY_FILE at it); no unkeyed record is written"
            )
        key = _create_key(path)
    kid = key_id(key)
    if marker is not None:
        if marker[1] != kid:
            raise AuditKeyError(
                f"the audit key in {path} (key id {kid}) is not the key this trail is signed with "
                f"(key id {marker[1]}); no record is written"
            )
        return key, False
    conn.execute(insert(audit_meta).values(name="keyed", seq=seq, hash=kid))
    return key, seq > 0 and not _checkpoints_exist(conn.engine)


def append(
    event_type: str,
    actor: str,
    payload: dict[str, Any],
    *,
    conn: Connection | None = None,
    engine: Engine | None = None,
) -> int:
    """Append one record; returns its seq."""
    return append_many([(event_type, actor, payload)], conn=conn, engine=engine)[-1]


def append_many(
    events: Iterable[tuple[str, str, dict[str, Any]]],
    *,
    conn: Connection | None = None,
    engine: Engine | None = None,
) -> list[int]:
    """Append records in order, in one transaction (the caller's, when ``conn`` is given); the
    commit of that transaction leaves a signed checkpoint."""
    events = list(events)
    if not events:
        return []
    if conn is None:
        engine = engine or connect()
        _hook_commits(engine)
        with engine.begin() as own:
            return append_many(events, conn=own)
    _hook_commits(conn.engine)
    seq, prev = _lock_head(conn)
    key, adopt = _key_for_append(conn, seq)
    ts = now()
    if adopt:
        events.insert(
            0, (KEYED_EVENT, "system", {"legacy_through": seq, "legacy_head": prev, "key_id": key_id(key)})
        )
    rows = []
    mac = mac_function(key)
    for event_type, actor, payload in events:
        seq += 1
        text = canonical(payload)
        actor = actor or "system"
        digest = mac(_line(seq, ts, event_type, actor, text, prev))
        rows.append(
            {
                "seq": seq,
                "ts": ts,
                "event_type": event_type,
                "actor": actor,
                "payload": text,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    for start in range(0, len(rows), 5000):
        conn.execute(insert(audit_log), rows[start : start + 5000])
    conn.execute(update(audit_meta).where(audit_meta.c.name == "head").values(seq=seq, hash=prev))
    conn.info["proscribe_audit_head"] = (str(checkpoint_file(conn.engine)), seq, prev, key)
    return [row["seq"] for row in rows[1:]] if adopt else [row["seq"] for row in rows]


# -- hooks for other modules --------------------------------------------------------------------


def list_import_hook(
    result, *, actor: str = "system", engine: Engine | None = None, conn: Connection | None = None
) -> int:
    """Record a list import (a :class:`proscribe.store.snapshots.ImportResult`); in ``conn``'s
    transaction when given (the snapshot's own)."""
    snap = result.snapshot
    return append(
        "list.import",
        actor,
        {
            "dataset": snap.dataset,
            "snapshot": snap.id,
            "label": snap.label,
            "published": snap.published,
            "sha256": snap.source_sha256,
            "source": snap.source_label,
            "entities": snap.entity_count,
            "reconstructed": snap.reconstructed,
            "created": result.created,
            "parser_version": snap.parser_version,
        },
        conn=conn,
        engine=engine,
    )


def _recorded(conn: Connection, event_type: str) -> list[dict]:
    rows = conn.execute(
        select(audit_log.c.payload).where(audit_log.c.event_type == event_type).order_by(audit_log.c.seq)
    )
    return [json.loads(row[0]) for row in rows]


def sync(*, actor: str = "system", engine: Engine | None = None) -> int:
    """Record what changed without passing through a hooked door: every stored list snapshot not
    yet in the trail (``list.import``, marked ``"recorded_late": true``) and the matching
    configuration when its content differs from the last recorded (``config.matching``).
    Monitoring calls this at the start of every run. Returns the number of records added."""
    from proscribe.match.config import CONFIG_PATH
    from proscribe.store.snapshots import list_snapshots

    engine = engine or connect()
    events: list[tuple[str, str, dict[str, Any]]] = []
    with engine.connect() as conn:
        seen = {item.get("snapshot") for item in _recorded(conn, "list.import")}
        configs = _recorded(conn, "config.matching")
    for snap in list_snapshots(engine=engine):
        if snap.id not in seen:
            events.append(
                (
                    "list.import",
                    actor,
                    {
                        "dataset": snap.dataset,
                        "snapshot": snap.id,
                        "label": snap.label,
                        "published": snap.published,
                        "sha256": snap.source_sha256,
                        "source": snap.source_label,
                        "entities": snap.entity_count,
                        "reconstructed": snap.reconstructed,
                        "imported_at": snap.imported_at,
                        "parser_version": snap.parser_version,
                        "recorded_late": True,
                    },
                )
            )
    text = CONFIG_PATH.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if not configs or configs[-1].get("sha256") != digest:
        events.append(
            (
                "config.matching",
                actor,
                {
                    "file": CONFIG_PATH.name,
                    "sha256": digest,
                    "previous_sha256": configs[-1]["sha256"] if configs else None,
                    "content": text,
                },
            )
        )
    append_many(events, engine=engine)
    return len(events)


def config_change(key: str, old: Any, new: Any, *, actor: str, engine: Engine | None = None) -> int:
    return append("config.change", actor, {"key": key, "old": old, "new": new}, engine=engine)


# -- verification -------------------------------------------------------------------------------


@dataclass
class Problem:
    seq: int
    # altered | unkeyed | missing | reordered | chain_broken | tail_missing | head_mismatch |
    # head_missing | wiped | truncated | checkpoint_mismatch | checkpoint_forged | no_checkpoint |
    # anchor_mismatch | key_missing | key_mismatch | unaudited | record_altered | record_deleted |
    # duplicate_audit | no_chain_line | export_header | export_trailer
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"record {self.seq}: {self.kind}: {self.detail}"


@dataclass
class VerifyReport:
    records: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    last_hash: str | None = None
    problems: list[Problem] = field(default_factory=list)
    checkpoint: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, seq: int, kind: str, detail: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(seq, kind, detail))

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "records": self.records,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "last_hash": self.last_hash,
            "problems": [p.__dict__ for p in self.problems],
        }


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _purge_refusal(payload: dict[str, Any], ts: str, policy: int) -> str | None:
    """Why a purge record does not justify the records it removed (None: it does)."""
    try:
        years = int(payload.get("retention_years") or 0)
        cutoff = str(payload["cutoff"])
        written = datetime.datetime.fromisoformat(ts).date()
    except (KeyError, TypeError, ValueError):
        return "the purge record does not state its retention and cutoff"
    if years < policy:
        return f"it purged with a retention of {years} years, shorter than the policy of {policy}"
    if cutoff > _years_before(written, policy).isoformat():
        return f"its cutoff {cutoff} is younger than the {policy}-year retention on {written}"
    last_ts = payload.get("last_ts")
    if last_ts is not None and str(last_ts) >= cutoff:
        return f"it removed a record of {last_ts}, not older than its cutoff {cutoff}"
    return None


_WATCHED = frozenset({KEYED_EVENT, PURGE_EVENT, "screening", "payment.decision"})


def verify_rows(
    rows: Iterable[dict],
    *,
    key: bytes | None,
    start: str = "genesis",
    head: tuple[int, str] | None = None,
    head_required: bool = False,
    checkpoint: dict[str, Any] | None = None,
    signed_heads: dict[int, str] | None = None,
    require_checkpoint: bool = False,
    anchor: tuple[int, str] | None = None,
    collect: Callable[[str, dict, int], None] | None = None,
) -> VerifyReport:
    """Check records (ordered by seq): every keyed hash, every link, and at the end where the chain
    starts (``start="genesis"``: record 1, or right after a signed purge the policy allows;
    ``"free"``: anywhere, for a date range), the head, and the latest signed checkpoint.

    ``key`` None checks the links only (the caller reports the missing key). ``collect`` is
    handed the payload of every screening and payment decision record, for the cross-check."""
    report = VerifyReport(checkpoint=checkpoint)
    problem = report.add
    expected: int | None = None
    prev = first_prev = GENESIS
    keyed_seen = False
    legacy_first: int | None = None
    legacy_last = 0
    adopted_through = 0
    purges: dict[int, tuple[dict, str, bool]] = {}
    signed_heads = signed_heads or ({int(checkpoint["seq"]): checkpoint["hash"]} if checkpoint else {})
    rewritten: list[int] = []
    mac = mac_function(key) if key is not None else None
    sha, loads = hashlib.sha256, json.loads
    for row in rows:
        seq = int(row["seq"])
        report.records += 1
        if expected is None:
            report.first_seq, expected = seq, seq
            prev = first_prev = row["prev_hash"]
        if seq != expected:
            if seq > expected:
                gap = f"{expected}" if seq == expected + 1 else f"{expected}..{seq - 1}"
                problem(
                    expected,
                    "missing",
                    f"record(s) {gap} deleted: the sequence jumps from {expected - 1} to {seq}",
                )
            else:
                problem(seq, "reordered", f"record {seq} appears after record {expected - 1}")
        if row["prev_hash"] != prev:
            problem(
                seq,
                "chain_broken",
                f"prev_hash does not match the hash of the record before it "
                f"(record {seq - 1} deleted, altered or moved)",
            )
        digest = row["hash"]
        event_type = row["event_type"]
        keyed = False
        if key is not None:
            line = f"{seq}\x1f{row['ts']}\x1f{event_type}\x1f{row['actor']}\x1f{row['payload']}\x1f{row['prev_hash']}"
            message = line.encode()
            if mac(message) == digest:
                keyed = keyed_seen = True
            elif not keyed_seen and sha(message).hexdigest() == digest:
                legacy_first = seq if legacy_first is None else legacy_first
                legacy_last = seq
            else:
                problem(
                    seq,
                    "altered",
                    "its content does not match its keyed hash (edited, or re-hashed without the key)",
                )
        if event_type in _WATCHED:
            try:
                payload = loads(row["payload"])
            except ValueError:
                payload = None
            if isinstance(payload, dict):
                if event_type == KEYED_EVENT and keyed:
                    adopted_through = max(adopted_through, int(payload.get("legacy_through") or 0))
                elif event_type == PURGE_EVENT:
                    purges[int(payload.get("last_seq") or -1)] = (payload, row["ts"], keyed)
                elif collect is not None:
                    collect(event_type, payload, seq)
        if seq in signed_heads and signed_heads[seq] != digest:
            rewritten.append(seq)
        prev = digest
        expected = seq + 1
        report.last_seq, report.last_hash = seq, digest
    if legacy_first is not None and legacy_last > adopted_through:
        problem(
            legacy_first,
            "unkeyed",
            f"records {legacy_first}..{legacy_last} carry unkeyed sha256 hashes that no signed "
            f"{KEYED_EVENT} record adopts (re-hashed without the key)",
        )
    first = report.first_seq
    if start == "genesis" and first is not None:
        if first == 1 and first_prev != GENESIS:
            problem(1, "chain_broken", "record 1 does not start from the genesis hash")
        elif first > 1:
            _check_purge_start(report, purges, first, first_prev, anchor, adopted_through)
    if anchor is not None and first is not None and anchor != (first - 1, first_prev):
        problem(
            anchor[0],
            "anchor_mismatch",
            f"the anchor row says the chain starts after record {anchor[0]}, but it starts at {first}",
        )
    if head is not None and head[0] > 0:
        if report.last_seq is None or report.last_seq < head[0]:
            begin = (report.last_seq or 0) + 1
            problem(
                begin,
                "tail_missing",
                f"records {begin}..{head[0]} deleted (the head says {head[0]} were written)",
            )
        elif report.last_seq > head[0] or report.last_hash != head[1]:
            problem(
                report.last_seq, "head_mismatch", f"the last record does not match the head (seq {head[0]})"
            )
    elif head is None and head_required and report.records:
        problem(report.last_seq or 0, "head_missing", "the head row is gone (deleted with a tail?)")
    if checkpoint is not None:
        tail_told = (
            head is not None
            and head[0] >= int(checkpoint["seq"])
            and any(p.kind == "tail_missing" for p in report.problems)
        )
        _check_checkpoint(report, checkpoint, tail_told)
    if rewritten:
        problem(
            rewritten[0],
            "checkpoint_mismatch",
            f"record {rewritten[0]} is not the record a signed checkpoint says was there (rewritten)"
            + (f"; so are {len(rewritten) - 1} more checkpointed records" if len(rewritten) > 1 else ""),
        )
    if checkpoint is None and require_checkpoint and report.records:
        problem(
            0,
            "no_checkpoint",
            "no signed checkpoint exists outside the database, so a wiped or rewritten trail could not "
            f"be told apart (see {CHECKPOINT_HINT})",
        )
    return report


def _check_purge_start(
    report: VerifyReport,
    purges: dict[int, tuple[dict, str, bool]],
    first: int,
    first_prev: str,
    anchor: tuple[int, str] | None,
    adopted_through: int,
) -> None:
    """A chain that starts after record 1 must start right after a signed retention purge."""
    covered = max((seq for seq in purges if seq < first), default=0)
    claim = " (an anchor row claims them, but an anchor row proves nothing)" if anchor else ""
    if covered != first - 1:
        what = (
            "no signed retention purge covers them"
            if not covered
            else f"the last purge removed 1..{covered} only"
        )
        report.add(covered + 1, "missing", f"records {covered + 1}..{first - 1} deleted: {what}{claim}")
        return
    payload, ts, keyed = purges[covered]
    if not keyed and first - 1 > adopted_through:
        report.add(1, "missing", f"records 1..{first - 1} deleted: the purge record is not signed{claim}")
        return
    if payload.get("last_hash", first_prev) != first_prev:
        report.add(
            first, "chain_broken", f"the chain does not continue from the last purged record {first - 1}"
        )
    refusal = _purge_refusal(payload, ts, retention_years())
    if refusal:
        report.add(
            1, "missing", f"records 1..{first - 1} deleted by a purge the retention policy forbids: {refusal}"
        )


def _check_checkpoint(report: VerifyReport, checkpoint: dict[str, Any], tail_told: bool) -> None:
    seq, when = int(checkpoint["seq"]), checkpoint.get("ts")
    if seq <= 0:
        return
    if report.records == 0:
        report.add(
            seq,
            "wiped",
            f"the trail is empty, but the signed checkpoint of {when} says {seq} records were written",
        )
    elif (report.last_seq or 0) < seq:
        if tail_told:  # the head row already says so
            return
        report.add(
            (report.last_seq or 0) + 1,
            "truncated",
            f"records {(report.last_seq or 0) + 1}..{seq} deleted: the signed checkpoint of {when} says the "
            f"trail reached record {seq}",
        )


def latest_checkpoint(
    key: bytes | None,
    report: VerifyReport | None = None,
    heads: dict[int, str] | None = None,
    engine: Engine | None = None,
) -> dict[str, Any] | None:
    """The newest correctly signed checkpoint in the checkpoint file and the witness file (and in
    ``heads`` the seq and hash of every signed one read); lines whose signature does not hold are
    reported (they were not written with the key)."""
    best: dict[str, Any] | None = None
    if key is None:
        return None
    for path in _checkpoint_files(engine):
        for item in _read_checkpoints(path):
            if not _signed(key, item) or not isinstance(item.get("seq"), int):
                if report is not None:
                    report.add(
                        int(item["seq"]) if isinstance(item.get("seq"), int) else 0,
                        "checkpoint_forged",
                        f"{path}: a checkpoint line whose signature does not hold (not written with the key)",
                    )
                continue
            if heads is not None:
                if heads.setdefault(item["seq"], item["hash"]) != item["hash"] and report is not None:
                    report.add(item["seq"], "checkpoint_mismatch", f"{path}: two signed checkpoints disagree")
            if best is None or item["seq"] > best["seq"]:
                best = item
    return best


class _CrossCheck:
    """Every API screening and every payment decision has its audit record, and every such audit
    record its row, unchanged. One pass keeps an order-free sum of each side; only when the sums
    differ is a second pass made to name the rows."""

    def __init__(self) -> None:
        self.screening = [0, 0]
        self.payment = [0, 0]

    def see(self, event_type: str, payload: dict, seq: int) -> None:
        if event_type == "screening":
            ident = payload.get("screening_id")
            if ident is not None:  # CLI screenings have no table row: their audit record is the record
                self.screening[0] += hash((ident, payload.get("record_sha256")))
                self.screening[1] += 1
        else:
            self.payment[0] += hash(
                (payload.get("message_key"), payload.get("content_sha256"), payload.get("decision"))
            )
            self.payment[1] += 1

    def finish(self, engine: Engine, report: VerifyReport) -> None:
        from proscribe.api.records import _audit_event
        from proscribe.payments.store import payment_decisions
        from proscribe.store.service_tables import screenings

        tables = set(inspect(engine).get_table_names())

        def screening_rows() -> Iterator[tuple[Any, str, str]]:
            for row in _table_rows(engine, screenings, screenings.c.id) if "screenings" in tables else ():
                yield row["id"], _audit_event(row)[2]["record_sha256"], row["created_at"]

        def payment_rows() -> Iterator[tuple[Any, tuple, str]]:
            if "payment_decisions" in tables:
                for row in _table_rows(engine, payment_decisions, payment_decisions.c.id):
                    yield row["message_key"], (row["content_sha256"], row["decision"]), row["screened_at"]

        total, count = 0, 0
        for ident, digest, _ in screening_rows():
            total += hash((ident, digest))
            count += 1
        if [total, count] != self.screening:
            self._locate(
                engine,
                report,
                "screening",
                "screening_id",
                lambda p: p.get("record_sha256"),
                screening_rows(),
                "screenings",
            )
        total, count = 0, 0
        for ident, value, _ in payment_rows():
            total += hash((ident, *value))
            count += 1
        if [total, count] != self.payment:
            self._locate(
                engine,
                report,
                "payment.decision",
                "message_key",
                lambda p: (p.get("content_sha256"), p.get("decision")),
                payment_rows(),
                "payment_decisions",
            )

    @staticmethod
    def _locate(engine, report, event_type, id_field, value_of, rows, table) -> None:
        audited: dict[Any, tuple[int, Any]] = {}
        with engine.connect() as conn:
            found = conn.execute(
                select(audit_log.c.seq, audit_log.c.payload).where(audit_log.c.event_type == event_type)
            )
            for seq, text in found:
                payload = json.loads(text)
                ident = payload.get(id_field)
                if ident is None:
                    continue
                if ident in audited:
                    report.add(seq, "duplicate_audit", f"a second {event_type} audit record for {ident}")
                audited[ident] = (seq, value_of(payload))
        for ident, value, when in rows:
            entry = audited.pop(ident, None)
            if entry is None:
                report.add(0, "unaudited", f"{table} row {ident} ({when}) has no {event_type} audit record")
            elif entry[1] != value:
                report.add(
                    entry[0],
                    "record_altered",
                    f"{table} row {ident} differs from what audit record {entry[0]} proves",
                )
        for ident, (seq, _) in audited.items():
            report.add(
                seq, "record_deleted", f"audit record {seq} proves {table} row {ident}, which is missing"
            )


def _table_rows(engine: Engine, table, order, batch: int = 20000) -> Iterator[dict]:
    last = None
    while True:
        query = select(table).order_by(order).limit(batch)
        if last is not None:
            query = query.where(order > last)
        with engine.connect() as conn:
            rows = [dict(row._mapping) for row in conn.execute(query)]
        if not rows:
            return
        yield from rows
        last = rows[-1][order.name]


def _meta(conn: Connection, name: str) -> tuple[int, str] | None:
    row = conn.execute(select(audit_meta.c.seq, audit_meta.c.hash).where(audit_meta.c.name == name)).first()
    return (int(row.seq), row.hash) if row else None


def _iter_rows(
    engine: Engine,
    since: str | None = None,
    until: str | None = None,
    batch: int = 50000,
    upto: int | None = None,
) -> Iterator[dict]:
    """Records in seq order, read in keyset pages (no long-lived cursor: portable and bounded)."""
    last = -1
    columns = [audit_log.c[name] for name in EXPORT_FIELDS]
    while True:
        query = select(*columns).where(audit_log.c.seq > last).order_by(audit_log.c.seq).limit(batch)
        if since:
            query = query.where(audit_log.c.ts >= since)
        if until:
            query = query.where(audit_log.c.ts < until)
        if upto is not None:
            query = query.where(audit_log.c.seq <= upto)
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return
        for row in rows:
            yield dict(zip(EXPORT_FIELDS, row, strict=True))
        last = rows[-1][0]


def verify(*, engine: Engine | None = None, cross_check: bool = True) -> VerifyReport:
    """Walk the whole stored chain against the key, the head and the newest signed checkpoint, and
    cross-check the screening and payment decision tables; every problem says what and where."""
    engine = engine or connect()
    flush_checkpoints()
    early = VerifyReport()
    try:
        key: bytes | None = signing_key(engine)
    except AuditKeyError as exc:
        key = None
        early.add(0, "key_missing", f"{exc}: no record's hash can be checked")
    heads: dict[int, str] = {}
    checkpoint = latest_checkpoint(key, early, heads, engine)
    with engine.connect() as conn:
        head = _meta(conn, "head")
        anchor = _meta(conn, "anchor")
        marker = _meta(conn, "keyed")
    if key is not None and marker is not None and marker[1] != key_id(key):
        early.add(
            0, "key_mismatch", f"the trail was signed with key {marker[1]}, the key file holds {key_id(key)}"
        )
    checker = _CrossCheck() if cross_check else None
    report = verify_rows(
        _iter_rows(engine),
        key=key,
        head=head,
        head_required=True,
        checkpoint=checkpoint,
        signed_heads=heads,
        require_checkpoint=key is not None,
        anchor=anchor,
        collect=checker.see if checker else None,
    )
    report.problems[:0] = early.problems
    if checker is not None:
        checker.finish(engine, report)
    del report.problems[MAX_PROBLEMS:]
    return report


def verify_file(path: Path, *, engine: Engine | None = None) -> VerifyReport:
    """Verify an export (as :func:`export` writes it, JSON lines or CSV) on its own: the signed
    chain line and end line must be there and hold, and the records between them must be exactly
    the ones they sign, each with its keyed hash, in order."""
    path = Path(path)
    report = VerifyReport()
    try:
        key: bytes | None = signing_key(engine)
    except AuditKeyError as exc:
        key = None
        report.add(0, "key_missing", f"{exc}: the export's signatures cannot be checked")
    header, trailer, records = _read_export(path, report)
    if header is None:
        report.add(
            0,
            "no_chain_line",
            f"{path.name} has no chain line: it cannot be told apart from a cut or forged file",
        )
    elif key is not None and (not _signed(key, header) or header.get("version") != EXPORT_VERSION):
        report.add(
            0,
            "export_header",
            "the chain line's signature does not hold (edited, or not written with the key)",
        )
    if header is not None and trailer is None:
        report.add(0, "export_trailer", "the signed end line is missing (records cut from the end?)")
    elif trailer is not None and key is not None:
        if not _signed(key, trailer) or header is None or trailer.get("header_sig") != header.get("sig"):
            report.add(
                0, "export_trailer", "the end line's signature does not hold or belongs to another export"
            )
    partial = bool(header.get("partial")) if header is not None else True
    head = (int(header["head_seq"]), header["head_hash"]) if header is not None and not partial else None
    checked = verify_rows(records, key=key, start="free" if partial else "genesis", head=head)
    checked.problems[:0] = report.problems
    if trailer is not None:
        running = hashlib.sha256(str((header or {}).get("sig", "")).encode())
        for row in records:
            running.update(str(row.get("hash")).encode())
        stated = (
            trailer.get("count"),
            trailer.get("first_seq"),
            trailer.get("last_seq"),
            trailer.get("last_hash"),
        )
        actual = (checked.records, checked.first_seq, checked.last_seq, checked.last_hash)
        if stated != actual:
            checked.add(
                int(trailer.get("last_seq") or 0),
                "export_trailer",
                f"the end line signs {stated[0]} records {stated[1]}..{stated[2]}, the file holds {actual[0]} "
                f"({actual[1]}..{actual[2]}): records removed or added",
            )
        elif trailer.get("digest") != running.hexdigest():
            checked.add(
                0,
                "export_trailer",
                "the records are not the ones the end line signs (replaced or re-ordered)",
            )
        if records and trailer.get("first_prev_hash") != records[0].get("prev_hash"):
            checked.add(
                checked.first_seq or 0, "chain_broken", "the first record does not continue the signed chain"
            )
    del checked.problems[MAX_PROBLEMS:]
    return checked


def _read_export(path: Path, report: VerifyReport) -> tuple[dict | None, dict | None, list[dict]]:
    with path.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    header = trailer = None
    records: list[dict] = []
    if text.lstrip().startswith("{"):
        items = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    items.append(json.loads(line))
                except ValueError:
                    report.add(0, "altered", f"line {number} is not JSON")
    else:
        items = []
        for row in csv.DictReader(text.splitlines()):
            if row.get("seq") in ("chain", "end"):
                try:
                    items.append(json.loads(row.get("payload") or ""))
                except ValueError:
                    report.add(0, "export_header", f"the {row['seq']} row is not JSON")
            else:
                items.append({key: unescape_cell(value or "") for key, value in row.items()})
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        kind = item.get("record")
        if kind == "chain":
            if position != 0 or header is not None:
                report.add(0, "export_header", "a chain line that is not the first line")
            header = item
        elif kind == "end":
            if position != len(items) - 1 or trailer is not None:
                report.add(0, "export_trailer", "an end line that is not the last line")
            trailer = item
        else:
            records.append(item)
    return header, trailer, records


# -- export and retention -----------------------------------------------------------------------


def export(
    path: Path,
    *,
    fmt: str = "jsonl",
    since: str | None = None,
    until: str | None = None,
    engine: Engine | None = None,
) -> int:
    """Write the records (optionally ``since``/``until`` ISO timestamps) for examiners as JSON lines
    (a signed ``{"record": "chain", ...}`` first line, one record a line with the payload kept as
    the exact hashed text, a signed ``{"record": "end", ...}`` last line) or CSV (the same two lines
    as rows whose ``seq`` is ``chain`` / ``end`` and whose ``payload`` holds them). The records
    written are those up to the head read at the start. Returns the number of records written."""
    engine = engine or connect()
    if fmt not in ("jsonl", "csv"):
        raise ValueError(f"unknown export format {fmt!r}; use jsonl or csv")
    key = signing_key(engine)
    flush_checkpoints()
    with engine.connect() as conn:
        head = _meta(conn, "head") or (0, GENESIS)
    header: dict[str, Any] = {
        "record": "chain",
        "version": EXPORT_VERSION,
        "partial": bool(since or until),
        "since": since,
        "until": until,
        "head_seq": head[0],
        "head_hash": head[1],
        "exported_at": now(),
        "key_id": key_id(key),
    }
    header["sig"] = sign(key, header)
    running = hashlib.sha256(header["sig"].encode())
    count, first_seq, first_prev, last_seq, last_hash = 0, None, None, None, None
    with Path(path).open("w", encoding="utf-8", newline="") as out:
        writer = None
        if fmt == "jsonl":
            out.write(json.dumps(header) + "\n")
        else:
            writer = SafeDictWriter(out, fieldnames=list(EXPORT_FIELDS), numeric={"seq"})
            writer.writeheader()
            writer.writerow({"seq": "chain", "payload": json.dumps(header)})
        for row in _iter_rows(engine, since, until, upto=head[0]):
            if writer is None:
                out.write(json.dumps({k: row[k] for k in EXPORT_FIELDS}, ensure_ascii=False) + "\n")
            else:
                writer.writerow({k: row[k] for k in EXPORT_FIELDS})
            running.update(row["hash"].encode())
            count += 1
            if first_seq is None:
                first_seq, first_prev = row["seq"], row["prev_hash"]
            last_seq, last_hash = row["seq"], row["hash"]
        trailer: dict[str, Any] = {
            "record": "end",
            "count": count,
            "first_seq": first_seq,
            "first_prev_hash": first_prev,
            "last_seq": last_seq,
            "last_hash": last_hash,
            "digest": running.hexdigest(),
            "header_sig": header["sig"],
        }
        trailer["sig"] = sign(key, trailer)
        if writer is None:
            out.write(json.dumps(trailer) + "\n")
        else:
            writer.writerow({"seq": "end", "payload": json.dumps(trailer)})
    return count


def purge(
    *,
    retention: int | None = None,
    actor: str = "system",
    today: datetime.date | None = None,
    engine: Engine | None = None,
) -> int:
    """Delete records older than the retention period (years; never shorter than the configured
    policy) and write a signed purge record of the range removed, from which :func:`verify` knows
    the chain may start after it. Returns the number purged."""
    engine = engine or connect()
    policy = retention_years()
    years = retention if retention is not None else policy
    if years < policy:
        raise ValueError(
            f"retention of {years} years is shorter than the policy of {policy} "
            "(PROSCRIBE_AUDIT_RETENTION_YEARS): records younger than the retention are never purged"
        )
    today = today or datetime.datetime.now(datetime.UTC).date()
    cutoff = _years_before(today, years).isoformat()
    with engine.begin() as conn:
        _lock_head(conn)
        row = conn.execute(
            select(audit_log.c.seq, audit_log.c.hash, audit_log.c.ts)
            .where(audit_log.c.ts < cutoff)
            .order_by(audit_log.c.seq.desc())
        ).first()
        if row is None:
            return 0
        # purge a prefix only: never leave a hole in the middle of the chain
        first = conn.execute(select(audit_log.c.seq).order_by(audit_log.c.seq)).scalar()
        last_seq, last_hash = int(row.seq), row.hash
        count = conn.execute(delete(audit_log).where(audit_log.c.seq <= last_seq)).rowcount
        updated = conn.execute(
            update(audit_meta).where(audit_meta.c.name == "anchor").values(seq=last_seq, hash=last_hash)
        )
        if updated.rowcount == 0:
            conn.execute(insert(audit_meta).values(name="anchor", seq=last_seq, hash=last_hash))
        append(
            PURGE_EVENT,
            actor,
            {
                "retention_years": years,
                "cutoff": cutoff,
                "first_seq": first,
                "last_seq": last_seq,
                "last_hash": last_hash,
                "last_ts": row.ts,
                "records": count,
            },
            conn=conn,
        )
    return count
