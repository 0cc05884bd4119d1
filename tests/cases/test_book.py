"""The customer book: JSON lines, CSV and Parquet; revisions; bad input rejected whole."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from proscribe.cases import book
from proscribe.cases.store import book_customers


def _rows(engine):
    with engine.connect() as conn:
        return {r.customer_id: r for r in conn.execute(select(book_customers))}


def test_import_jsonl_then_revise(db, book_file, tmp_path):
    result = book.import_book(book_file(), engine=db)
    assert (result.added, result.changed, result.unchanged) == (40, 0, 0)
    again = book.import_book(book_file(), engine=db)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 40)
    changed = [
        {"id": "C-IVAN", "schema": "Person", "properties": {"name": ["Ivan Sidorov"], "country": ["ru"]}},
        {
            "id": "C-NEW",
            "kind": "counterparty",
            "schema": "Company",
            "properties": {"name": ["Nova Freight"]},
        },
    ]
    third = book.import_book(book_file(changed), engine=db)
    assert (third.added, third.changed, third.changed_ids) == (1, 1, ["C-IVAN"])
    rows = _rows(db)
    assert rows["C-IVAN"].revision == 2 and rows["C-ACME"].revision == 1
    assert rows["C-NEW"].kind == "counterparty"
    assert json.loads(rows["C-IVAN"].record)["properties"]["country"] == ["ru"]
    assert book.count_customers(engine=db) == 41


def test_csv_and_parquet_give_the_same_records(db, tmp_path):
    csv_path = tmp_path / "book.csv"
    csv_path.write_text(
        "id,schema,kind,name,country,registrationNumber\n"
        "K1,Company,customer,Beijing Integrity Technology Co. Ltd.,cn,\n"
        "K2,Person,counterparty,Anna Keller;Anna K. Keller,de,\n",
        encoding="utf-8",
    )
    flat = pa.table(
        {
            "id": ["K1", "K2"],
            "schema": ["Company", "Person"],
            "kind": ["customer", "counterparty"],
            "name": [["Beijing Integrity Technology Co. Ltd."], ["Anna Keller", "Anna K. Keller"]],
            "country": ["cn", "de"],
        }
    )
    nested = pa.table(
        {
            "id": ["K1", "K2"],
            "schema": ["Company", "Person"],
            "kind": ["customer", "counterparty"],
            "properties": [
                json.dumps({"name": ["Beijing Integrity Technology Co. Ltd."], "country": ["cn"]}),
                json.dumps({"name": ["Anna Keller", "Anna K. Keller"], "country": ["de"]}),
            ],
        }
    )
    pq.write_table(flat, tmp_path / "flat.parquet")
    pq.write_table(nested, tmp_path / "nested.parquet")
    book.import_book(csv_path, engine=db)
    first = {cid: (r.record_hash, r.kind) for cid, r in _rows(db).items()}
    for name in ("flat.parquet", "nested.parquet"):
        result = book.import_book(tmp_path / name, engine=db)
        assert (result.added, result.changed, result.unchanged) == (0, 0, 2), name
    assert {cid: (r.record_hash, r.kind) for cid, r in _rows(db).items()} == first


def test_bad_records_reject_the_whole_file(db, book_file, tmp_path):
    records = [
        {"id": "G1", "schema": "Person", "properties": {"name": ["Good Person"]}},
        {"id": "", "schema": "Person", "properties": {"name": ["No Id"]}},
        {"id": "B2", "schema": "Spaceship", "properties": {"name": ["Bad Schema"]}},
        {"id": "G1", "schema": "Person", "properties": {"name": ["Twice"]}},
        {"id": "B4", "schema": "Person", "properties": {"nickname": ["x"]}},
    ]
    path = book_file(records)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    with pytest.raises(book.BookFormatError) as info:
        book.import_book(path, engine=db)
    message = str(info.value)
    for expected in (
        "line 2",
        "needs the firm's own 'id'",
        "line 3",
        "unknown schema",
        "line 4",
        "appears twice",
        "line 5",
        "unknown property",
        "line 6",
        "invalid JSON",
        "nothing imported",
    ):
        assert expected in message
    assert book.count_customers(engine=db) == 0
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    with pytest.raises(book.BookFormatError, match="Parquet"):
        book.import_book(broken, engine=db)


def test_replace_offboards_and_a_returning_customer_is_screened_again(db, book_file, store_list):
    from proscribe.cases import monitor

    store_list(1, db)
    book.import_book(book_file(), engine=db)
    monitor.run(engine=db)
    everyone = [json.loads(line) for line in book_file().read_text(encoding="utf-8").splitlines()]
    keep = [r for r in everyone if r["id"] != "C-ACME"]
    result = book.import_book(book_file(keep), replace=True, engine=db)
    assert (result.offboarded, result.offboarded_ids, result.unchanged) == (1, ["C-ACME"], 39)
    assert book.count_customers(engine=db) == 39
    assert "C-ACME" not in {c.customer_id for c in book.iter_customers(engine=db)}
    stats = monitor.run(full=True, engine=db)
    assert stats.customers_screened == 39
    back = book.import_book(book_file(), engine=db)
    assert (back.reactivated, back.unchanged) == (1, 39)
    stats = monitor.run(engine=db)
    assert (stats.customers_changed, stats.customers_screened) == (1, 1)
