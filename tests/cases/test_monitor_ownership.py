"""Changes flow through ownership results: an entity newly blocked through ownership (in the
screening index with dataset ``derived_ownership``) is screened against the book like a new list
entry, and a change of its ownership path counts as a change."""

from __future__ import annotations

from proscribe.cases import alerts, book, monitor
from proscribe.index.compiled import build_index
from proscribe.model import Entity

TEST_DATASET = "test_list"


def _index(snapshot, path: list[str] | None, list_entities):
    datasets = {TEST_DATASET: list_entities(1)}
    summaries = {
        TEST_DATASET: {
            "id": snapshot.id,
            "published": snapshot.published,
            "sha256": snapshot.source_sha256,
            "reconstructed": False,
            "label": snapshot.label,
        }
    }
    if path is not None:
        owned = Entity(
            id="derived_ownership-acme-sub",
            schema="Company",
            dataset="derived_ownership",
            source_id="acme-sub",
        )
        owned.add("name", "ACME SUBSIDIARY HOLDINGS LIMITED")
        datasets["derived_ownership"] = [owned]
        summaries["derived_ownership"] = {"id": 0, "label": "derived_ownership (ofac)"}
    index = build_index(datasets, summaries)
    for record in index.entities:
        if record.dataset == "derived_ownership":
            record.derived = {"regime": "ofac", "path": path}
    return index


def test_ownership_derived_entity_is_monitored(db, store_list, book_file, list_entities):
    snapshot = store_list(1, db)
    records = [
        {"id": "C-SUB", "schema": "Company", "properties": {"name": ["Acme Subsidiary Holdings Ltd"]}},
        {"id": "C-OTHER", "schema": "Person", "properties": {"name": ["Greta Lindqvist"]}},
    ]
    book.import_book(book_file(records), engine=db)
    first = monitor.run(engine=db, index=_index(snapshot, None, list_entities))
    assert first.alerts_raised == 0
    stats = monitor.run(engine=db, index=_index(snapshot, ["test_list-1 owns 60%"], list_entities))
    assert (stats.list_added, stats.list_changed, stats.customers_screened) == (1, 0, 1)
    [alert] = alerts.list_alerts(subject_id="C-SUB", engine=db)
    assert alert["dataset"] == "derived_ownership"
    assert "list entry derived_ownership-acme-sub added" in alert["trigger"]
    # the ownership path changes (a new owner): a change, re-screened, alerted again with the new path
    stats = monitor.run(
        engine=db, index=_index(snapshot, ["test_list-1 owns 60%", "test_list-3 owns 40%"], list_entities)
    )
    assert (stats.list_added, stats.list_changed, stats.customers_screened, stats.alerts_raised) == (
        0,
        1,
        1,
        1,
    )
