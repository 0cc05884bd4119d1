"""Cases and monitoring benchmark: a large customer book, full screening, a monitoring run after a
list update that adds 50 entries, and audit-trail verification speed.

    .venv/bin/python bench/monitor_bench.py [--customers 1000000] [--audit-records 1000000]
                                            [--workers 0] [--home DIR] [--output FILE]

Steps (each timed): generate the book (synthetic persons and companies, names built from
syllables so the vocabulary is as varied as a real book's), import it, screen it all against the
2024-05-03 OFAC SDN list on all cores (a full monitoring run: alerts, audit records and the
"screened" marks included), compile the book index, store a list update that adds 50 real
designations (entries of the reconstructed 2026-08-20 set absent from 2024-05-03), then a
monitoring run: the 50 entries are screened against the book index and only the customers they
find are screened again. Finally the audit trail is filled to ``--audit-records`` and verified.
Everything runs on SQLite in a scratch PROSCRIBE_HOME.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

SYLLABLES = (
    "ka ri to mi na lo ve sa de lu bo ra ne ti ko ma si ta po le an er in on us el ar or "
    "ber gen hal mor vin dal sten wick ford ton ley field wood berg stein mann son sen"
).split()
FIRST = (
    "Anna Peter Maria Tomas Greta Luis Ingrid Paolo Hannah Kenji Amelie Jonas Sofia Lucas Emma Noah Mia "
    "Elias Lea Felix Clara Oskar Ida Anton Nora Jakob Ella Max Lina Paul Marta Karl Alma Leon Rosa Theo "
    "Chen Wei Aiko Ravi Priya Omar Leila Yusuf Zara Ivan Olga Dmitri Elena Pedro Lucia Jose Ana"
).split()
FORMS = ("Ltd", "GmbH", "LLC", "SA", "BV", "AB", "Inc", "Co., Ltd.", "Sp. z o.o.", "S.r.l.")
TRADES = (
    "Trading",
    "Logistics",
    "Bakery",
    "Software",
    "Consulting",
    "Textiles",
    "Foods",
    "Dental",
    "Printing",
    "Engineering",
    "Shipping",
    "Farms",
    "Capital",
    "Electronics",
    "Furniture",
    "Chemicals",
    "Travel",
)
COUNTRIES = ("de", "fr", "gb", "nl", "se", "it", "es", "pl", "us", "cn", "jp", "in", "br", "tr", "ae")


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def write_book(path: Path, count: int, start: int = 0, seed: int = 7) -> None:
    rng = random.Random(seed + start)
    with path.open("w", encoding="utf-8") as out:
        for n in range(start, start + count):
            if rng.random() < 0.7:
                name = f"{rng.choice(FIRST)} {_word(rng, rng.choice((2, 3)))}"
                record = {
                    "id": f"P{n:07d}",
                    "schema": "Person",
                    "properties": {
                        "name": [name],
                        "birthDate": [f"{rng.randint(1940, 2004)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"],
                        "country": [rng.choice(COUNTRIES)],
                    },
                }
            else:
                name = f"{_word(rng, rng.choice((2, 3)))} {rng.choice(TRADES)} {rng.choice(FORMS)}"
                record = {
                    "id": f"F{n:07d}",
                    "schema": "Company",
                    "properties": {"name": [name], "country": [rng.choice(COUNTRIES)]},
                }
            out.write(json.dumps(record) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--audit-records", type=int, default=1_000_000)
    parser.add_argument(
        "--full-sample",
        type=int,
        default=None,
        help="Time the full screening on this many customers only; the rest of the book is "
        "imported afterwards and marked screened without screening (a shortcut: the "
        "full screening's per-customer cost does not depend on the book's size).",
    )
    parser.add_argument("--workers", type=int, default=0, help="0 = all cores")
    parser.add_argument(
        "--home", type=Path, default=None, help="Scratch PROSCRIBE_HOME (default: a temp dir)."
    )
    parser.add_argument("--output", type=Path, default=None, help="Also write the figures here as JSON.")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="--home already holds the imported, screened book and its index (a run that stopped later): "
        "go on from the list update (figures of the earlier steps are read from --output).",
    )
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="proscribe-monitor-bench-"))
    os.environ["PROSCRIBE_HOME"] = str(home)
    os.environ.pop("PROSCRIBE_DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    from proscribe import bundled

    workers = args.workers or os.cpu_count() or 1
    figures: dict = {"customers": args.customers, "workers": workers, "cpus": os.cpu_count()}

    def lap(name: str, start: float) -> float:
        seconds = round(time.perf_counter() - start, 2)
        figures[name] = seconds
        print(f"{name}: {seconds}s", flush=True)
        return seconds

    items = {item.key: item for item in bundled.bundled_lists()}
    if args.resume and args.output and args.output.exists():
        figures.update(json.loads(args.output.read_text(encoding="utf-8")))
    if not args.resume:
        prepare(args, figures, workers, lap)
    list_update(args, figures, workers, lap, items)


def prepare(args, figures: dict, workers: int, lap) -> None:
    from proscribe import bundled
    from proscribe.cases import book, monitor

    home = Path(os.environ["PROSCRIBE_HOME"])
    items = {item.key: item for item in bundled.bundled_lists()}
    start = time.perf_counter()
    bundled.import_bundled(items["ofac_sdn_2024-05-03"])
    lap("list_import_s", start)

    sample = min(args.full_sample or args.customers, args.customers)
    figures["full_screening_customers"] = sample
    book_path = home / "book.jsonl"
    start = time.perf_counter()
    write_book(book_path, sample)
    lap("book_generate_s", start)
    start = time.perf_counter()
    imported = book.import_book(book_path)
    lap("book_import_s", start)
    assert imported.added == sample

    start = time.perf_counter()
    full = monitor.run(full=True, workers=workers)
    seconds = lap("full_screening_s", start)
    figures["full_screening_per_s"] = round(sample / seconds)
    figures["full_screening_alerts"] = full.alerts_raised
    figures["full_screening_detail"] = full.seconds
    print(
        f"full screening: {figures['full_screening_per_s']:,} customers/s on {workers} worker(s), "
        f"{full.alerts_raised:,} alerts",
        flush=True,
    )

    if sample < args.customers:
        from sqlalchemy import update as sql_update

        from proscribe.cases.store import book_customers
        from proscribe.store.db import connect as store_connect

        rest = home / "book-rest.jsonl"
        write_book(rest, args.customers - sample, start=sample)
        start = time.perf_counter()
        imported = book.import_book(rest)
        lap("book_import_rest_s", start)
        figures["book_import_per_s"] = round(imported.added / figures["book_import_rest_s"])
        with store_connect().begin() as conn:  # the shortcut: see --full-sample
            conn.execute(
                sql_update(book_customers)
                .where(book_customers.c.screened_hash.is_(None))
                .values(screened_hash=book_customers.c.record_hash)
            )
        rest.unlink()

    start = time.perf_counter()
    monitor.get_book_index(rebuild=True)
    lap("book_index_build_s", start)
    if args.output:
        args.output.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


def list_update(args, figures: dict, workers: int, lap, items) -> None:
    from proscribe import audit
    from proscribe.cases import monitor
    from proscribe.sources import ofac_csv
    from proscribe.sources.base import ParsedList
    from proscribe.store.snapshots import find_by_digest, store_parsed

    # the update: the 2024-05-03 list plus 50 real designations from the 2026-08-20 set
    old = {entity.id for entity in ofac_csv.parse(items["ofac_sdn_2024-05-03"].file, "us_ofac_sdn").entities}
    newer = [
        e
        for e in ofac_csv.parse(items["ofac_sdn_2026-08-20"].file, "us_ofac_sdn").entities
        if e.id not in old
    ]
    rng = random.Random(11)
    added = rng.sample(newer, 50)
    itg = next((e for e in newer if e.source_id == "50543"), None)
    if itg is not None and itg not in added:
        added[0] = itg
    current = ofac_csv.parse(items["ofac_sdn_2024-05-03"].file, "us_ofac_sdn").entities + added
    if find_by_digest("us_ofac_sdn", "bench-update-50".ljust(64, "0")) is None:
        store_parsed(
            ParsedList("us_ofac_sdn", current, published="2024-05-04"),
            format_name="ofac_csv",
            digest="bench-update-50".ljust(64, "0"),
            source_label="2024-05-03 + 50 additions",
            published="2024-05-04",
            engine=None,
        )

    monitor._book_cache.clear()  # as a fresh process: the book index comes from disk
    start = time.perf_counter()
    delta = monitor.run(workers=workers)
    lap("monitor_50_added_s", start)
    figures["monitor_50_added_detail"] = delta.seconds
    figures["monitor_50_added_screened"] = delta.customers_screened
    figures["monitor_50_added_alerts"] = delta.alerts_raised
    print(
        f"monitoring run after +50 entries: {delta.list_added} added, {delta.reverse_candidates:,} candidate "
        f"customers re-screened of {delta.book_size:,}, {delta.alerts_raised} alerts; {delta.seconds}",
        flush=True,
    )

    # a second update of 50 more entries, with the book index already in memory (the service)
    more = [e for e in newer if e not in added][:50]
    store_parsed(
        ParsedList("us_ofac_sdn", current + more, published="2024-05-05"),
        format_name="ofac_csv",
        digest="bench-update-100".ljust(64, "0"),
        source_label="2024-05-03 + 100 additions",
        published="2024-05-05",
        engine=None,
    )
    start = time.perf_counter()
    warm = monitor.run(workers=workers)
    lap("monitor_50_added_warm_s", start)
    figures["monitor_50_added_warm_detail"] = warm.seconds
    print(
        f"warm monitoring run after +50 more: {warm.reverse_candidates:,} re-screened; {warm.seconds}",
        flush=True,
    )

    # audit verification speed
    from sqlalchemy import func, select

    from proscribe.cases.store import audit_log
    from proscribe.store.db import connect

    with connect().connect() as conn:
        have = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    missing = max(0, args.audit_records - have)
    start = time.perf_counter()
    for offset in range(0, missing, 50000):
        batch = min(50000, missing - offset)
        audit.append_many(
            [("bench.event", "bench", {"n": offset + i, "detail": "synthetic"}) for i in range(batch)]
        )
    lap("audit_fill_s", start)
    start = time.perf_counter()
    report = audit.verify()
    seconds = lap("audit_verify_s", start)
    assert report.ok, report.problems[:3]
    figures["audit_records"] = report.records
    figures["audit_verify_per_million_s"] = round(seconds / report.records * 1_000_000, 2)
    print(
        f"audit verify: {report.records:,} records in {seconds}s "
        f"({figures['audit_verify_per_million_s']}s per million)",
        flush=True,
    )
    if args.output:
        args.output.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
