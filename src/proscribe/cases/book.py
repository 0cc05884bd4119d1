"""The customer book: the firm's customers and counterparties, kept in the store and screened.

A book record is the DESIGN.md query shape with the firm's own id::

    {"id": "C-1001", "schema": "Company", "kind": "customer",
     "properties": {"name": ["Beijing Integrity Technology Co., Ltd."], "country": ["cn"]}}

Files: JSON lines (one record a line), CSV with a header row (``id``, ``schema``, ``kind`` and one
column per FtM property, several values separated by ``;``) or Parquet (the same flat columns,
string or list typed, or a ``properties`` column holding a map/struct or a JSON string).

Import is all or nothing (fail closed): every record is validated with the screening parser
first, and a file with any bad record, or the same id twice, is rejected whole with each problem
named by line. Records are kept by firm id with a content hash; an unchanged record is left alone,
a changed one gets a new revision, which is what monitoring uses to re-screen only changed
customers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from proscribe import audit
from proscribe.cases.store import book_customers, now
from proscribe.model import Entity, Identifier
from proscribe.screen import IDENTIFIER_PROPERTIES, QueryError, parse_query
from proscribe.store.db import connect

BOOK_DATASET = "book"
KINDS = ("customer", "counterparty")
MAX_REPORTED_ERRORS = 20


class BookFormatError(ValueError):
    """A book file that cannot be imported; ``errors`` names every bad record (by line)."""

    def __init__(self, path: Path | str, errors: list[str]):
        self.errors = errors
        shown = "; ".join(errors[:MAX_REPORTED_ERRORS])
        more = f" (and {len(errors) - MAX_REPORTED_ERRORS} more)" if len(errors) > MAX_REPORTED_ERRORS else ""
        super().__init__(f"{path}: {len(errors)} bad record(s), nothing imported: {shown}{more}")


@dataclass
class BookImport:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    total: int = 0
    reactivated: int = 0
    offboarded: int = 0
    changed_ids: list[str] = field(default_factory=list)
    offboarded_ids: list[str] = field(default_factory=list)


# -- reading ------------------------------------------------------------------------------------


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    text = str(value).strip()
    return [v.strip() for v in text.split(";") if v.strip()]


def _flat_record(row: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {"properties": {}}
    for key, value in row.items():
        if key in ("id", "schema", "kind"):
            if value is not None and str(value).strip():
                record[key] = str(value).strip()
        elif key == "properties":
            props = json.loads(value) if isinstance(value, str) else value
            if isinstance(props, dict):
                for prop, values in props.items():
                    if values is not None:
                        record["properties"][prop] = _split(values)
            elif hasattr(props, "__iter__"):  # a Parquet map column arrives as (key, value) pairs
                for prop, values in props:
                    record["properties"][prop] = _split(values)
        else:
            values = _split(value)
            if values:
                record["properties"][key] = values
    return record


def _utf8_text(data: bytes, path: Path) -> str:
    """The file as text; a file that is not UTF-8 is refused whole, naming the line and byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BookFormatError(
            path,
            [
                f"line {line}: not UTF-8 text (byte 0x{data[exc.start]:02X} at offset {exc.start}); save it as UTF-8"
            ],
        ) from None


def _json_line(raw: bytes, number: int) -> Any:
    """One JSON line: the record, or an error string naming the line (not UTF-8, a lone
    surrogate, nested too deep, not JSON)."""
    from proscribe import jsonbody

    try:
        return jsonbody.loads(raw, where=f"line {number}")
    except jsonbody.SyntaxProblem:
        try:
            json.loads(raw.decode("utf-8"))
        except json.JSONDecodeError as exc:
            return f"line {number}: invalid JSON: {exc.msg} at column {exc.colno}"
        except (ValueError, RecursionError) as exc:
            return f"line {number}: invalid JSON: {exc}"
        return f"line {number}: invalid JSON"
    except jsonbody.BodyError as exc:
        return str(exc)


def read_records(path: Path, fmt: str | None = None) -> Iterator[tuple[int, Any]]:
    """Yield (line or row number, record dict, or an error string) for every record."""
    path = Path(path)
    if not path.exists():
        raise BookFormatError(path, ["file not found"])
    suffix = path.suffix.lower()
    fmt = fmt or {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}.get(suffix, "jsonl")
    if fmt == "jsonl":
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                if not raw.strip():
                    continue
                yield number, _json_line(raw, number)
    elif fmt == "csv":
        import csv
        import io

        text = _utf8_text(path.read_bytes(), path)
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [h.strip() for h in next(reader)]
            for row in reader:
                number = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    yield number, f"line {number}: expected {len(header)} columns, found {len(row)}"
                    continue
                yield number, _flat_record(dict(zip(header, row, strict=True)))
        except StopIteration:
            return
        except csv.Error as exc:  # a field past the CSV size limit, say: named, never skipped
            raise BookFormatError(path, [f"line {reader.line_num}: malformed CSV: {exc}"]) from exc
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            table = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise BookFormatError(path, [f"not a readable Parquet file: {exc}"]) from exc
        number = 0
        try:
            for batch in table.iter_batches(batch_size=50000):
                rows = batch.to_pylist()
                for row in rows:
                    number += 1
                    yield number, _flat_record(row)
        except Exception as exc:  # a damaged page or column (bad compression, bad UTF-8) shows only when read
            raise BookFormatError(path, [f"row {number + 1}: not a readable Parquet file: {exc}"]) from exc
    else:
        raise BookFormatError(path, [f"unknown format {fmt!r}; use jsonl, csv or parquet"])


def canonical_record(data: dict[str, Any], position: str) -> tuple[str, str, str, dict[str, Any]]:
    """Validate one record; returns (firm id, kind, schema, canonical record). Raises QueryError."""
    if not isinstance(data, dict):
        raise QueryError(f"{position}: expected a JSON object")
    customer_id = str(data.get("id") or "").strip()
    if not customer_id:
        raise QueryError(f"{position}: a book record needs the firm's own 'id'")
    if len(customer_id) > 200:
        raise QueryError(f"{position}: 'id' longer than 200 characters")
    kind = str(data.get("kind") or "customer")
    if kind not in KINDS:
        raise QueryError(f"{position}: 'kind' must be one of {', '.join(KINDS)}")
    query = {
        "id": customer_id,
        "schema": data.get("schema", "LegalEntity"),
        "properties": data.get("properties", {}),
    }
    parsed = parse_query(query, position)
    props = {
        k: sorted({str(v).strip() for v in (vals if isinstance(vals, list) else [vals]) if str(v).strip()})
        for k, vals in query["properties"].items()
    }
    record = {
        "id": customer_id,
        "schema": parsed.schema,
        "properties": {k: v for k, v in sorted(props.items()) if v},
    }
    return customer_id, kind, parsed.schema, record


def record_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(audit.canonical(record).encode("utf-8")).hexdigest()[:32]


def caption(record: dict[str, Any]) -> str:
    props = record.get("properties", {})
    for key in ("name", "alias", "lastName"):
        if props.get(key):
            return props[key][0]
    return record["id"]


# -- import -------------------------------------------------------------------------------------


def import_book(
    path: Path,
    *,
    fmt: str | None = None,
    replace: bool = False,
    actor: str = "system",
    engine: Engine | None = None,
) -> BookImport:
    """Validate the whole file, then add new and update changed records in one transaction.
    ``replace``: the file is the whole book; customers not in it are offboarded (kept, inactive,
    no longer screened). An offboarded customer found in a later file comes back and is screened
    again."""
    engine = engine or connect()
    errors: list[str] = []
    parsed: dict[str, tuple[str, str, dict, str]] = {}
    for number, data in read_records(path, fmt):
        if isinstance(data, str):
            errors.append(data)
            continue
        try:
            customer_id, kind, schema, record = canonical_record(data, f"line {number}")
        except QueryError as exc:
            errors.append(str(exc))
            continue
        if customer_id in parsed:
            errors.append(f"line {number}: id {customer_id!r} appears twice in the file")
            continue
        parsed[customer_id] = (kind, schema, record, record_hash(record))
    if errors:
        raise BookFormatError(path, errors)
    if not parsed:
        raise BookFormatError(path, ["the file holds no records"])
    result = BookImport(total=len(parsed))
    stamp = now()
    with engine.begin() as conn:
        existing: dict[str, tuple[str, int, bool]] = {}
        ids = list(parsed)
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            for cid, digest, revision, active in conn.execute(
                select(
                    book_customers.c.customer_id,
                    book_customers.c.record_hash,
                    book_customers.c.revision,
                    book_customers.c.active,
                ).where(book_customers.c.customer_id.in_(chunk))
            ):
                existing[cid] = (digest, revision, bool(active))
        new_rows = []
        for cid, (kind, schema, record, digest) in parsed.items():
            old = existing.get(cid)
            if old is None:
                new_rows.append(
                    {
                        "customer_id": cid,
                        "kind": kind,
                        "schema": schema,
                        "caption": caption(record),
                        "record": audit.canonical(record),
                        "record_hash": digest,
                        "revision": 1,
                        "imported_at": stamp,
                        "updated_at": stamp,
                        "screened_hash": None,
                        "screened_at": None,
                        "active": True,
                    }
                )
                result.added += 1
            elif old[0] != digest:
                conn.execute(
                    update(book_customers)
                    .where(book_customers.c.customer_id == cid)
                    .values(
                        kind=kind,
                        schema=schema,
                        caption=caption(record),
                        record=audit.canonical(record),
                        record_hash=digest,
                        revision=old[1] + 1,
                        updated_at=stamp,
                        active=True,
                    )
                )
                result.changed += 1
                result.changed_ids.append(cid)
            elif not old[2]:  # offboarded, now back: screened again from scratch
                conn.execute(
                    update(book_customers)
                    .where(book_customers.c.customer_id == cid)
                    .values(kind=kind, active=True, updated_at=stamp, screened_hash=None)
                )
                result.reactivated += 1
            else:
                result.unchanged += 1
            if len(new_rows) >= 5000:
                conn.execute(insert(book_customers), new_rows)
                new_rows = []
        if new_rows:
            conn.execute(insert(book_customers), new_rows)
        if replace:
            active_ids = [
                row[0]
                for row in conn.execute(
                    select(book_customers.c.customer_id).where(book_customers.c.active.is_(True))
                )
            ]
            gone = [cid for cid in active_ids if cid not in parsed]
            for start in range(0, len(gone), 5000):
                conn.execute(
                    update(book_customers)
                    .where(book_customers.c.customer_id.in_(gone[start : start + 5000]))
                    .values(active=False, updated_at=stamp)
                )
            result.offboarded = len(gone)
            result.offboarded_ids = gone
        audit.append(
            "book.import",
            actor,
            {
                "file": str(path),
                "records": result.total,
                "added": result.added,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "changed_ids": result.changed_ids[:1000],
                "reactivated": result.reactivated,
                "offboarded": result.offboarded,
                "offboarded_ids": result.offboarded_ids[:1000],
            },
            conn=conn,
        )
    return result


# -- reading the book back ----------------------------------------------------------------------


@dataclass
class Customer:
    customer_id: str
    kind: str
    schema: str
    caption: str
    record: dict[str, Any]
    record_hash: str
    revision: int
    screened_hash: str | None


def _customer(row) -> Customer:
    return Customer(
        row.customer_id,
        row.kind,
        row.schema,
        row.caption,
        json.loads(row.record),
        row.record_hash,
        row.revision,
        row.screened_hash,
    )


def iter_customers(
    *,
    ids: list[str] | None = None,
    only_unscreened: bool = False,
    batch: int = 20000,
    engine: Engine | None = None,
) -> Iterator[Customer]:
    """Active customers in id order, read in keyset pages; ``only_unscreened``: those whose record
    changed (or is new) since their last completed screening."""
    engine = engine or connect()
    if ids is not None:
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            with engine.connect() as conn:
                rows = conn.execute(
                    select(book_customers)
                    .where(book_customers.c.customer_id.in_(chunk), book_customers.c.active.is_(True))
                    .order_by(book_customers.c.customer_id)
                ).all()
            yield from (_customer(row) for row in rows)
        return
    last = ""
    while True:
        query = (
            select(book_customers)
            .where(book_customers.c.customer_id > last, book_customers.c.active.is_(True))
            .order_by(book_customers.c.customer_id)
            .limit(batch)
        )
        if only_unscreened:
            query = query.where(
                (book_customers.c.screened_hash.is_(None))
                | (book_customers.c.screened_hash != book_customers.c.record_hash)
            )
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return
        yield from (_customer(row) for row in rows)
        last = rows[-1].customer_id


def count_customers(*, engine: Engine | None = None) -> int:
    engine = engine or connect()
    with engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(book_customers).where(book_customers.c.active.is_(True))
        ).scalar_one()


# -- customers as entities: the book index ----------------------------------------------------------


def customer_entity(customer_id: str, record: dict[str, Any]) -> Entity:
    """A book record as an :class:`Entity` of dataset ``book``, so the same index compiler and
    matcher can screen list entries against the book (reverse screening in monitoring)."""
    from proscribe.text.identifiers import normalise_country

    entity = Entity(
        id=f"{BOOK_DATASET}-{customer_id}",
        schema=record.get("schema", "LegalEntity"),
        dataset=BOOK_DATASET,
        source_id=customer_id,
    )
    props = record.get("properties", {})
    for prop in ("name", "alias", "previousName", "weakAlias", "birthDate"):
        entity.add(prop, props.get(prop, []))
    if not props.get("name") and (props.get("firstName") or props.get("lastName")):
        parts = (
            props.get("firstName", [])[:1] + props.get("middleName", [])[:1] + props.get("lastName", [])[:1]
        )
        entity.add("name", " ".join(parts))
    for prop in ("country", "nationality", "citizenship", "jurisdiction", "flag"):
        for value in props.get(prop, []):
            code = normalise_country(value)
            if code:
                entity.add("country", code)
    for prop, kind in IDENTIFIER_PROPERTIES.items():
        for value in props.get(prop, []):
            entity.add_identifier(Identifier(type=kind or "other", value=value))
    return entity


def build_book_index(*, engine: Engine | None = None):
    """Compile the active book into a screening index (dataset ``book``)."""
    from proscribe.index.compiled import build_index

    entities = [customer_entity(c.customer_id, c.record) for c in iter_customers(engine=engine)]
    return build_index({BOOK_DATASET: entities}, {BOOK_DATASET: {"id": 0, "label": "customer book"}})
