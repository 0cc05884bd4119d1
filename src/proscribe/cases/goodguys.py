"""The good-guy list: pairs (customer record, list entity) closed as false positives.

A whitelisted pair is not alerted again while neither side changes: the entry keeps the customer
record's hash and the list entity's fingerprint. When either changes, the entry lapses (it is
kept, marked lapsed with the reason) and the alert comes back, saying what changed.

An entry for a match at or above the block threshold is written *pending*: inactive (it
suppresses nothing) until an approver approves the case's closure (:func:`approve_pending`);
a rejection marks it rejected (:func:`reject_pending`).
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, Engine, insert, select, update

from proscribe import audit
from proscribe.cases.store import book_customers, goodguys, now
from proscribe.store.db import connect, entities


def add(
    conn: Connection,
    *,
    subject_id: str,
    entity_id: str,
    subject_hash: str,
    entity_fingerprint: str,
    actor: str,
    reason: str,
    case_id: int | None = None,
    pending: bool = False,
) -> int:
    record = conn.execute(
        select(book_customers.c.record, book_customers.c.record_hash).where(
            book_customers.c.customer_id == subject_id
        )
    ).first()
    subject_record = record.record if record is not None and record.record_hash == subject_hash else None
    result = conn.execute(
        insert(goodguys).values(
            subject_id=subject_id,
            entity_id=entity_id,
            subject_hash=subject_hash,
            entity_fingerprint=entity_fingerprint,
            subject_record=subject_record,
            case_id=case_id,
            created_by=actor,
            reason=reason,
            created_at=now(),
            active=not pending,
            pending=pending,
        )
    )
    entry_id = result.inserted_primary_key[0]
    audit.append(
        "goodguy.requested" if pending else "goodguy.add",
        actor,
        {
            "goodguy": entry_id,
            "subject": subject_id,
            "entity": entity_id,
            "subject_hash": subject_hash,
            "entity_fingerprint": entity_fingerprint,
            "case": case_id,
            "reason": reason,
        },
        conn=conn,
    )
    return entry_id


def _pending_ids(conn: Connection, case_id: int) -> list[int]:
    return [
        r.id
        for r in conn.execute(
            select(goodguys.c.id).where(goodguys.c.case_id == case_id, goodguys.c.pending.is_(True))
        )
    ]


def approve_pending(conn: Connection, case_id: int, *, actor: str) -> list[int]:
    """The approver agreed: the case's pending entries become active. Their ids."""
    ids = _pending_ids(conn, case_id)
    if ids:
        conn.execute(
            update(goodguys)
            .where(goodguys.c.id.in_(ids))
            .values(active=True, pending=False, approved_by=actor)
        )
        audit.append(
            "goodguy.add", actor, {"goodguys": ids, "case": case_id, "approved_by": actor}, conn=conn
        )
    return ids


def reject_pending(conn: Connection, case_id: int, *, actor: str, reason: str) -> list[int]:
    """The approver refused: the case's pending entries never become active. Their ids."""
    ids = _pending_ids(conn, case_id)
    if ids:
        conn.execute(
            update(goodguys)
            .where(goodguys.c.id.in_(ids))
            .values(
                active=False,
                pending=False,
                lapsed_at=now(),
                lapse_reason=f"approval refused by {actor}: {reason}",
            )
        )
    return ids


def _list_change(conn: Connection, entity_id: str, old_fp: str, new_fp: str) -> str:
    from proscribe.store.diff import field_changes

    rows = dict(
        conn.execute(
            select(entities.c.content_hash, entities.c.data).where(
                entities.c.entity_id == entity_id, entities.c.content_hash.in_([old_fp, new_fp])
            )
        ).all()
    )
    if old_fp in rows and new_fp in rows:
        fields = field_changes(json.loads(rows[old_fp]), json.loads(rows[new_fp]))
        if fields:
            return f"the list entry {entity_id} changed ({', '.join(fields)})"
    return f"the list entry {entity_id} changed"


def _subject_change(conn: Connection, subject_id: str, old_record: str | None) -> str:
    from proscribe.store.diff import field_changes

    row = conn.execute(
        select(book_customers.c.record).where(book_customers.c.customer_id == subject_id)
    ).first()
    if old_record and row is not None:
        old, new = json.loads(old_record), json.loads(row.record)
        fields = field_changes(
            {"schema": old["schema"], "properties": old["properties"]},
            {"schema": new["schema"], "properties": new["properties"]},
        )
        if fields:
            return f"the customer record {subject_id} changed ({', '.join(fields)})"
    return f"the customer record {subject_id} changed"


def check(
    conn: Connection,
    *,
    subject_id: str,
    entity_id: str,
    subject_hash: str,
    entity_fingerprint: str,
    actor: str = "system",
) -> tuple[str | None, str | None]:
    """``("suppressed", None)`` when an active entry covers the pair as it is now;
    ``("lapsed", why)`` when entries existed for an earlier state of the pair (they lapse now);
    ``(None, None)`` when the pair was never whitelisted."""
    rows = conn.execute(
        select(goodguys).where(
            goodguys.c.subject_id == subject_id,
            goodguys.c.entity_id == entity_id,
            goodguys.c.active.is_(True),
        )
    ).all()
    if not rows:
        return None, None
    for row in rows:
        if row.subject_hash == subject_hash and row.entity_fingerprint == entity_fingerprint:
            return "suppressed", None
    reasons = []
    for row in rows:
        why = []
        if row.entity_fingerprint != entity_fingerprint:
            why.append(_list_change(conn, entity_id, row.entity_fingerprint, entity_fingerprint))
        if row.subject_hash != subject_hash:
            why.append(_subject_change(conn, subject_id, row.subject_record))
        reason = "; ".join(why)
        conn.execute(
            update(goodguys)
            .where(goodguys.c.id == row.id)
            .values(active=False, lapsed_at=now(), lapse_reason=reason)
        )
        audit.append(
            "goodguy.lapsed",
            actor,
            {"goodguy": row.id, "subject": subject_id, "entity": entity_id, "reason": reason},
            conn=conn,
        )
        reasons.append(reason)
    return "lapsed", "; ".join(dict.fromkeys(reasons))


def list_entries(*, active_only: bool = False, engine: Engine | None = None) -> list[dict]:
    engine = engine or connect()
    query = select(goodguys).order_by(goodguys.c.id)
    if active_only:
        query = query.where(goodguys.c.active.is_(True))
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
