"""The hash-chained audit trail: tampering (edit, delete, reorder, tail) is detected and located;
exports verify; retention purges a prefix and keeps the chain checkable."""

from __future__ import annotations

import csv
import datetime
import json

from sqlalchemy import delete, select, update

from proscribe import audit
from proscribe.cases.store import audit_log


def _fill(engine, n: int = 10) -> None:
    for i in range(1, n + 1):
        audit.append("test.event", f"user{i % 3}", {"n": i, "text": f"événement {i}"}, engine=engine)


def _row(engine, seq: int) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(select(audit_log).where(audit_log.c.seq == seq)).one()._mapping)


def _kinds(report) -> list[tuple[int, str]]:
    return [(p.seq, p.kind) for p in report.problems]


def test_intact_chain_verifies(db):
    _fill(db)
    audit.append_many([("test.batch", "bob", {"i": i}) for i in range(5)], engine=db)
    report = audit.verify(engine=db)
    assert report.ok and report.records == 15 and (report.first_seq, report.last_seq) == (1, 15)


def test_edit_is_detected_and_located(db, monkeypatch):
    # One checkpoint interval for the whole fill: on a slow machine a checkpoint written after
    # record 4 would also (rightly) flag the forged hash, which is not what this test is about.
    monkeypatch.setenv("PROSCRIBE_AUDIT_CHECKPOINT_INTERVAL_S", "3600")
    _fill(db)
    with db.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 4).values(payload='{"n":400}'))
    assert _kinds(audit.verify(engine=db)) == [(4, "altered")]
    # an editor who also recomputes the record's own hash breaks the link to the next record
    row = _row(db, 4)
    forged = audit.record_hash(
        4, row["ts"], row["event_type"], row["actor"], row["payload"], row["prev_hash"]
    )
    with db.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 4).values(hash=forged))
    assert _kinds(audit.verify(engine=db)) == [(5, "chain_broken")]


def test_delete_is_detected_and_located(db):
    _fill(db)
    with db.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq.in_([6, 7])))
    report = audit.verify(engine=db)
    assert _kinds(report) == [(6, "missing"), (8, "chain_broken")]
    assert "6..7 deleted" in report.problems[0].detail


def test_reorder_is_detected_and_located(db):
    _fill(db)
    a, b = _row(db, 3), _row(db, 4)
    fields = ("ts", "event_type", "actor", "payload", "prev_hash", "hash")
    with db.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 3).values(**{k: b[k] for k in fields}))
        conn.execute(update(audit_log).where(audit_log.c.seq == 4).values(**{k: a[k] for k in fields}))
    kinds = _kinds(audit.verify(engine=db))
    assert (3, "chain_broken") in kinds and (3, "altered") in kinds and (4, "altered") in kinds
    assert all(seq in (3, 4, 5) for seq, _ in kinds)


def test_tail_deletion_is_detected(db):
    _fill(db)
    with db.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq >= 9))
    assert _kinds(audit.verify(engine=db)) == [(9, "tail_missing")]


def test_exports_verify_and_tampered_export_does_not(db, tmp_path):
    _fill(db)
    jsonl, table = tmp_path / "audit.jsonl", tmp_path / "audit.csv"
    assert audit.export(jsonl, engine=db) == 10
    assert audit.export(table, fmt="csv", engine=db) == 10
    assert audit.verify_file(jsonl).ok
    rows = [r for r in csv.DictReader(table.open(encoding="utf-8")) if r["seq"] not in ("chain", "end")]
    assert [int(r["seq"]) for r in rows] == list(range(1, 11)) and json.loads(rows[0]["payload"])["n"] == 1
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[5])
    record["actor"] = "nobody"
    lines[5] = json.dumps(record)
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _kinds(audit.verify_file(jsonl)) == [(5, "altered")]


def test_retention_purges_a_prefix_and_the_chain_still_verifies(db, monkeypatch):
    old = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=365 * 11)).isoformat()
    with monkeypatch.context() as patch:  # undo only this (the test's PROSCRIBE_HOME stays)
        patch.setattr(audit, "now", lambda: old)
        _fill(db, 4)
    _fill(db, 3)
    assert audit.purge(retention=12, engine=db) == 0  # nothing is that old
    assert audit.purge(engine=db) == 4  # the default: 10 years
    report = audit.verify(engine=db)
    assert report.ok and report.first_seq == 5 and report.records == 4  # 3 kept + the purge record
    assert _row(db, 8)["event_type"] == "audit.retention_purge"
    with db.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq == 5))
    assert _kinds(audit.verify(engine=db))[0] == (5, "missing")


def test_concurrent_appends_keep_one_chain(db):
    import threading

    def writer(name: str) -> None:
        for i in range(20):
            audit.append("test.concurrent", name, {"i": i}, engine=db)

    threads = [threading.Thread(target=writer, args=(f"w{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report = audit.verify(engine=db)
    assert report.ok and report.records == 80 and report.last_seq == 80


def test_monitoring_records_unrecorded_list_imports_and_configuration_once(db, store_list, book_file):
    from proscribe.cases import book, monitor

    store_list(1, db)
    book.import_book(book_file(), engine=db)
    monitor.run(engine=db)
    store_list(2, db)
    monitor.run(engine=db)
    monitor.run(engine=db)
    with db.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.event_type, audit_log.c.payload).order_by(audit_log.c.seq)
        ).all()
    imports = [json.loads(p) for t, p in rows if t == "list.import"]
    configs = [json.loads(p) for t, p in rows if t == "config.matching"]
    assert [i["label"] for i in imports] == ["test_list@2026-01-01#1", "test_list@2026-02-01#2"]
    assert all(i["recorded_late"] for i in imports)
    assert len(configs) == 1 and "review" in configs[0]["content"]
    assert audit.verify(engine=db).ok
