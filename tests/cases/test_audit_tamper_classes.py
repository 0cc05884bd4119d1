"""Issue 19, class 10: the audit trail cannot be wiped, cut, re-anchored, re-hashed or exported
without its chain, and no screening or payment decision exists without its audit record.

Every test attacks a real store the way someone with write access to the database (but not to the
key file) would, then runs the real ``verify`` (and the CLI for the exit code)."""

from __future__ import annotations

import asyncio
import csv
import datetime
import hashlib
import json

import pytest
from sqlalchemy import delete, insert, select, update
from typer.testing import CliRunner

from proscribe import audit, settings
from proscribe.cases.store import audit_log, audit_meta


def _fill(engine, n: int = 12) -> None:
    for i in range(1, n + 1):
        audit.append("test.event", f"user{i % 3}", {"n": i, "text": f"évènement {i}"}, engine=engine)


def _rows(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(audit_log).order_by(audit_log.c.seq))]


def _kinds(report) -> set[str]:
    return {p.kind for p in report.problems}


def _cli_verify(*args: str) -> tuple[int, str]:
    from proscribe.cli import app

    result = CliRunner().invoke(app, ["audit", "verify", *args])
    return result.exit_code, result.output


def _unkeyed(seq: int, ts: str, event_type: str, actor: str, payload: str, prev_hash: str) -> str:
    """The chain's original, unkeyed hash: anyone with database access can compute it."""
    return hashlib.sha256(
        f"{seq}\x1f{ts}\x1f{event_type}\x1f{actor}\x1f{payload}\x1f{prev_hash}".encode()
    ).hexdigest()


def _unkeyed_rewrite(engine, rows: list[dict], start: int) -> None:
    """Re-hash records from ``start`` on with the old unkeyed method, links and head included."""
    prev = rows[start - 2]["hash"] if start > 1 else audit.GENESIS
    with engine.begin() as conn:
        for row in rows[start - 1 :]:
            digest = _unkeyed(row["seq"], row["ts"], row["event_type"], row["actor"], row["payload"], prev)
            conn.execute(
                update(audit_log).where(audit_log.c.seq == row["seq"]).values(prev_hash=prev, hash=digest)
            )
            prev = digest
        conn.execute(update(audit_meta).where(audit_meta.c.name == "head").values(hash=prev))


def test_audit_wipe_of_log_and_meta_is_tampered(db):
    _fill(db)
    assert audit.verify(engine=db).ok
    with db.begin() as conn:
        conn.execute(delete(audit_log))
        conn.execute(delete(audit_meta))
    report = audit.verify(engine=db)
    assert not report.ok and "wiped" in _kinds(report)
    assert any("12 records were written" in p.detail for p in report.problems)
    code, output = _cli_verify()
    assert code != 0 and "TAMPERED" in output and "wiped" in output
    # writing again after the wipe does not make it look intact
    _fill(db, 3)
    assert "truncated" in _kinds(audit.verify(engine=db))
    _fill(db, 20)  # past the old checkpoints: the records they signed are not these
    report = audit.verify(engine=db)
    assert not report.ok and "checkpoint_mismatch" in _kinds(report)


def test_audit_tail_truncation_with_the_head_row_rewritten_is_tampered(db):
    _fill(db)
    rows = _rows(db)
    with db.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq > 8))
        conn.execute(
            update(audit_meta).where(audit_meta.c.name == "head").values(seq=8, hash=rows[7]["hash"])
        )
    report = audit.verify(engine=db)
    assert [(p.seq, p.kind) for p in report.problems] == [(9, "truncated")]
    assert "9..12 deleted" in report.problems[0].detail
    # the head row deleted as well
    with db.begin() as conn:
        conn.execute(delete(audit_meta).where(audit_meta.c.name == "head"))
    assert {"truncated", "head_missing"} <= _kinds(audit.verify(engine=db))


def test_audit_inserted_anchor_does_not_hide_deleted_recent_records(db):
    _fill(db)
    rows = _rows(db)
    with db.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq <= 5))
        conn.execute(insert(audit_meta).values(name="anchor", seq=5, hash=rows[4]["hash"]))
    report = audit.verify(engine=db)
    assert not report.ok and (1, "missing") in [(p.seq, p.kind) for p in report.problems]
    assert "anchor row proves nothing" in report.problems[0].detail
    # a purge record written without the key does not justify it either
    forged = {
        "retention_years": 10,
        "cutoff": "2000-01-01",
        "first_seq": 1,
        "last_seq": 5,
        "last_hash": rows[4]["hash"],
        "last_ts": "1999-01-01",
        "records": 5,
    }
    with db.begin() as conn:
        last = rows[-1]
        text = audit.canonical(forged)
        digest = _unkeyed(13, last["ts"], "audit.retention_purge", "system", text, last["hash"])
        conn.execute(
            insert(audit_log).values(
                seq=13,
                ts=last["ts"],
                event_type="audit.retention_purge",
                actor="system",
                payload=text,
                prev_hash=last["hash"],
                hash=digest,
            )
        )
        conn.execute(update(audit_meta).where(audit_meta.c.name == "head").values(seq=13, hash=digest))
    kinds = _kinds(audit.verify(engine=db))
    assert "missing" in kinds and "altered" in kinds


def test_audit_purge_never_removes_records_younger_than_the_retention(db, monkeypatch):
    old = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=365 * 4)).isoformat()
    with monkeypatch.context() as patch:
        patch.setattr(audit, "now", lambda: old)
        _fill(db, 4)
    _fill(db, 2)
    with pytest.raises(ValueError, match="shorter than the policy"):
        audit.purge(retention=3, engine=db)
    assert audit.purge(engine=db) == 0  # 4 years old < 10
    # a lower policy allows it, and the signed purge record justifies the new start
    monkeypatch.setenv("PROSCRIBE_AUDIT_RETENTION_YEARS", "3")
    assert audit.purge(engine=db) == 4
    assert audit.verify(engine=db).ok
    # raising the policy afterwards: that purge removed records the policy says must be kept
    monkeypatch.setenv("PROSCRIBE_AUDIT_RETENTION_YEARS", "10")
    report = audit.verify(engine=db)
    assert not report.ok and "retention policy forbids" in report.problems[0].detail


def test_audit_rehash_after_edit_with_the_unkeyed_method_is_tampered(db):
    _fill(db)
    with db.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 4).values(payload='{"n":400}'))
    _unkeyed_rewrite(db, _rows(db), 4)
    report = audit.verify(engine=db)
    assert (4, "altered") in [(p.seq, p.kind) for p in report.problems]
    assert "checkpoint_mismatch" in _kinds(report)
    # re-hashing the whole trail, first record included, does not pass as an old unkeyed trail
    _unkeyed_rewrite(db, _rows(db), 1)
    report = audit.verify(engine=db)
    assert {"unkeyed", "checkpoint_mismatch"} <= _kinds(report)
    code, output = _cli_verify()
    assert code != 0 and "TAMPERED" in output


def test_audit_store_without_its_key_refuses_to_append_and_to_verify(db):
    _fill(db, 3)
    path = audit.key_file(db)
    assert path.stat().st_mode & 0o777 == 0o600
    key = path.read_bytes()
    path.unlink()
    with pytest.raises(audit.AuditKeyError, match="missing"):
        audit.append("test.event", "x", {}, engine=db)
    assert "key_missing" in _kinds(audit.verify(engine=db))
    # another key is not the key
    path.write_text("ab" * 32)
    with pytest.raises(audit.AuditKeyError, match="not the key"):
        audit.append("test.event", "x", {}, engine=db)
    assert "altered" in _kinds(audit.verify(engine=db))
    path.write_bytes(key)
    assert audit.verify(engine=db).ok


def test_audit_checkpoints_reach_the_witness_file_and_hook(db, tmp_path, monkeypatch):
    witness = tmp_path / "witness.jsonl"
    monkeypatch.setenv("PROSCRIBE_AUDIT_WITNESS_FILE", str(witness))
    seen: list[dict] = []
    audit.add_witness(seen.append)
    try:
        _fill(db, 5)
        audit.flush_checkpoints()
    finally:
        audit.remove_witness(seen.append)
    lines = [json.loads(line) for line in witness.read_text().splitlines()]
    assert lines[-1]["seq"] == 5 and lines[-1]["sig"]
    # the local checkpoint file deleted with the table: the witness still tells
    audit.checkpoint_file(db).unlink()
    with db.begin() as conn:
        conn.execute(delete(audit_log))
        conn.execute(delete(audit_meta))
    assert "wiped" in _kinds(audit.verify(engine=db))
    # a checkpoint line forged without the key is reported, not believed
    with witness.open("a") as handle:
        handle.write(
            json.dumps({"seq": 0, "hash": audit.GENESIS, "records": 0, "ts": "x", "sig": "00"}) + "\n"
        )
    assert "checkpoint_forged" in _kinds(audit.verify(engine=db))


def test_audit_export_without_its_chain_line_fails_verification(db, tmp_path):
    _fill(db)
    export = tmp_path / "audit.jsonl"
    assert audit.export(export, engine=db) == 12
    assert audit.verify_file(export).ok
    lines = export.read_text(encoding="utf-8").splitlines()

    def check(name: str, kept: list[str]) -> set[str]:
        path = tmp_path / name
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
        report = audit.verify_file(path)
        assert not report.ok, name
        return _kinds(report)

    assert "no_chain_line" in check("no_chain.jsonl", lines[1:])
    assert "no_chain_line" in check("records_only.jsonl", lines[1:-1])
    assert "export_trailer" in check("no_end.jsonl", lines[:-1])
    assert "export_trailer" in check("last_removed.jsonl", lines[:-2] + lines[-1:])
    assert "export_trailer" in check("first_removed.jsonl", lines[:1] + lines[2:])
    assert check("middle_removed.jsonl", lines[:5] + lines[6:])
    assert check("reordered.jsonl", lines[:3] + [lines[4], lines[3]] + lines[5:])
    edited = json.loads(lines[6])
    edited["payload"] = edited["payload"].replace("évènement", "event")
    assert "altered" in check("edited.jsonl", lines[:6] + [json.dumps(edited)] + lines[7:])
    code, output = _cli_verify("--file", str(tmp_path / "no_chain.jsonl"))
    assert code != 0 and "TAMPERED" in output
    from proscribe.cli import app

    result = CliRunner().invoke(app, ["audit", "verify-export", str(tmp_path / "no_chain.jsonl")])
    assert result.exit_code != 0 and "no_chain_line" in result.output
    assert CliRunner().invoke(app, ["audit", "verify-export", str(export)]).exit_code == 0


def test_audit_csv_export_is_verifiable_alone(db, tmp_path):
    _fill(db)
    export = tmp_path / "audit.csv"
    assert audit.export(export, fmt="csv", engine=db) == 12
    assert audit.verify_file(export).ok
    with export.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    cut = tmp_path / "cut.csv"
    with cut.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0]] + rows[2:])  # the chain row removed
    assert "no_chain_line" in _kinds(audit.verify_file(cut))


def _screening_rows(engine, n: int) -> list[dict]:
    from proscribe.api.records import RecordWriter, make_row, new_id

    rows = [
        make_row(
            record_id=new_id(),
            key_id="k1",
            created_at=f"2026-01-01T00:00:{i:02d}",
            query={"name": f"q{i}"},
            snapshot_ids={"us_ofac_sdn": 1},
            results=[],
            decision="clear",
            engine_version="test",
        )
        for i in range(n)
    ]
    writer = RecordWriter(lambda: engine, batch=10, linger_ms=1)
    writer.start()

    async def write() -> None:
        await asyncio.gather(*(writer.write([row]) for row in rows))

    asyncio.run(write())
    writer.stop()
    return rows


def test_screening_without_audit_record_is_tampered(db):
    from proscribe.api.records import make_row
    from proscribe.store.service_tables import screenings

    rows = _screening_rows(db, 6)
    assert audit.verify(engine=db).ok
    planted = make_row(
        record_id="planted-1",
        key_id="k1",
        created_at="2026-01-02T00:00:00",
        query={"name": "x"},
        snapshot_ids={},
        results=[],
        decision="clear",
        engine_version="test",
    )
    with db.begin() as conn:
        conn.execute(insert(screenings).values(**planted))
    report = audit.verify(engine=db)
    assert [p.kind for p in report.problems] == ["unaudited"] and "planted-1" in report.problems[0].detail
    with db.begin() as conn:
        conn.execute(delete(screenings).where(screenings.c.id == "planted-1"))
        conn.execute(delete(screenings).where(screenings.c.id == rows[2]["id"]))
        conn.execute(update(screenings).where(screenings.c.id == rows[4]["id"]).values(decision="block"))
    kinds = [p.kind for p in audit.verify(engine=db).problems]
    assert sorted(kinds) == ["record_altered", "record_deleted"]


def test_payment_decision_without_audit_record_is_tampered(db, list_entities):
    from proscribe.index.compiled import build_index
    from proscribe.payments import parse_file
    from proscribe.payments.decide import Screener
    from proscribe.payments.register import process_many
    from proscribe.payments.store import payment_decisions

    index = build_index({"test_list": list_entities(1)}, {"test_list": {"id": 1, "label": "test list v1"}})
    screener = Screener(index=index, regime="us")
    fixtures = settings.DATA_DIR.parent / "tests" / "fixtures" / "payments"
    payments = [
        p for name in ("mt103_clean.fin", "pacs008_v12_clean.xml") for p in parse_file(fixtures / name)
    ]
    lines = process_many(payments, screener, engine=db)
    assert len(lines) == len(payments) >= 2
    assert audit.verify(engine=db).ok
    with db.connect() as conn:
        row = dict(conn.execute(select(payment_decisions)).mappings().first())
    planted = {k: v for k, v in row.items() if k != "id"} | {
        "message_key": "PLANTED-1",
        "message_id": "PLANTED-1",
        "content_sha256": hashlib.sha256(b"x").hexdigest(),
    }
    with db.begin() as conn:
        conn.execute(insert(payment_decisions).values(**planted))
        conn.execute(
            update(payment_decisions)
            .where(payment_decisions.c.message_key == row["message_key"])
            .values(decision="hold")
        )
    report = audit.verify(engine=db)
    assert sorted(p.kind for p in report.problems) == ["record_altered", "unaudited"]
    assert any("PLANTED-1" in p.detail for p in report.problems)


def test_audit_checkpoint_records_what_the_commit_made_durable(db):
    """An append undone by a rolled-back savepoint is not checkpointed (no false alarm)."""
    _fill(db, 2)
    with db.begin() as conn:
        audit.append("test.kept", "x", {}, conn=conn)
        savepoint = conn.begin_nested()
        audit.append("test.undone", "x", {}, conn=conn)
        savepoint.rollback()
    report = audit.verify(engine=db)
    assert report.ok and report.last_seq == 3 and report.checkpoint["seq"] == 3
