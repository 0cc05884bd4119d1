"""Decisions recorded before they are returned; the blocked property and rejected registers.

:func:`process` is what every interface calls for one payment: if the message was decided
before (same message key, same content) the recorded decision is returned as it was, without
screening again; otherwise it is decided, and the decision, and for ``block`` the blocked
property register entry, for ``reject`` the rejected transaction entry, are written in one
transaction before the line is returned. Unique keys make a re-run (after a crash mid-batch)
neither lose nor duplicate anything. A message id reused for different content is held, and
the first recorded decision stands.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.exc import IntegrityError

from proscribe.payments.decide import Outcome, Screener
from proscribe.payments.messages import Payment
from proscribe.payments.store import blocked_property, payment_decisions, rejected_transactions
from proscribe.store.db import connect


def content_hash(payment: Payment) -> str:
    return hashlib.sha256(f"{payment.format}\0{payment.message_id}\0{payment.raw}".encode()).hexdigest()


def message_key(payment: Payment) -> str:
    """The register key: the message id (per transaction), or the content hash when there is none."""
    if payment.message_id:
        return payment.message_id
    return "sha256:" + hashlib.sha256(f"{payment.file}\0{payment.raw}".encode()).hexdigest()[:40]


def blocked_account_id(key: str, blocked_on: str) -> str:
    return f"BLK-{blocked_on.replace('-', '')}-{hashlib.sha256(key.encode()).hexdigest()[:10].upper()}"


_SELECT_DECISION = select(payment_decisions).where(payment_decisions.c.message_key == bindparam("key"))
_INSERT_DECISION = payment_decisions.insert()
_INSERT_BLOCKED = blocked_property.insert()
_INSERT_REJECTED = rejected_transactions.insert()


def recorded(key: str, engine: Engine | None = None) -> dict[str, Any] | None:
    engine = engine or connect()
    with engine.connect() as conn:
        row = conn.execute(_SELECT_DECISION, {"key": key}).mappings().first()
    return dict(row) if row else None


def process(
    payment: Payment, screener: Screener, *, engine: Engine | None = None, today: date | None = None
) -> dict[str, Any]:
    """The recorded decision line for ``payment`` (deciding and recording it first if new)."""
    engine = engine or connect()
    key = message_key(payment)
    if not payment.message_id:
        payment.message_id = key
    digest = content_hash(payment)
    existing = recorded(key, engine)
    if existing is not None:
        return _replay(existing, digest, payment)
    outcome = screener.decide(payment)
    return record(outcome, engine=engine, today=today)


def internal_error(payment: Payment, exc: Exception) -> dict[str, Any]:
    """A hold line for an unexpected failure; not recorded, so a re-run screens the message again."""
    return {
        "message_id": payment.message_id,
        "file": payment.file,
        "format": payment.format,
        "decision": "hold",
        "reasons": [
            {
                "kind": "parse_error",
                "field": "message",
                "value": None,
                "action": "hold",
                "result": None,
                "detail": f"internal error while screening ({type(exc).__name__}: {exc}); held, not recorded",
            }
        ],
    }


def process_many(
    payments: list[Payment], screener: Screener, *, engine: Engine | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """Lines for a chunk of payments, in order. Decided before are replayed; the others are
    decided and then recorded in one transaction, before any line is returned (a crash loses
    only lines that were never returned). The same key twice in a chunk is decided once."""
    if not payments:
        return []
    engine = engine or connect()
    keyed = []
    for payment in payments:
        key = message_key(payment)
        if not payment.message_id:
            payment.message_id = key
        keyed.append((payment, key, content_hash(payment)))
    with engine.connect() as conn:
        rows = conn.execute(
            select(payment_decisions).where(payment_decisions.c.message_key.in_([k for _, k, _ in keyed]))
        )
        existing = {row["message_key"]: dict(row) for row in rows.mappings()}
    lines: list[dict[str, Any] | None] = [None] * len(keyed)
    fresh: dict[str, tuple[int, Outcome, str]] = {}
    duplicates: list[int] = []
    for i, (payment, key, digest) in enumerate(keyed):
        if key in existing:
            lines[i] = _replay(existing[key], digest, payment)
        elif key in fresh:
            duplicates.append(i)
        else:
            try:
                fresh[key] = (i, screener.decide(payment), digest)
            except Exception as exc:  # noqa: BLE001 - one failing message is held, the chunk goes on
                lines[i] = internal_error(payment, exc)
    now = datetime.now(UTC)
    day = (today or now.date()).isoformat()
    decisions, blocked, rejected = [], [], []
    for key, (i, outcome, digest) in fresh.items():
        lines[i] = outcome.line()
        decisions.append(_decision_row(outcome, key, digest, lines[i], now))
        if outcome.decision == "block":
            blocked.append(_register_row(outcome, key, day))
        elif outcome.decision == "reject":
            rejected.append(_register_row(outcome, key, day))
    try:
        if decisions:
            with engine.begin() as conn:
                conn.execute(_INSERT_DECISION, decisions)
                if blocked:
                    conn.execute(_INSERT_BLOCKED, blocked)
                if rejected:
                    conn.execute(_INSERT_REJECTED, rejected)
    except IntegrityError:  # another process recorded some of them meanwhile: one by one, theirs stand
        for _key, (i, outcome, _digest) in fresh.items():
            lines[i] = record(outcome, engine=engine, today=today)
    for i in duplicates:
        payment, key, digest = keyed[i]
        first = fresh.get(key)
        if first is None:  # the first one failed internally
            lines[i] = internal_error(payment, RuntimeError("earlier copy in the batch failed"))
            continue
        pending = {
            "output": json.dumps(lines[first[0]]),
            "content_sha256": first[2],
            "screened_at": now.isoformat(timespec="seconds"),
            "decision": first[1].decision,
        }
        lines[i] = _replay(pending, digest, payment)
    return [line for line in lines if line is not None]


def _decision_row(
    outcome: Outcome, key: str, digest: str, line: dict[str, Any], now: datetime
) -> dict[str, Any]:
    payment = outcome.payment
    snapshots = {ds: snap.get("label") for ds, snap in outcome.snapshots.items()}
    return {
        "message_key": key,
        "message_id": payment.message_id,
        "content_sha256": digest,
        "file": payment.file,
        "format": payment.format,
        "regime": outcome.regime,
        "decision": outcome.decision,
        "output": json.dumps(line, ensure_ascii=False),
        "snapshots": json.dumps(snapshots, ensure_ascii=False),
        "screened_at": now.isoformat(timespec="seconds"),
    }


def _replay(existing: dict[str, Any], digest: str, payment: Payment) -> dict[str, Any]:
    line = json.loads(existing["output"])
    if existing["content_sha256"] == digest:
        return line
    return {
        "message_id": payment.message_id,
        "file": payment.file,
        "format": payment.format,
        "decision": "hold",
        "regime": line.get("regime"),
        "reasons": [
            {
                "kind": "parse_error",
                "field": "message_id",
                "value": payment.message_id,
                "detail": f"message id already used by a different message (screened {existing['screened_at']}, "
                f"decision {existing['decision']}); held as a possible duplicate or tampering",
                "action": "hold",
                "result": None,
            }
        ],
    }


def record(outcome: Outcome, *, engine: Engine | None = None, today: date | None = None) -> dict[str, Any]:
    engine = engine or connect()
    payment = outcome.payment
    key = message_key(payment)
    digest = content_hash(payment)
    line = outcome.line()
    now = datetime.now(UTC)
    day = (today or now.date()).isoformat()
    from proscribe import audit

    try:
        with engine.begin() as conn:
            conn.execute(_INSERT_DECISION, _decision_row(outcome, key, digest, line, now))
            if outcome.decision in ("block", "reject"):
                statement = _INSERT_BLOCKED if outcome.decision == "block" else _INSERT_REJECTED
                conn.execute(statement, _register_row(outcome, key, day))
            # the decision and its audit record commit together
            audit.append("payment.decision", "payments", {
                "message_key": key, "message_id": payment.message_id, "format": line.get("format"),
                "decision": outcome.decision, "content_sha256": digest,
                "reasons": [{"kind": r.get("kind"), "field": r.get("field"), "detail": r.get("detail")}
                            for r in line.get("reasons", [])],
            }, conn=conn)
    except IntegrityError:  # recorded meanwhile by another process: that record stands
        existing = recorded(key, engine)
        if existing is None:  # pragma: no cover - an integrity error with no row is a real failure
            raise
        return _replay(existing, digest, payment)
    _open_case(outcome, key, digest, line, engine)
    return line


def _open_case(outcome: Outcome, key: str, digest: str, line: dict[str, Any], engine: Engine) -> None:
    """A held, blocked or rejected payment with a list match becomes a case for an analyst."""
    if outcome.decision == "pass":
        return
    matches = [r["result"] for r in line.get("reasons", []) if r.get("result")]
    if not matches:
        return
    from proscribe.cases.alerts import raise_for_result

    result = {"id": key, "decision": "block" if outcome.decision in ("block", "reject") else "review",
              "results": matches}
    raise_for_result("payment", key, digest, result, trigger=f"payment screening: {outcome.decision}", engine=engine)


def _register_row(outcome: Outcome, key: str, day: str) -> dict[str, Any]:
    payment = outcome.payment
    reason = outcome.deciding()
    result = reason.result if reason and reason.result else {}
    programs = list(result.get("programs") or ([reason.program] if reason and reason.program else []))
    row = {
        "message_key": key,
        "message_id": payment.message_id,
        "amount": str(payment.amount) if payment.amount is not None else None,
        "currency": payment.currency,
        "value_date": payment.value_date,
        "parties": json.dumps(payment.summary(), ensure_ascii=False),
        "entity_id": result.get("id"),
        "entity_name": result.get("caption") or (reason.value if reason else None),
        "programs": json.dumps(programs),
        "basis": reason.detail if reason else outcome.decision,
        "regime": outcome.regime,
        "raw_message": payment.raw[:100_000],
    }
    if outcome.decision == "block":
        row.update(
            blocked_on=day,
            blocked_account_id=blocked_account_id(key, day),
            interest_bearing=True,
            status="blocked",
        )
    else:
        row.update(rejected_on=day)
    return row
