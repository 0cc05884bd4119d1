"""The audit trail: an append-only, hash-chained log of everything an examiner may ask about.

Every screening, decision, disposition, whitelisting, key and configuration change and list import
is one record: ``seq`` (previous + 1), ``ts``, ``event_type``, ``actor``, ``payload`` (canonical
JSON), ``prev_hash`` (the previous record's hash) and ``hash`` = sha256 over all of those. Editing,
deleting or re-ordering any record breaks the chain at that record, and :func:`verify` says where.
A ``head`` row (last seq and hash), updated in the same transaction as every append, shows a
removed tail; an ``anchor`` row says where the chain starts after a retention purge.

Retention is 10 years by default (OFAC's record-keeping rule, 31 CFR 501.601, since March 2025)
and configurable (``PROSCRIBE_AUDIT_RETENTION_YEARS`` or ``purge(retention_years=...)``); records
are never purged younger than that.

Other modules call :func:`append` (``conn=`` to write in the caller's own transaction, so the
action and its record commit together or not at all). Event types in use: ``screening``,
``book.import``, ``monitor.run``, ``alert.raised``, ``case.*``, ``goodguy.*``, ``list.import``
(:func:`list_import_hook`), ``key.*`` and ``config.*`` (:func:`config_change`).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from proscribe.cases.store import audit_log, audit_meta, now
from proscribe.store.db import connect

GENESIS = "0" * 64
EXPORT_FIELDS = ("seq", "ts", "event_type", "actor", "payload", "prev_hash", "hash")
DEFAULT_RETENTION_YEARS = 10
MAX_PROBLEMS = 100


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


def record_hash(seq: int, ts: str, event_type: str, actor: str, payload: str, prev_hash: str) -> str:
    """sha256 over the fields joined by the unit separator (which canonical JSON and the other
    fields never contain unescaped)."""
    line = f"{seq}\x1f{ts}\x1f{event_type}\x1f{actor}\x1f{payload}\x1f{prev_hash}"
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


def _lock_head(conn: Connection) -> tuple[int, str]:
    """Take the head row for this transaction (a write first: a row lock on PostgreSQL, the
    write lock on SQLite) and return the last seq and hash."""
    result = conn.execute(update(audit_meta).where(audit_meta.c.name == "head").values(seq=audit_meta.c.seq))
    if result.rowcount == 0:
        conn.execute(insert(audit_meta).values(name="head", seq=0, hash=GENESIS))
    row = conn.execute(select(audit_meta.c.seq, audit_meta.c.hash).where(audit_meta.c.name == "head")).one()
    return int(row.seq), row.hash


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
    """Append records in order, in one transaction (the caller's, when ``conn`` is given)."""
    events = list(events)
    if not events:
        return []
    if conn is None:
        with (engine or connect()).begin() as own:
            return append_many(events, conn=own)
    seq, prev = _lock_head(conn)
    rows = []
    ts = now()
    for event_type, actor, payload in events:
        seq += 1
        text = canonical(payload)
        digest = record_hash(seq, ts, event_type, actor or "system", text, prev)
        rows.append(
            {
                "seq": seq,
                "ts": ts,
                "event_type": event_type,
                "actor": actor or "system",
                "payload": text,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    for start in range(0, len(rows), 5000):
        conn.execute(insert(audit_log), rows[start : start + 5000])
    conn.execute(update(audit_meta).where(audit_meta.c.name == "head").values(seq=seq, hash=prev))
    return [row["seq"] for row in rows]


# -- hooks for other modules --------------------------------------------------------------------


def list_import_hook(result, *, actor: str = "system", engine: Engine | None = None) -> int:
    """Record a list import (a :class:`proscribe.store.snapshots.ImportResult`)."""
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
    kind: str  # altered | missing | chain_broken | tail_missing | head_mismatch
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

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "records": self.records,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "last_hash": self.last_hash,
            "problems": [p.__dict__ for p in self.problems],
        }


def verify_rows(
    rows: Iterable[dict], *, anchor: tuple[int, str] = (0, GENESIS), head: tuple[int, str] | None = None
) -> VerifyReport:
    """Check a sequence of records (ordered by seq) against the chain."""
    report = VerifyReport()
    expected, prev = anchor[0] + 1, anchor[1]

    def problem(seq: int, kind: str, detail: str) -> None:
        if len(report.problems) < MAX_PROBLEMS:
            report.problems.append(Problem(seq, kind, detail))

    for row in rows:
        seq = int(row["seq"])
        report.records += 1
        if report.first_seq is None:
            report.first_seq = seq
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
        digest = record_hash(
            seq, row["ts"], row["event_type"], row["actor"], row["payload"], row["prev_hash"]
        )
        if digest != row["hash"]:
            problem(seq, "altered", "its content does not match its hash (edited after it was written)")
        prev = row["hash"]
        expected = seq + 1
        report.last_seq, report.last_hash = seq, row["hash"]
    if head is not None and head[0] > anchor[0]:
        if report.last_seq is None or report.last_seq < head[0]:
            start = (report.last_seq or anchor[0]) + 1
            problem(
                start,
                "tail_missing",
                f"records {start}..{head[0]} deleted (the head says {head[0]} were written)",
            )
        elif report.last_seq > head[0] or report.last_hash != head[1]:
            problem(
                report.last_seq, "head_mismatch", f"the last record does not match the head (seq {head[0]})"
            )
    return report


def _meta(conn: Connection, name: str) -> tuple[int, str] | None:
    row = conn.execute(select(audit_meta.c.seq, audit_meta.c.hash).where(audit_meta.c.name == name)).first()
    return (int(row.seq), row.hash) if row else None


def _iter_rows(
    engine: Engine, since: str | None = None, until: str | None = None, batch: int = 50000
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
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return
        for row in rows:
            yield dict(zip(EXPORT_FIELDS, row, strict=True))
        last = rows[-1][0]


def verify(*, engine: Engine | None = None) -> VerifyReport:
    """Walk the whole stored chain; every problem names the record where it shows."""
    engine = engine or connect()
    with engine.connect() as conn:
        anchor = _meta(conn, "anchor") or (0, GENESIS)
        head = _meta(conn, "head")
    return verify_rows(_iter_rows(engine), anchor=anchor, head=head)


def verify_file(path: Path) -> VerifyReport:
    """Verify a JSON lines export (as :func:`export` writes it): examiners can check the chain."""
    with Path(path).open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    meta = next((r for r in rows if r.get("record") == "chain"), None)
    records = [r for r in rows if r.get("record") != "chain"]
    anchor, head = (0, GENESIS), None
    if meta is not None and not meta.get("partial"):
        anchor, head = (meta["anchor_seq"], meta["anchor_hash"]), (meta["head_seq"], meta["head_hash"])
    elif records:  # a date range: check the chain inside it
        anchor = (int(records[0]["seq"]) - 1, records[0]["prev_hash"])
    return verify_rows(records, anchor=anchor, head=head)


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
    (a first ``{"record": "chain", ...}`` line, then one record a line, payload kept as the exact
    hashed text so the chain can be re-checked) or CSV. Returns the number of records written."""
    engine = engine or connect()
    if fmt not in ("jsonl", "csv"):
        raise ValueError(f"unknown export format {fmt!r}; use jsonl or csv")
    with engine.connect() as conn:
        anchor = _meta(conn, "anchor") or (0, GENESIS)
        head = _meta(conn, "head") or (0, GENESIS)
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as out:
        if fmt == "jsonl":
            out.write(
                json.dumps(
                    {
                        "record": "chain",
                        "partial": bool(since or until),
                        "anchor_seq": anchor[0],
                        "anchor_hash": anchor[1],
                        "head_seq": head[0],
                        "head_hash": head[1],
                        "exported_at": now(),
                    }
                )
                + "\n"
            )
            for row in _iter_rows(engine, since, until):
                out.write(json.dumps({k: row[k] for k in EXPORT_FIELDS}, ensure_ascii=False) + "\n")
                count += 1
        else:
            writer = csv.DictWriter(out, fieldnames=list(EXPORT_FIELDS))
            writer.writeheader()
            for row in _iter_rows(engine, since, until):
                writer.writerow({k: row[k] for k in EXPORT_FIELDS})
                count += 1
    return count


def purge(
    *,
    retention: int | None = None,
    actor: str = "system",
    today: datetime.date | None = None,
    engine: Engine | None = None,
) -> int:
    """Delete records older than the retention period (years); the chain stays verifiable from
    the anchor (the last purged record's seq and hash). Returns the number purged."""
    engine = engine or connect()
    years = retention if retention is not None else retention_years()
    if years < 1:
        raise ValueError("retention must be at least one year")
    today = today or datetime.datetime.now(datetime.UTC).date()
    try:
        cutoff_date = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff_date = today.replace(year=today.year - years, day=28)
    cutoff = cutoff_date.isoformat()
    with engine.begin() as conn:
        _lock_head(conn)
        row = conn.execute(
            select(audit_log.c.seq, audit_log.c.hash)
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
            "audit.retention_purge",
            actor,
            {
                "retention_years": years,
                "cutoff": cutoff,
                "first_seq": first,
                "last_seq": last_seq,
                "records": count,
            },
            conn=conn,
        )
    return count
