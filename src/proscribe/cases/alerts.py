"""Alerts and cases.

Every ``review`` or ``block`` result raises an alert that keeps the full result (explanation and
list snapshot included). Its key is a digest of (subject, subject record hash, list entity, entity
fingerprint): the same pair in the same state raises one alert however often it is screened, so a
monitoring run killed half-way and run again raises none twice and loses none.

Alerts group into one open case per customer (or payment). A case moves through ``open`` ->
``in_review`` (assigned) -> ``escalated`` -> ``closed`` as ``true_match``, ``false_positive`` or
``inconclusive``, always with a reason. Four-eyes: closing as a true match, closing as a false
positive (or whitelisting) a case with a match at or above the block threshold, and releasing
blocked funds, wait in ``pending_approval`` / ``pending_action`` until a second person with the
``approver`` role approves; never the person who asked. "Person" is a user
(:mod:`proscribe.cases.users`), compared by id with everyone in control of the key used, never
by a name a key happens to carry. Until such a false-positive closure is approved its good-guy
entries exist but are inactive (pending).

Every change is ``UPDATE ... WHERE id = :id AND version = :seen``: of two analysts acting on the
same case one wins and the other gets :class:`ConflictError` (optimistic locking).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from proscribe import audit
from proscribe.cases import goodguys
from proscribe.cases import users as people
from proscribe.cases.store import alerts, cases, now
from proscribe.store.db import connect

Who = people.Actor | str

STATES = ("open", "in_review", "escalated", "pending_approval", "closed")
DISPOSITIONS = ("true_match", "false_positive", "inconclusive")
ROLES = ("analyst", "approver")
#: Hours to a first disposition, by the case's worst alert.
SLA_HOURS = {"block": 24, "review": 72}


class CaseError(ValueError):
    """A request that cannot be carried out (unknown case, wrong state, missing reason)."""


class ConflictError(CaseError):
    """The case changed since the caller read it: reload and decide again."""


class PermissionDenied(CaseError):
    """The actor may not do this (four-eyes, role)."""


class CaseNotFound(CaseError):
    """No case has that id."""


class InvalidRequest(CaseError):
    """The request itself is incomplete or contradictory (no reason, unknown disposition)."""


def alert_key(subject_kind: str, subject_id: str, subject_hash: str, entity_id: str, fingerprint: str) -> str:
    text = f"{subject_kind}|{subject_id}|{subject_hash}|{entity_id}|{fingerprint}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- raising ----------------------------------------------------------------------------------


def _open_case(conn: Connection, subject_kind: str, subject_id: str, priority: str) -> int:
    row = conn.execute(
        select(cases.c.id, cases.c.priority, cases.c.version)
        .where(
            cases.c.subject_kind == subject_kind,
            cases.c.subject_id == subject_id,
            cases.c.state != "closed",
        )
        .order_by(cases.c.id)
    ).first()
    stamp = now()
    if row is not None:
        values: dict[str, Any] = {"updated_at": stamp, "version": row.version + 1}
        if priority == "block":
            values["priority"] = "block"
        conn.execute(update(cases).where(cases.c.id == row.id).values(**values))
        return row.id
    result = conn.execute(
        insert(cases).values(
            subject_kind=subject_kind,
            subject_id=subject_id,
            state="open",
            priority=priority,
            created_at=stamp,
            updated_at=stamp,
            funds_released=False,
            version=1,
        )
    )
    case_id = result.inserted_primary_key[0]
    audit.append(
        "case.opened",
        "system",
        {"case": case_id, "subject_kind": subject_kind, "subject": subject_id},
        conn=conn,
    )
    return case_id


def raise_alerts(
    conn: Connection,
    *,
    subject_kind: str,
    subject_id: str,
    subject_hash: str,
    result: dict,
    fingerprints: dict[str, str],
    trigger: str,
    actor: str = "system",
) -> dict[str, int]:
    """Raise one alert per review/block result of a screening (in the caller's transaction).
    Returns counters: raised, existing, suppressed (good-guy list), lapsed."""
    counts = {"raised": 0, "existing": 0, "suppressed": 0, "lapsed": 0}
    for item in result.get("results", []):
        entity_id = item["id"]
        fingerprint = (
            fingerprints.get(entity_id)
            or hashlib.sha256(
                audit.canonical([item.get("caption"), item.get("programs")]).encode()
            ).hexdigest()[:32]
        )
        key = alert_key(subject_kind, subject_id, subject_hash, entity_id, fingerprint)
        if conn.execute(select(alerts.c.id).where(alerts.c.alert_key == key)).first() is not None:
            counts["existing"] += 1
            continue
        status, why = goodguys.check(
            conn,
            subject_id=subject_id,
            entity_id=entity_id,
            subject_hash=subject_hash,
            entity_fingerprint=fingerprint,
            actor=actor,
        )
        if status == "suppressed":
            counts["suppressed"] += 1
            continue
        reason = trigger
        if status == "lapsed":
            counts["lapsed"] += 1
            reason = f"{trigger}; good-guy whitelisting lapsed: {why}"
        decision = "block" if item.get("match") else "review"
        try:
            with conn.begin_nested():
                case_id = _open_case(conn, subject_kind, subject_id, decision)
                alert_id = conn.execute(
                    insert(alerts).values(
                        alert_key=key,
                        case_id=case_id,
                        subject_kind=subject_kind,
                        subject_id=subject_id,
                        subject_hash=subject_hash,
                        entity_id=entity_id,
                        entity_fingerprint=fingerprint,
                        dataset=item.get("dataset", ""),
                        source_id=item.get("source_id"),
                        caption=item.get("caption"),
                        decision=decision,
                        score=float(item.get("score", 0.0)),
                        snapshot=item.get("snapshot"),
                        result=json.dumps(item, ensure_ascii=False, default=str),
                        trigger=reason,
                        created_at=now(),
                        state="open",
                    )
                ).inserted_primary_key[0]
        except IntegrityError:  # raised concurrently by another run: it exists now
            counts["existing"] += 1
            continue
        audit.append(
            "alert.raised",
            actor,
            {
                "alert": alert_id,
                "case": case_id,
                "subject_kind": subject_kind,
                "subject": subject_id,
                "subject_hash": subject_hash,
                "entity": entity_id,
                "entity_fingerprint": fingerprint,
                "decision": decision,
                "score": item.get("score"),
                "snapshot": item.get("snapshot"),
                "trigger": reason,
            },
            conn=conn,
        )
        counts["raised"] += 1
    return counts


def raise_for_result(
    subject_kind: str,
    subject_id: str,
    subject_hash: str,
    result: dict,
    *,
    trigger: str,
    actor: str = "system",
    index=None,
    engine: Engine | None = None,
) -> dict[str, int]:
    """Raise the alerts of one screening result in a transaction of their own: the door for
    other interfaces (a held payment: ``raise_for_result("payment", message_id, message_digest,
    result, trigger="payment screening")``). ``index`` is the index that produced ``result``
    (default: the current one), for the list entities' fingerprints."""
    from proscribe.cases.monitor import cached_fingerprints

    engine = engine or connect()
    fingerprints = cached_fingerprints(index, engine=engine)
    with engine.begin() as conn:
        return raise_alerts(
            conn,
            subject_kind=subject_kind,
            subject_id=subject_id,
            subject_hash=subject_hash,
            result=result,
            fingerprints=fingerprints,
            trigger=trigger,
            actor=actor,
        )


# -- users ------------------------------------------------------------------------------------


def add_user(name: str, roles: list[str], *, actor: Who = "system", engine: Engine | None = None) -> None:
    """Create the user ``name`` or set their case roles (the users API keys belong to)."""
    try:
        people.set_roles(name, roles, actor=actor, engine=engine)
    except people.UserError as exc:
        raise InvalidRequest(str(exc)) from None


def user_roles(conn: Connection, name: str) -> set[str]:
    row = people.get(conn, name=name)
    return people.roles_of(conn, row.id) if row is not None else set()


# -- reading ----------------------------------------------------------------------------------


def _age(created_at: str, now_: datetime.datetime) -> float:
    created = datetime.datetime.fromisoformat(created_at)
    return (now_ - created).total_seconds() / 3600.0


def _case_dict(row, now_: datetime.datetime) -> dict[str, Any]:
    data = dict(row._mapping)
    data.pop("pending_controllers", None)  # internal: who may not approve
    age = _age(data["created_at"], now_)
    sla = SLA_HOURS.get(data["priority"], 72)
    data["age_hours"] = round(age, 1)
    data["sla_hours"] = sla
    data["overdue"] = data["state"] != "closed" and age > sla
    return data


def list_cases(
    *,
    state: str | None = None,
    assignee: str | None = None,
    include_closed: bool = False,
    engine: Engine | None = None,
) -> list[dict[str, Any]]:
    engine = engine or connect()
    query = select(cases).order_by(cases.c.id)
    if state:
        query = query.where(cases.c.state == state)
    elif not include_closed:
        query = query.where(cases.c.state != "closed")
    if assignee:
        query = query.where(cases.c.assignee == assignee)
    stamp = datetime.datetime.now(datetime.UTC)
    with engine.connect() as conn:
        out = [_case_dict(row, stamp) for row in conn.execute(query)]
        counts: dict[int, int] = {}
        for (case_id,) in conn.execute(
            select(alerts.c.case_id).where(alerts.c.case_id.in_([c["id"] for c in out]))
        ):
            counts[case_id] = counts.get(case_id, 0) + 1
    for case in out:
        case["alerts"] = counts.get(case["id"], 0)
    return out


def get_case(case_id: int, *, engine: Engine | None = None) -> dict[str, Any]:
    engine = engine or connect()
    with engine.connect() as conn:
        row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
        if row is None:
            raise CaseNotFound(f"no case {case_id}")
        case = _case_dict(row, datetime.datetime.now(datetime.UTC))
        case["alerts"] = []
        for alert in conn.execute(select(alerts).where(alerts.c.case_id == case_id).order_by(alerts.c.id)):
            item = dict(alert._mapping)
            item["result"] = json.loads(item["result"])
            case["alerts"].append(item)
    return case


def list_alerts(*, subject_id: str | None = None, engine: Engine | None = None) -> list[dict[str, Any]]:
    engine = engine or connect()
    query = select(alerts).order_by(alerts.c.id)
    if subject_id:
        query = query.where(alerts.c.subject_id == subject_id)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


# -- workflow ---------------------------------------------------------------------------------


def _load(conn: Connection, case_id: int, version: int | None):
    # write first: takes the row lock (PostgreSQL) or the write lock (SQLite) before reading, so
    # concurrent actors queue here and the later one sees the earlier one's version
    conn.execute(update(cases).where(cases.c.id == case_id).values(version=cases.c.version))
    row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
    if row is None:
        raise CaseNotFound(f"no case {case_id}")
    if version is not None and row.version != version:
        raise ConflictError(
            f"case {case_id} was changed by someone else (you saw version {version}, it is now "
            f"version {row.version}, {row.state}"
            f"{' by ' + row.closed_by if row.closed_by else ''}): reload it and decide again"
        )
    return row


def _update(conn: Connection, row, **values) -> None:
    result = conn.execute(
        update(cases)
        .where(cases.c.id == row.id, cases.c.version == row.version)
        .values(**values, updated_at=now(), version=row.version + 1)
    )
    if result.rowcount != 1:
        raise ConflictError(
            f"case {row.id} was changed by someone else while you worked on it "
            f"(version {row.version} is stale): reload it and decide again"
        )


def _require(actor: Who, reason: str | None = None, need_reason: bool = False) -> None:
    if not actor or not str(actor).strip():
        raise InvalidRequest("an actor (who does this) is required")
    if need_reason and not (reason and reason.strip()):
        raise InvalidRequest("a reason is required")


def _block_threshold() -> float:
    from proscribe.match.config import load_config

    return float(load_config().block)


def _blocking(rows) -> list:
    """The alerts that are matches at or above the block threshold (they need four-eyes to be
    dismissed)."""
    threshold = _block_threshold()
    return [a for a in rows if a.decision == "block" or float(a.score) >= threshold]


def _pending(who: people.Actor, action: str, reason: str) -> dict[str, Any]:
    return {
        "pending_action": action,
        "pending_by": who.name,
        "pending_reason": reason,
        "pending_user_id": who.user_id,
        "pending_controllers": people.controllers_json(who),
    }


_CLEARED = {
    "pending_action": None,
    "pending_by": None,
    "pending_reason": None,
    "pending_user_id": None,
    "pending_controllers": None,
    "pending_whitelist": None,
}


def assign(
    case_id: int, assignee: str, *, actor: Who, version: int | None = None, engine: Engine | None = None
) -> int:
    _require(actor)
    engine = engine or connect()
    with engine.begin() as conn:
        row = _load(conn, case_id, version)
        if row.state == "closed":
            raise CaseError(f"case {case_id} is closed")
        state = "in_review" if row.state == "open" else row.state
        _update(conn, row, assignee=assignee, state=state)
        audit.append(
            "case.assigned",
            str(actor),
            {"case": case_id, "assignee": assignee, "from": row.assignee},
            conn=conn,
        )
    return row.version + 1


def escalate(
    case_id: int, *, actor: Who, reason: str, version: int | None = None, engine: Engine | None = None
) -> int:
    _require(actor, reason, need_reason=True)
    engine = engine or connect()
    with engine.begin() as conn:
        row = _load(conn, case_id, version)
        if row.state in ("closed", "pending_approval"):
            raise CaseError(f"case {case_id} is {row.state}")
        _update(conn, row, state="escalated", reason=reason)
        audit.append("case.escalated", str(actor), {"case": case_id, "reason": reason}, conn=conn)
    return row.version + 1


def _close_alerts(conn: Connection, case_id: int, disposition: str) -> list:
    rows = conn.execute(select(alerts).where(alerts.c.case_id == case_id, alerts.c.state == "open")).all()
    conn.execute(
        update(alerts)
        .where(alerts.c.case_id == case_id, alerts.c.state == "open")
        .values(state="closed", disposition=disposition)
    )
    return rows


def _whitelist(
    conn: Connection, closed: list, *, actor: str, reason: str, case_id: int, pending: bool
) -> list:
    return [
        goodguys.add(
            conn,
            subject_id=alert.subject_id,
            entity_id=alert.entity_id,
            subject_hash=alert.subject_hash,
            entity_fingerprint=alert.entity_fingerprint,
            actor=actor,
            reason=reason,
            case_id=case_id,
            pending=pending,
        )
        for alert in closed
    ]


def close(
    case_id: int,
    disposition: str,
    reason: str,
    *,
    actor: Who,
    whitelist: bool = False,
    version: int | None = None,
    engine: Engine | None = None,
) -> dict[str, Any]:
    """Close a case. ``true_match`` waits for an approver (four-eyes); so does ``false_positive``
    when an open alert is a match at or above the block threshold (its good-guy entries, with
    ``whitelist``, stay inactive until approved). Otherwise ``false_positive`` with ``whitelist``
    puts every open alert's pair on the good-guy list at once."""
    _require(actor, reason, need_reason=True)
    if disposition not in DISPOSITIONS:
        raise InvalidRequest(f"disposition must be one of {', '.join(DISPOSITIONS)}")
    if whitelist and disposition != "false_positive":
        raise InvalidRequest("only a false positive can be whitelisted")
    engine = engine or connect()
    with engine.begin() as conn:
        row = _load(conn, case_id, version)
        who = people.resolve(conn, actor)
        if row.state == "closed":
            raise ConflictError(f"case {case_id} is already closed as {row.disposition} by {row.closed_by}")
        if row.state == "pending_approval" or row.pending_action:
            raise ConflictError(
                f"case {case_id} is waiting for approval of {row.pending_action} by {row.pending_by}"
            )
        open_alerts = conn.execute(
            select(alerts).where(alerts.c.case_id == case_id, alerts.c.state == "open")
        ).all()
        blocking = _blocking(open_alerts) if disposition == "false_positive" else []
        if disposition == "true_match" or blocking:
            action = "close_true_match" if disposition == "true_match" else "close_false_positive"
            _update(
                conn,
                row,
                state="pending_approval",
                disposition=disposition,
                reason=reason,
                pending_whitelist=bool(whitelist) if blocking else None,
                **_pending(who, action, reason),
            )
            entries = (
                _whitelist(conn, open_alerts, actor=who.name, reason=reason, case_id=case_id, pending=True)
                if whitelist
                else []
            )
            audit.append(
                "case.close_requested",
                who.name,
                {
                    "case": case_id,
                    "disposition": disposition,
                    "reason": reason,
                    "whitelist": bool(whitelist),
                    "pending_goodguys": entries,
                    "blocking_alerts": [a.id for a in blocking],
                    **who.audit_fields(),
                },
                conn=conn,
            )
            return {
                "case": case_id,
                "state": "pending_approval",
                "version": row.version + 1,
                "pending_action": action,
                "whitelisted": [],
                "pending_whitelist": entries,
            }
        _update(
            conn,
            row,
            state="closed",
            disposition=disposition,
            reason=reason,
            closed_at=now(),
            closed_by=who.name,
        )
        closed = _close_alerts(conn, case_id, disposition)
        entries = (
            _whitelist(conn, closed, actor=who.name, reason=reason, case_id=case_id, pending=False)
            if whitelist
            else []
        )
        audit.append(
            "case.closed",
            who.name,
            {
                "case": case_id,
                "disposition": disposition,
                "reason": reason,
                "alerts": [a.id for a in closed],
                "whitelisted": entries,
            },
            conn=conn,
        )
    return {"case": case_id, "state": "closed", "version": row.version + 1, "whitelisted": entries}


def request_release(
    case_id: int, reason: str, *, actor: Who, version: int | None = None, engine: Engine | None = None
) -> int:
    """Ask to release blocked funds held under this case (four-eyes: an approver must approve)."""
    _require(actor, reason, need_reason=True)
    engine = engine or connect()
    with engine.begin() as conn:
        row = _load(conn, case_id, version)
        if row.funds_released:
            raise CaseError(f"the funds of case {case_id} were already released")
        if row.pending_action:
            raise ConflictError(
                f"case {case_id} is waiting for approval of {row.pending_action} by {row.pending_by}"
            )
        who = people.resolve(conn, actor)
        _update(conn, row, **_pending(who, "release_funds", reason))
        audit.append(
            "case.release_requested",
            who.name,
            {"case": case_id, "reason": reason, **who.audit_fields()},
            conn=conn,
        )
    return row.version + 1


def approve(
    case_id: int,
    *,
    actor: Who,
    reason: str | None = None,
    reject: bool = False,
    version: int | None = None,
    engine: Engine | None = None,
) -> dict[str, Any]:
    """The second pair of eyes: a user with the approver role, who is not the requester (by user
    id, and by everyone in control of either key), approves or rejects the pending action (a
    true-match closure, a false-positive closure of a blocking match, a release of funds)."""
    _require(actor, reason, need_reason=reject)
    engine = engine or connect()
    with engine.begin() as conn:
        row = _load(conn, case_id, version)
        who = people.resolve(conn, actor)
        if not row.pending_action:
            raise CaseError(f"case {case_id} has nothing waiting for approval")
        if "approver" not in people.roles_of(conn, who.user_id):
            raise PermissionDenied(f"{who.name} does not have the approver role")
        refusal = people.four_eyes_refusal(
            who, row.pending_by, row.pending_user_id, people.controllers_of(row.pending_controllers, row.pending_by)
        )
        if refusal:
            raise PermissionDenied(
                f"four-eyes: {row.pending_by} asked for {row.pending_action}; {who.name} {refusal} "
                "and cannot approve it"
            )
        action = row.pending_action
        fields = {"case": case_id, "action": action, "requested_by": row.pending_by, **who.audit_fields()}
        if reject:
            closing = action in ("close_true_match", "close_false_positive")
            state = "in_review" if closing else row.state
            disposition = None if closing else row.disposition
            _update(conn, row, state=state, disposition=disposition, **_CLEARED)
            dropped = goodguys.reject_pending(conn, case_id, actor=who.name, reason=reason or "")
            audit.append(
                "case.approval_rejected",
                who.name,
                {**fields, "reason": reason, "goodguys_rejected": dropped},
                conn=conn,
            )
            return {"case": case_id, "action": action, "approved": False, "state": state}
        if action in ("close_true_match", "close_false_positive"):
            disposition = "true_match" if action == "close_true_match" else "false_positive"
            _update(
                conn,
                row,
                state="closed",
                disposition=disposition,
                closed_at=now(),
                closed_by=row.pending_by,
                approved_by=who.name,
                **_CLEARED,
            )
            closed = _close_alerts(conn, case_id, disposition)
            activated = goodguys.approve_pending(conn, case_id, actor=who.name)
            audit.append(
                "case.closed",
                who.name,
                {
                    "case": case_id,
                    "disposition": disposition,
                    "reason": row.pending_reason,
                    "requested_by": row.pending_by,
                    "approved_by": who.name,
                    "alerts": [a.id for a in closed],
                    "whitelisted": activated,
                    **who.audit_fields(),
                },
                conn=conn,
            )
            state = "closed"
        else:
            _update(conn, row, funds_released=True, approved_by=who.name, **_CLEARED)
            audit.append(
                "case.funds_released",
                who.name,
                {**fields, "reason": row.pending_reason, "approved_by": who.name},
                conn=conn,
            )
            state = row.state
    return {"case": case_id, "action": action, "approved": True, "state": state}
