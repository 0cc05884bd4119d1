"""Decisions recorded before they are returned; registers without duplicates; resume after a crash."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from proscribe.payments import message_files, parse_bytes, parse_file
from proscribe.payments.register import process, recorded, replay_key
from proscribe.payments.store import blocked_property, payment_decisions, rejected_transactions

BLOCKED_ON = date(2026, 9, 3)


def _count(engine, table):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_block_is_registered_once(screener, parse_fixture, engine):
    (payment,) = parse_fixture("pacs008_v08_itg.xml")
    first = process(payment, screener, engine=engine, today=BLOCKED_ON)
    assert first["decision"] == "block"
    assert recorded(payment.message_id, engine)["decision"] == "block"
    (again,) = parse_fixture("pacs008_v08_itg.xml")
    assert process(again, screener, engine=engine, today=date(2026, 9, 10)) == first
    assert _count(engine, blocked_property) == 1 and _count(engine, payment_decisions) == 1
    with engine.connect() as conn:
        row = conn.execute(select(blocked_property)).mappings().one()
    assert row["amount"] == "48250.00" and row["currency"] == "USD" and row["blocked_on"] == "2026-09-03"
    assert row["entity_name"] == "INTEGRITY TECHNOLOGY GROUP, INCORPORATED" and json.loads(
        row["programs"]
    ) == ["CYBER2"]
    assert row["blocked_account_id"].startswith("BLK-20260903-") and row["interest_bearing"] is True
    parties = json.loads(row["parties"])
    assert {p["role"] for p in parties["parties"]} >= {"debtor", "creditor"}
    assert "INTEGRITY TECHNOLOGY GROUP" in row["raw_message"]


def test_reject_is_registered(screener, parse_fixture, engine):
    (payment,) = parse_fixture("pacs008_v10_yalta.xml")
    assert process(payment, screener, engine=engine, today=BLOCKED_ON)["decision"] == "reject"
    assert _count(engine, rejected_transactions) == 1 and _count(engine, blocked_property) == 0


def test_same_id_different_content_is_held_and_first_record_stands(screener, fixture_path, engine):
    data = fixture_path("pacs008_v12_clean.xml").read_bytes()
    (payment,) = parse_bytes(data, "a.xml")
    assert process(payment, screener, engine=engine)["decision"] == "pass"
    (changed,) = parse_bytes(data.replace(b"12780.45", b"99780.45"), "b.xml")
    line = process(changed, screener, engine=engine)
    assert line["decision"] == "hold" and line["reasons"][0]["field"] == "message_id"
    assert "already used by a different message" in line["reasons"][0]["detail"]
    with engine.connect() as conn:
        rows = (
            conn.execute(
                select(payment_decisions.c.decision)
                .where(payment_decisions.c.message_id == payment.message_id)
                .order_by(payment_decisions.c.id)
            )
            .scalars()
            .all()
        )
    assert rows == ["pass", "hold"]  # the first record stands; the reused id is recorded as held
    assert process(changed, screener, engine=engine) == line  # and replayed as such


def test_reused_id_with_a_listed_party_is_held_naming_the_party(screener, fixture_path, engine):
    """A second message under a known id is screened too: the hold cites the listed party in
    the new content, rather than replaying the earlier clean decision."""
    (clean,) = parse_file(fixture_path("pacs008_v12_clean.xml"))
    assert process(clean, screener, engine=engine)["decision"] == "pass"
    listed = fixture_path("pacs008_v08_itg.xml").read_bytes()
    (original,) = parse_bytes(listed, "itg.xml")
    data = listed.replace(original.message_id.encode(), clean.message_id.encode())
    (reused,) = parse_bytes(data, "reused.xml")
    assert reused.message_id == clean.message_id
    line = process(reused, screener, engine=engine)
    assert line["decision"] == "hold"
    assert any(r["field"] == "message_id" and r["action"] == "hold" for r in line["reasons"])
    cited = [r["result"]["caption"] for r in line["reasons"] if r.get("result")]
    assert any("INTEGRITY TECHNOLOGY" in caption.upper() for caption in cited)
    assert recorded(replay_key(reused, screener), engine)["decision"] == "hold"


def test_resume_after_a_crash_mid_batch(screener, fixture_path, engine, monkeypatch):
    files = message_files([fixture_path("")])
    payments = [p for f in files for p in parse_file(f)]
    calls = {"n": 0}
    original = screener.decide

    def crashing(payment):
        calls["n"] += 1
        if calls["n"] == 8:
            raise RuntimeError("power cut")
        return original(payment)

    monkeypatch.setattr(screener, "decide", crashing)
    first_run = []
    with pytest.raises(RuntimeError):
        for payment in payments:
            first_run.append(process(payment, screener, engine=engine, today=BLOCKED_ON))
    assert len(first_run) == 7 and _count(engine, payment_decisions) == 7
    monkeypatch.setattr(screener, "decide", original)
    rerun = [process(p, screener, engine=engine, today=BLOCKED_ON) for f in files for p in parse_file(f)]
    assert rerun[:7] == first_run
    assert _count(engine, payment_decisions) == len(payments)
    assert len({line["message_id"] for line in rerun}) == len(payments)
    blocks = sum(1 for line in rerun if line["decision"] == "block")
    assert _count(engine, blocked_property) == blocks
    again = [process(p, screener, engine=engine) for f in files for p in parse_file(f)]
    assert again == rerun and _count(engine, payment_decisions) == len(payments)


def test_chunked_processing_crash_and_duplicates(screener, fixture_path, engine, monkeypatch):
    from proscribe.payments.register import process_many

    files = message_files([fixture_path("")])
    payments = [p for f in files for p in parse_file(f)]
    chunks = [payments[:6], payments[6:12], payments[12:]]
    first = process_many(chunks[0], screener, engine=engine, today=BLOCKED_ON)
    assert len(first) == 6 and _count(engine, payment_decisions) == 6
    original = screener.decide

    def crashing(payment):
        if payment.message_id == chunks[1][3].message_id:
            raise KeyboardInterrupt  # the process dies mid-chunk
        return original(payment)

    monkeypatch.setattr(screener, "decide", crashing)
    with pytest.raises(KeyboardInterrupt):
        process_many(chunks[1], screener, engine=engine, today=BLOCKED_ON)
    assert _count(engine, payment_decisions) == 6  # nothing of the interrupted chunk was recorded or returned
    monkeypatch.setattr(screener, "decide", original)
    fresh = [p for f in files for p in parse_file(f)]
    lines = process_many(fresh, screener, engine=engine, today=BLOCKED_ON)
    assert lines[:6] == first and len(lines) == len(payments)
    assert _count(engine, payment_decisions) == len(payments)
    # the same message twice in one chunk: decided once, the copy gets the same line
    (one,) = parse_file(fixture_path("mt103_iran_bank.fin"))
    (two,) = parse_file(fixture_path("mt103_iran_bank.fin"))
    one.message_id = two.message_id = "DUP-IN-CHUNK"
    a, b = process_many([one, two], screener, engine=engine, today=BLOCKED_ON)
    assert a == b and a["decision"] == "block"
    assert _count(engine, blocked_property) == sum(1 for line in lines if line["decision"] == "block") + 1
