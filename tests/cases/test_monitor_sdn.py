"""Ongoing monitoring on the real bundled OFAC SDN files: the 2024-05-03 list, then the
reconstructed 2026-08-20 one, which adds INTEGRITY TECHNOLOGY GROUP (uid 50543, CYBER2). A customer
onboarded before is alerted, and only what the change can affect is re-screened."""

from __future__ import annotations

import json

import pytest

from proscribe import audit, bundled
from proscribe.cases import alerts, book, monitor
from proscribe.store.snapshots import ImportResult, source_digest, store_parsed

FIRST = [
    "Anna",
    "Peter",
    "Maria",
    "Tomas",
    "Greta",
    "Luis",
    "Ingrid",
    "Paolo",
    "Hannah",
    "Kenji",
    "Amelie",
    "Jonas",
]
LAST = ["Keller", "Brandt", "Moreau", "Lindqvist", "Okafor", "Tanaka", "Novak", "Fischer", "Duarte", "Haugen"]
FIRMS = [
    "Harbour Bakery",
    "Alpine Dental Care",
    "Lakeside Software",
    "Greenfield Farms",
    "Riverside Printing",
    "Summit Accounting",
    "Meadow Florists",
    "Coastal Surf School",
    "Maple Furniture",
    "Orchard Cider Works",
]


SETS = {"ofac_sdn_2024-05-03": "sdn_2024-05-03", "ofac_sdn_2026-08-20": "reconstructed_2026-08-20"}


def _import(key: str, parsed_set, engine):
    """What ``proscribe lists import --bundled KEY`` does, with the session's cached parse."""
    item = {i.key: i for i in bundled.bundled_lists()}[key]
    parsed = parsed_set(
        {"ofac_sdn_2024-05-03": "sdn_2024-05-03", "ofac_sdn_2026-08-20": "reconstructed_2026-08-20"}[key]
    )
    snapshot = store_parsed(
        parsed,
        format_name=item.format,
        digest=source_digest(item.file),
        source_label=str(item.file),
        published=item.published,
        reconstructed=item.reconstructed,
        note=item.note,
        engine=engine,
    )
    audit.list_import_hook(ImportResult(snapshot, True, []), engine=engine)
    return snapshot


#: Compiled list indexes, shared by both backends (the same files get the same snapshot ids in a
#: fresh store), so each list is compiled once per session.
_INDEXES: dict[tuple, object] = {}


def _index(key: str, snapshot, parsed_set):
    """What ``get_index(refresh=True)`` compiles after the import (the same entities, the same
    snapshot summary), compiled from the session's cached parse once per session."""
    from proscribe.index.compiled import build_index

    cache_key = (key, snapshot.id, snapshot.source_sha256, snapshot.label)
    if cache_key not in _INDEXES:
        parsed = parsed_set(SETS[key])
        summary = {
            "id": snapshot.id,
            "published": snapshot.published,
            "sha256": snapshot.source_sha256,
            "reconstructed": snapshot.reconstructed,
            "label": snapshot.label,
        }
        _INDEXES[cache_key] = build_index({"us_ofac_sdn": parsed.entities}, {"us_ofac_sdn": summary})
    return _INDEXES[cache_key]


def _book() -> list[dict]:
    records = [
        {
            "id": "C-ITG",
            "schema": "Company",
            "properties": {"name": ["Beijing Integrity Technology Co., Ltd."], "country": ["cn"]},
        }
    ]
    records += [
        {"id": f"P-{i:03d}", "schema": "Person", "properties": {"name": [f"{f} {la}"]}}
        for i, (f, la) in enumerate((f, la) for f in FIRST for la in LAST)
    ]
    records += [
        {"id": f"F-{i:02d}", "schema": "Company", "properties": {"name": [f"{name} Ltd"], "country": ["gb"]}}
        for i, name in enumerate(FIRMS)
    ]
    return records


@pytest.mark.parametrize("workers", [1])
def test_new_designation_alerts_onboarded_customer_without_rescreening_the_book(
    db, parsed_set, book_file, monkeypatch, workers
):
    old = _import("ofac_sdn_2024-05-03", parsed_set, db)
    records = _book()
    book.import_book(book_file(records), engine=db)
    first = monitor.run(engine=db, workers=workers, index=_index("ofac_sdn_2024-05-03", old, parsed_set))
    assert first.mode == "full" and first.customers_screened == len(records) == 131
    assert not alerts.list_alerts(subject_id="C-ITG", engine=db)

    snapshot = _import("ofac_sdn_2026-08-20", parsed_set, db)
    forward: list[str] = []
    real_screen = monitor.screen

    def spy(query, **kwargs):  # count screenings against the lists (not the reverse ones against the book)
        if kwargs.get("index") is not monitor._worker_state.get("book_index"):
            forward.append(query["id"] if isinstance(query, dict) else query.id)
        return real_screen(query, **kwargs)

    monkeypatch.setattr(monitor, "screen", spy)
    current = _index("ofac_sdn_2026-08-20", snapshot, parsed_set)
    stats = monitor.run(engine=db, workers=workers, index=current)
    assert stats.mode == "delta"
    assert stats.list_added > 5000 and stats.list_changed > 10000  # two years of SDN changes
    assert stats.reverse_queries == stats.list_added + stats.list_changed
    assert stats.customers_changed == 0
    # only the customers the changed entries can hit were screened again, never the whole book
    assert sorted(forward) == sorted(stats.screened_ids)
    assert "C-ITG" in forward
    assert len(forward) == stats.reverse_candidates < len(records) // 4
    [alert] = [
        a for a in alerts.list_alerts(subject_id="C-ITG", engine=db) if a["entity_id"] == "us_ofac_sdn-50543"
    ]
    assert alert["decision"] in ("block", "review") and alert["score"] >= 0.72
    assert alert["snapshot"] == snapshot.label and "reconstructed" in alert["snapshot"]
    assert "list entry us_ofac_sdn-50543 added" in alert["trigger"]
    result = json.loads(alert["result"])
    assert result["caption"] == "INTEGRITY TECHNOLOGY GROUP, INCORPORATED" and "CYBER2" in result["programs"]
    assert result["explanation"]["name"]["query_name"]
    case = alerts.get_case(alert["case_id"], engine=db)
    assert case["subject_id"] == "C-ITG" and case["state"] == "open"
    # the same state again: nothing to do
    quiet = monitor.run(engine=db, workers=workers, index=current)
    assert (quiet.list_added, quiet.list_changed, quiet.customers_screened, quiet.alerts_raised) == (
        0,
        0,
        0,
        0,
    )
    report = audit.verify(engine=db)
    assert report.ok


def _mutate(name: str, rng) -> str:
    """A customer's spelling of a listed name: a word dropped, words reordered, a typo, or a
    legal form added."""
    tokens = name.replace(",", " ").split()
    roll = rng.random()
    if roll < 0.25 and len(tokens) > 2:
        tokens.pop(rng.randrange(len(tokens)))
    elif roll < 0.5 and len(tokens) > 1:
        rng.shuffle(tokens)
    elif roll < 0.75:
        i = rng.randrange(len(tokens))
        if len(tokens[i]) > 4:
            j = rng.randrange(1, len(tokens[i]) - 1)
            tokens[i] = tokens[i][:j] + rng.choice("aeiou") + tokens[i][j + 1 :]
    else:
        tokens.append(rng.choice(["LLC", "Ltd", "GmbH", "Co"]))
    return " ".join(tokens).title()


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_delta_run_finds_exactly_what_a_full_screening_finds(db, parsed_set, book_file):
    """Recall of the delta path: a whole list arriving as new entries, screened against the book
    index, gives the same alerts as screening every customer against the list."""
    import random

    from proscribe.model import Entity
    from proscribe.screen import screen
    from proscribe.sources.base import ParsedList

    listed = parsed_set("sdn_2024-05-03").entities
    rng = random.Random(3)
    records = [
        {
            "id": f"M{n:03d}",
            "schema": e.schema,
            "properties": {"name": [_mutate(e.caption, rng)]},
        }
        for n, e in enumerate(rng.sample(listed, 300))
    ] + _book()
    book.import_book(book_file(records), engine=db)
    placeholder = [
        Entity(
            id="us_ofac_sdn-0",
            schema="Company",
            dataset="us_ofac_sdn",
            source_id="0",
            properties={"name": ["PLACEHOLDER"]},
        )
    ]
    store_parsed(
        ParsedList("us_ofac_sdn", placeholder),
        format_name="test",
        digest="0" * 64,
        source_label="placeholder",
        published="2024-01-01",
        engine=db,
    )
    monitor.run(engine=db)
    snapshot = _import("ofac_sdn_2024-05-03", parsed_set, db)
    index = _index("ofac_sdn_2024-05-03", snapshot, parsed_set)
    stats = monitor.run(engine=db, index=index)
    assert stats.mode == "delta" and stats.reverse_queries == len(listed)
    found = {(a["subject_id"], a["entity_id"]) for a in alerts.list_alerts(engine=db)}
    truth = {
        (c.customer_id, item["id"])
        for c in book.iter_customers(engine=db)
        for item in screen(c.record, index=index)["results"]
    }
    assert len(truth) > 250 and found == truth
    assert stats.customers_screened < len(records)
