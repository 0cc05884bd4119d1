"""Issue 19, class 7: a store whose first import is an internal list still loads the bundled
official lists. Every bundled dataset without a snapshot is loaded when the screening index is
prepared, whatever else the store holds; ``PROSCRIBE_BUNDLED`` is the explicit, audited opt-out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import event, select
from typer.testing import CliRunner

from proscribe import bundled
from proscribe.cases.store import audit_log
from proscribe.cli import app
from proscribe.model import Entity
from proscribe.sources.base import ParsedList
from proscribe.store import snapshots as store

CUSTOM_CSV = Path(__file__).resolve().parent / "fixtures" / "custom" / "internal_list.csv"
BUNDLED = {item.dataset for item in bundled.bundled_lists(current_only=True)}
MAHAN_AIR = {"id": "q1", "schema": "Company", "properties": {"name": ["MAHAN AIR"]}}


def _import_internal(engine) -> None:
    store.import_list("custom_internal", "custom_csv", CUSTOM_CSV, engine=engine)


def _present(engine) -> set[str]:
    return {snap.dataset for snap in store.list_snapshots(engine=engine)}


def _opt_out_records(engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.payload).where(audit_log.c.event_type == "list.bundled.opt_out")
        ).all()
    return [json.loads(row[0]) for row in rows]


def test_bundled_lists_load_whatever_else_the_store_holds(engine):
    from proscribe.screen import get_index, screen

    _import_internal(engine)  # the store's first import is an internal list
    index = get_index(refresh=True)
    assert _present(engine) == BUNDLED | {"custom_internal"}
    assert set(index.snapshots) >= BUNDLED
    result = screen(MAHAN_AIR, index=index)
    assert result["decision"] != "clear"
    assert any(r["dataset"] == "us_ofac_sdn" for r in result["results"])


def test_bundled_lists_missing_ones_load_next_to_a_present_one(engine, monkeypatch):
    """Only the datasets without a snapshot load; one that is present is left alone (the opt-out
    keeps the big lists out, to keep this test short)."""
    monkeypatch.setenv("PROSCRIBE_BUNDLED", "un_sc_sanctions,us_ofac_cons,ca_dfatd_sema_sanctions")
    (un,) = [item for item in bundled.bundled_lists(current_only=True) if item.dataset == "un_sc_sanctions"]
    own = bundled.import_bundled(un, engine=engine).snapshot
    _import_internal(engine)
    loaded = bundled.ensure_loaded(engine=engine)
    assert {r.snapshot.dataset for r in loaded} == {"us_ofac_cons", "ca_dfatd_sema_sanctions"}
    assert [s.id for s in store.list_snapshots("un_sc_sanctions", engine=engine)] == [own.id]
    assert bundled.ensure_loaded(engine=engine) == []


def test_bundled_lists_check_is_one_query_when_every_dataset_is_present(engine):
    for dataset in sorted(BUNDLED):  # one placeholder snapshot per bundled dataset
        entity = Entity(id=f"{dataset}-1", schema="Company", dataset=dataset, source_id="1")
        entity.add("name", "PLACEHOLDER")
        store.store_parsed(
            ParsedList(dataset, [entity]),
            format_name="test",
            digest=dataset.ljust(64, "0"),
            source_label="placeholder",
            published="2020-01-01",
            engine=engine,
        )
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert bundled.ensure_loaded(engine=engine) == []
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1, statements


def test_bundled_lists_opt_out_is_explicit_and_audited(engine, monkeypatch):
    from proscribe.screen import get_index, screen

    monkeypatch.setenv("PROSCRIBE_BUNDLED", "none")
    _import_internal(engine)
    index = get_index(refresh=True)
    get_index(refresh=True)
    bundled.ensure_loaded(engine=engine)
    assert _present(engine) == {"custom_internal"}
    assert screen(MAHAN_AIR, index=index)["decision"] == "clear"  # the operator's documented choice
    assert _opt_out_records(engine) == [{"setting": "none", "skipped": sorted(BUNDLED)}]  # once


def test_bundled_lists_opt_out_of_some_loads_the_others(engine, monkeypatch):
    monkeypatch.setenv("PROSCRIBE_BUNDLED", "un_sc_sanctions, us_ofac_cons")
    _import_internal(engine)
    loaded = bundled.ensure_loaded(engine=engine)
    assert {r.snapshot.dataset for r in loaded} == {"un_sc_sanctions", "us_ofac_cons"}
    (record,) = _opt_out_records(engine)
    assert record["skipped"] == sorted(BUNDLED - {"un_sc_sanctions", "us_ofac_cons"})


def test_bundled_lists_opt_out_naming_an_unknown_dataset_is_an_error(engine, monkeypatch):
    monkeypatch.setenv("PROSCRIBE_BUNDLED", "us_ofac_sdm")
    with pytest.raises(ValueError, match="unknown bundled dataset"):
        bundled.ensure_loaded(engine=engine)
    result = CliRunner().invoke(app, ["lists", "list"])
    assert result.exit_code == 2
    assert "us_ofac_sdm" in result.output and "Traceback" not in result.output
    assert store.list_snapshots(engine=engine) == []
