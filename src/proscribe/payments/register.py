"""Decisions recorded before they are returned; the blocked property and rejected registers.

:func:`process_many` is the one path every interface takes (``proscribe payments screen``, its
``--watch`` mode, ``POST /v1/payments/screen``; :func:`process` is it for one message): a
message decided before under the same conditions is replayed as recorded; otherwise it is
decided, and the decision, its ``payment.decision`` audit record, for ``block`` the blocked
property register entry, for ``reject`` the rejected transaction entry, and for a held,
blocked or rejected payment with a list match its case, are written in one transaction before
the line is returned.

**The replay key** covers everything the decision depends on: the message (its id and the
digest of its own bytes), the regime, the datasets screened, the list snapshots, and the
configuration (``matching.toml``, ``geography.json``, the engine and decision versions); see
:meth:`proscribe.payments.decide.Screener.basis`. The same message under the same conditions is
replayed (a re-run after a crash neither loses nor duplicates anything); under another regime,
a newer list or another configuration it is screened anew and recorded apart. A message id
reused for different content is held, and the first recorded decision stands. The registers
stay keyed by the message: a payment screened anew and blocked again is registered once.

**Isolation.** One message that cannot be decided or recorded (a fault on hostile input) gets a
``hold`` line of its own, not recorded, so a re-run screens it again; the others go on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, Index, select
from sqlalchemy.exc import IntegrityError

from proscribe.payments.decide import Outcome, Screener
from proscribe.payments.messages import ParseIssue, Payment
from proscribe.payments.store import blocked_property, payment_decisions, rejected_transactions
from proscribe.store.db import connect

log = logging.getLogger("proscribe.payments")
ACTOR = "payments"
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_BY_MESSAGE_ID = Index("ix_payment_decisions_message_id", payment_decisions.c.message_id)


def content_hash(payment: Payment) -> str:
    """What the message says: its format, its id and the digest of its own bytes."""
    digest = payment.digest or hashlib.sha256(payment.raw.encode("utf-8", "replace")).hexdigest()
    return hashlib.sha256(
        f"{payment.format}\0{payment.message_id}\0{digest}".encode("utf-8", "replace")
    ).hexdigest()


def legacy_content_hash(payment: Payment) -> str:
    """The content hash decisions were recorded under before the replay key: a message screened
    then is the same message now, not a reused id."""
    text = f"{payment.format}\0{payment.message_id}\0{payment.raw}"
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def message_key(payment: Payment) -> str:
    """The register key: the message id (per transaction), or the content hash when there is none."""
    if payment.message_id:
        return payment.message_id
    return (
        "sha256:"
        + hashlib.sha256(f"{payment.file}\0{payment.raw}".encode("utf-8", "replace")).hexdigest()[:40]
    )


def replay_key(payment: Payment, screener: Screener) -> str:
    """The decision's key: the message and every condition its decision depends on."""
    key = message_key(payment)
    digest = hashlib.sha256(
        f"{key}\0{content_hash(payment)}\0{screener.basis_digest}".encode("utf-8", "replace")
    ).hexdigest()
    return f"{key[:120]}@{digest[:32]}"


def blocked_account_id(key: str, blocked_on: str) -> str:
    return f"BLK-{blocked_on.replace('-', '')}-{hashlib.sha256(key.encode('utf-8', 'replace')).hexdigest()[:10].upper()}"


_INSERT_DECISION = payment_decisions.insert()
_INSERT_BLOCKED = blocked_property.insert()
_INSERT_REJECTED = rejected_transactions.insert()
_indexed: set[int] = set()


def _ensure_index(engine: Engine) -> None:
    """The message-id index (the reused-id check), on stores made before it existed too."""
    if id(engine) not in _indexed:
        _BY_MESSAGE_ID.create(engine, checkfirst=True)
        _indexed.add(id(engine))


def recorded(key: str, engine: Engine | None = None) -> dict[str, Any] | None:
    """The decision recorded under replay key ``key``, or the latest one for message id ``key``."""
    engine = engine or connect()
    with engine.connect() as conn:
        row = (
            conn.execute(select(payment_decisions).where(payment_decisions.c.message_key == key))
            .mappings()
            .first()
        )
        if row is None:
            row = (
                conn.execute(
                    select(payment_decisions)
                    .where(payment_decisions.c.message_id == key)
                    .order_by(payment_decisions.c.id.desc())
                )
                .mappings()
                .first()
            )
    return dict(row) if row else None


#: What an unrecorded hold line says: the run reports them and exits non-zero.
NOT_RECORDED = "held, not recorded"


def is_unrecorded(line: dict[str, Any]) -> bool:
    """Whether ``line`` is a hold that could not be recorded (:func:`internal_error`)."""
    return any(NOT_RECORDED in (reason.get("detail") or "") for reason in line.get("reasons", []))


def internal_error(payment: Payment, exc: BaseException) -> dict[str, Any]:
    """A hold line for an unexpected failure; not recorded, so a re-run screens the message again."""
    return _clean(
        {
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
                    "detail": f"internal error while screening ({type(exc).__name__}: {str(exc)[:300]}); "
                    f"{NOT_RECORDED}",
                }
            ],
        }
    )


def process(
    payment: Payment,
    screener: Screener,
    *,
    engine: Engine | None = None,
    today: date | None = None,
    actor: str = ACTOR,
) -> dict[str, Any]:
    """The recorded decision line for one payment: :func:`process_many` for one. A failure to
    decide it is raised (the caller holds it: :func:`internal_error`)."""
    return process_many([payment], screener, engine=engine, today=today, actor=actor, isolate=False)[0]


class _Item:
    __slots__ = ("payment", "key", "register_key", "digest", "line", "outcome")

    def __init__(self, payment: Payment, screener: Screener):
        self.register_key = message_key(payment)
        if not payment.message_id:
            payment.message_id = self.register_key
        self.payment = payment
        self.digest = content_hash(payment)
        self.key = replay_key(payment, screener)
        self.line: dict[str, Any] | None = None
        self.outcome: Outcome | None = None


def process_many(
    payments: list[Payment],
    screener: Screener,
    *,
    engine: Engine | None = None,
    today: date | None = None,
    actor: str = ACTOR,
    isolate: bool = True,
) -> list[dict[str, Any]]:
    """Lines for a chunk of payments, in order. Decided before under the same conditions:
    replayed; a reused message id with other content: held; the others are decided, then
    recorded with their audit records, register entries and cases in one transaction, before
    any line is returned (a crash loses only lines that were never returned). The same message
    twice in a chunk is decided once. With ``isolate`` a message that cannot be
    decided gets a hold line (not recorded) and the chunk goes on."""
    if not payments:
        return []
    engine = engine or connect()
    _ensure_index(engine)
    items = [_Item(payment, screener) for payment in payments]
    with engine.connect() as conn:
        rows = conn.execute(
            select(payment_decisions).where(payment_decisions.c.message_key.in_({i.key for i in items}))
        )
        existing = {row["message_key"]: dict(row) for row in rows.mappings()}
        others: dict[str, dict[str, Any]] = {}
        ids = {i.payment.message_id for i in items if i.key not in existing}
        if ids:
            rows = conn.execute(
                select(payment_decisions)
                .where(payment_decisions.c.message_id.in_(ids))
                .order_by(payment_decisions.c.id)
            )
            for row in rows.mappings():
                others.setdefault(row["message_id"], dict(row))  # the first record stands
    fresh: dict[str, _Item] = {}
    duplicates: list[_Item] = []
    for item in items:
        if item.key in existing:
            item.line = _replay(existing[item.key], item.digest, item.payment)
            continue
        first = others.get(item.payment.message_id)
        if first is not None and first["content_sha256"] not in (
            item.digest,
            legacy_content_hash(item.payment),
        ):
            # A possible duplicate or tampering: held, and still screened and recorded, so the
            # hold names any listed party the new content holds (the first record stands).
            item.payment.errors.insert(0, ParseIssue("message_id", _reused_id_detail(first)))
        if item.key in fresh:
            duplicates.append(item)
        else:
            try:
                item.outcome = screener.decide(item.payment)
            except Exception as exc:
                if not isolate:
                    raise
                log.exception("payment %s could not be decided", item.payment.message_id)
                item.line = internal_error(item.payment, exc)
                continue
            item.line = _clean(item.outcome.line())
            fresh[item.key] = item
    _record(list(fresh.values()), screener, engine, today, actor, isolate)
    for item in duplicates:
        first = fresh.get(item.key)
        if first is None or first.outcome is None:  # the first one failed
            item.line = internal_error(item.payment, RuntimeError("an earlier copy in the batch failed"))
        else:
            item.line = first.line
    return [item.line for item in items if item.line is not None]


def _record(
    items: list[_Item], screener: Screener, engine: Engine, today: date | None, actor: str, isolate: bool
) -> None:
    """Every item's decision, audit record, register entry and case, in one transaction; one by
    one when that fails (another process recorded some meanwhile, or one cannot be stored)."""
    if not items:
        return
    fingerprints = None
    if any(_case_result(item) for item in items):
        from proscribe.cases.monitor import cached_fingerprints

        fingerprints = cached_fingerprints(screener.index, engine=engine)
    try:
        _write(items, engine, today, actor, fingerprints)
        return
    except IntegrityError:
        pass
    except Exception:
        if not isolate and len(items) == 1:
            raise
        log.exception("recording a chunk of %d payment decisions failed; recording one by one", len(items))
    for item in items:
        try:
            _write([item], engine, today, actor, fingerprints)
        except IntegrityError:  # recorded meanwhile by another process: that record stands
            row = recorded(item.key, engine)
            if row is None:
                if not isolate:
                    raise
                item.line = internal_error(item.payment, RuntimeError("the decision could not be recorded"))
                item.outcome = None
            else:
                item.line = _replay(row, item.digest, item.payment)
        except Exception as exc:
            if not isolate:
                raise
            log.exception("payment %s could not be recorded", item.payment.message_id)
            item.line = internal_error(item.payment, exc)
            item.outcome = None


def _write(
    items: list[_Item], engine: Engine, today: date | None, actor: str, fingerprints: dict | None
) -> None:
    from proscribe import audit

    now = datetime.now(UTC)
    day = (today or now.date()).isoformat()
    decisions, events = [], []
    registers: dict[str, list[dict[str, Any]]] = {"block": [], "reject": []}
    for item in items:
        assert item.outcome is not None and item.line is not None
        decisions.append(_decision_row(item, now))
        events.append(("payment.decision", actor, _audit_payload(item)))
        if item.outcome.decision in registers:
            registers[item.outcome.decision].append(_register_row(item.outcome, item.register_key, day))
    with engine.begin() as conn:
        conn.execute(_INSERT_DECISION, decisions)
        for decision, table, statement in (
            ("block", blocked_property, _INSERT_BLOCKED),
            ("reject", rejected_transactions, _INSERT_REJECTED),
        ):
            rows = registers[decision]
            if not rows:
                continue
            # a message screened anew (another regime, a newer list) is registered once
            present = set(
                conn.execute(
                    select(table.c.message_key).where(
                        table.c.message_key.in_([r["message_key"] for r in rows])
                    )
                ).scalars()
            )
            unique = {r["message_key"]: r for r in rows if r["message_key"] not in present}
            if unique:
                conn.execute(statement, list(unique.values()))
        audit.append_many(events, conn=conn)  # the decisions and their audit records commit together
        for item in items:  # and the case of each held, blocked or rejected payment with a match
            result = _case_result(item)
            if result is not None:
                from proscribe.cases.alerts import raise_alerts

                raise_alerts(
                    conn,
                    subject_kind="payment",
                    subject_id=item.register_key,
                    subject_hash=item.digest,
                    result=result,
                    fingerprints=fingerprints or {},
                    trigger=f"payment screening: {result['payment_decision']}",
                )


def _audit_payload(item: _Item) -> dict[str, Any]:
    line = item.line or {}
    return {
        "message_key": item.key,
        "message_id": item.payment.message_id,
        "format": line.get("format"),
        "regime": line.get("regime"),
        "decision": line.get("decision"),
        "content_sha256": item.digest,
        "reasons": [
            {"kind": r.get("kind"), "field": r.get("field"), "detail": r.get("detail")}
            for r in line.get("reasons", [])
        ],
    }


def _decision_row(item: _Item, now: datetime) -> dict[str, Any]:
    outcome, payment = item.outcome, item.payment
    assert outcome is not None
    snapshots = {ds: snap.get("label") for ds, snap in outcome.snapshots.items()}
    return {
        "message_key": item.key,
        "message_id": payment.message_id,
        "content_sha256": item.digest,
        "file": _clean(payment.file),
        "format": payment.format,
        "regime": outcome.regime,
        "decision": outcome.decision,
        "output": json.dumps(item.line, ensure_ascii=False),
        "snapshots": json.dumps(snapshots, ensure_ascii=False),
        "screened_at": now.isoformat(timespec="seconds"),
    }


def _replay(existing: dict[str, Any], digest: str, payment: Payment) -> dict[str, Any]:
    line = json.loads(existing["output"])
    if existing["content_sha256"] == digest:
        return line
    return _clean(
        {
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
                    "detail": _reused_id_detail(existing),
                    "action": "hold",
                    "result": None,
                }
            ],
        }
    )


def _reused_id_detail(first: dict[str, Any]) -> str:
    return (
        f"message id already used by a different message (screened {first['screened_at']}, decision "
        f"{first['decision']}); held as a possible duplicate or tampering"
    )


def _clean(value: Any) -> Any:
    """Lone surrogates (an undecodable file name, a hostile escape) as U+FFFD: every line can be
    stored and written as UTF-8."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _case_result(item: _Item) -> dict[str, Any] | None:
    """The screening result a held, blocked or rejected payment with a list match raises as a
    case for an analyst (None for a pass, or a hold without a match)."""
    outcome, line = item.outcome, item.line
    if outcome is None or line is None or outcome.decision == "pass":
        return None
    matches = [r["result"] for r in line.get("reasons", []) if r.get("result")]
    if not matches:
        return None
    return {
        "id": item.register_key,
        "decision": "block" if outcome.decision in ("block", "reject") else "review",
        "payment_decision": outcome.decision,
        "results": matches,
    }


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
