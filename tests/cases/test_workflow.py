"""Alerts and cases: grouping, four-eyes, optimistic locking, the good-guy list and its lapse."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import select

from proscribe.cases import alerts, book, goodguys, monitor
from proscribe.cases.store import audit_log


@pytest.fixture
def monitored(db, store_list, book_file):
    """List v1 stored, the book imported and screened once (full run)."""
    store_list(1, db)
    book.import_book(book_file(), engine=db)
    stats = monitor.run(engine=db)
    assert stats.mode == "full" and stats.customers_screened == 40
    return db


def _case_of(subject: str, engine) -> dict:
    [case] = [c for c in alerts.list_cases(include_closed=True, engine=engine) if c["subject_id"] == subject]
    return case


def _events(engine, event_type: str) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.payload).where(audit_log.c.event_type == event_type).order_by(audit_log.c.seq)
        ).all()
    return [json.loads(r.payload) for r in rows]


def test_alerts_carry_explanation_and_snapshot_and_group_per_customer(monitored):
    cases = alerts.list_cases(engine=monitored)
    assert sorted(c["subject_id"] for c in cases) == ["C-ACME", "C-IVAN"]
    case = alerts.get_case(_case_of("C-ACME", monitored)["id"], engine=monitored)
    [alert] = case["alerts"]
    assert alert["entity_id"] == "test_list-1" and alert["decision"] == "block"
    assert alert["snapshot"].startswith("test_list@2026-01-01")
    assert alert["result"]["explanation"]["name"]["matched_name"] == "ACME SANCTIONED TRADING LLC"
    assert case["priority"] == "block" and case["sla_hours"] == 24 and case["overdue"] is False
    assert len(_events(monitored, "alert.raised")) == 2
    assert len(_events(monitored, "screening")) == 40


def test_four_eyes_for_true_match_and_release(monitored):
    engine = monitored
    alerts.add_user("alice", ["analyst"], engine=engine)
    alerts.add_user("bob", ["analyst", "approver"], engine=engine)
    alerts.add_user("carol", ["approver"], engine=engine)
    acme = _case_of("C-ACME", engine)["id"]
    with pytest.raises(alerts.CaseError, match="reason is required"):
        alerts.close(acme, "true_match", "  ", actor="alice", engine=engine)
    alerts.assign(acme, "alice", actor="alice", engine=engine)
    assert alerts.get_case(acme, engine=engine)["state"] == "in_review"
    result = alerts.close(acme, "true_match", "same name, country and program", actor="alice", engine=engine)
    assert result["state"] == "pending_approval"
    with pytest.raises(alerts.PermissionDenied, match="approver role"):
        alerts.approve(acme, actor="alice", engine=engine)
    alerts.add_user("alice", ["analyst", "approver"], engine=engine)
    with pytest.raises(alerts.PermissionDenied, match="four-eyes"):
        alerts.approve(acme, actor="alice", engine=engine)
    done = alerts.approve(acme, actor="bob", engine=engine)
    assert done == {"case": acme, "action": "close_true_match", "approved": True, "state": "closed"}
    case = alerts.get_case(acme, engine=engine)
    assert (case["disposition"], case["closed_by"], case["approved_by"]) == ("true_match", "alice", "bob")
    assert all(a["state"] == "closed" and a["disposition"] == "true_match" for a in case["alerts"])
    # releasing blocked funds: asked by one, approved by another approver
    ivan = _case_of("C-IVAN", engine)["id"]
    alerts.request_release(ivan, "customer proved a different birth place", actor="bob", engine=engine)
    with pytest.raises(alerts.PermissionDenied, match="four-eyes"):
        alerts.approve(ivan, actor="bob", engine=engine)
    alerts.approve(ivan, actor="carol", engine=engine)
    assert alerts.get_case(ivan, engine=engine)["funds_released"] is True
    closed = _events(engine, "case.closed")
    assert closed[-1]["approved_by"] == "bob" and closed[-1]["requested_by"] == "alice"
    assert _events(engine, "case.funds_released")[-1]["approved_by"] == "carol"


def test_concurrent_close_one_wins_other_conflicts(monitored):
    engine = monitored
    case = _case_of("C-ACME", engine)
    seen = case["version"]
    alerts.close(case["id"], "inconclusive", "not enough data", actor="alice", version=seen, engine=engine)
    with pytest.raises(alerts.ConflictError, match="changed by someone else"):
        alerts.close(
            case["id"], "false_positive", "different company", actor="bob", version=seen, engine=engine
        )
    with pytest.raises(alerts.ConflictError, match="already closed"):
        alerts.close(case["id"], "false_positive", "different company", actor="bob", engine=engine)
    # a real race: two threads close the same case at once, with the version both saw
    other = _case_of("C-IVAN", engine)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def analyst(name: str) -> None:
        barrier.wait()
        try:
            alerts.close(
                other["id"],
                "false_positive",
                f"{name}: other person",
                actor=name,
                version=other["version"],
                engine=engine,
            )
            outcomes.append("won")
        except alerts.ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=analyst, args=(n,)) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "won"]
    # Ivan's match blocks: the winner's false-positive closure waits for an approver
    assert len(_events(engine, "case.closed")) + len(_events(engine, "case.close_requested")) == 2


def test_goodguy_list_suppresses_until_either_side_changes(monitored, store_list, book_file):
    engine = monitored
    acme = _case_of("C-ACME", engine)["id"]
    ivan = _case_of("C-IVAN", engine)["id"]
    with pytest.raises(alerts.CaseError, match="only a false positive"):
        alerts.close(acme, "inconclusive", "x", actor="alice", whitelist=True, engine=engine)
    alerts.close(
        acme, "false_positive", "our client is a Cyprus bakery", actor="alice", whitelist=True, engine=engine
    )
    alerts.close(
        ivan,
        "false_positive",
        "different person, passport checked",
        actor="alice",
        whitelist=True,
        engine=engine,
    )
    # both are matches at or above the block threshold: whitelisted only once an approver agrees
    assert goodguys.list_entries(active_only=True, engine=engine) == []
    alerts.add_user("bob", ["analyst", "approver"], engine=engine)
    alerts.approve(acme, actor="bob", engine=engine)
    alerts.approve(ivan, actor="bob", engine=engine)
    assert len(goodguys.list_entries(active_only=True, engine=engine)) == 2
    # neither side changed: screening everything again alerts nothing
    again = monitor.run(full=True, engine=engine)
    assert (again.alerts_raised, again.alerts_existing, again.alerts_suppressed) == (0, 2, 0)
    # the customer record changes: that pair's whitelisting lapses and the alert comes back
    changed = [
        {
            "id": "C-IVAN",
            "schema": "Person",
            "properties": {"name": ["Ivan Sidorov"], "birthDate": ["1960-04-01"], "country": ["ru"]},
        }
    ]
    book.import_book(book_file(changed), engine=engine)
    stats = monitor.run(engine=engine)
    assert (
        stats.customers_changed,
        stats.customers_screened,
        stats.alerts_raised,
        stats.goodguys_lapsed,
    ) == (1, 1, 1, 1)
    [back] = [a for a in alerts.list_alerts(subject_id="C-IVAN", engine=engine) if a["state"] == "open"]
    assert "good-guy whitelisting lapsed: the customer record C-IVAN changed (country)" in back["trigger"]
    # the list entry changes (v2 gives ACME an alias): ACME's whitelisting lapses too
    store_list(2, engine)
    stats = monitor.run(engine=engine)
    assert stats.mode == "delta" and stats.list_added == 1 and stats.list_changed == 2
    [back] = [a for a in alerts.list_alerts(subject_id="C-ACME", engine=engine) if a["state"] == "open"]
    assert "good-guy whitelisting lapsed: the list entry test_list-1 changed (alias)" in back["trigger"]
    entries = goodguys.list_entries(engine=engine)
    assert [e["active"] for e in entries] == [False, False]
    assert {e["lapse_reason"] for e in entries} == {
        "the list entry test_list-1 changed (alias)",
        "the customer record C-IVAN changed (country)",
    }
    assert len(_events(engine, "goodguy.lapsed")) == 2
    # new cases were opened for the returning alerts (the old ones are closed)
    assert {c["subject_id"] for c in alerts.list_cases(engine=engine)} >= {"C-ACME", "C-IVAN", "C-FALCON"}


def test_payment_alerts_group_per_payment_and_release_needs_four_eyes(db, store_list):
    from proscribe.screen import get_index, screen

    store_list(1, db)
    index = get_index(refresh=True)
    party = {"id": "MSG-1/Cdtr", "schema": "Company", "properties": {"name": ["Acme Sanctioned Trading LLC"]}}
    result = screen(party, index=index)
    counts = alerts.raise_for_result(
        "payment", "MSG-1", "digest-1", result, trigger="pacs.008 creditor", index=index
    )
    assert counts["raised"] == 1
    again = alerts.raise_for_result("payment", "MSG-1", "digest-1", result, trigger="pacs.008 creditor")
    assert again == {"raised": 0, "existing": 1, "suppressed": 0, "lapsed": 0}
    [case] = alerts.list_cases(engine=db)
    assert (case["subject_kind"], case["subject_id"], case["priority"]) == ("payment", "MSG-1", "block")
    alerts.add_user("dora", ["analyst"], engine=db)
    alerts.add_user("eve", ["approver"], engine=db)
    alerts.request_release(case["id"], "beneficiary is a different firm", actor="dora", engine=db)
    with pytest.raises(alerts.PermissionDenied, match="approver role"):
        alerts.approve(case["id"], actor="dora", engine=db)
    alerts.approve(case["id"], actor="eve", engine=db)
    assert alerts.get_case(case["id"], engine=db)["funds_released"] is True
