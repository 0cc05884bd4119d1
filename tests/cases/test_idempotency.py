"""A monitoring run killed half-way and run again loses no alert and raises none twice."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from proscribe.cases import alerts, book, monitor
from proscribe.cases.store import alerts as alerts_table
from proscribe.cases.store import audit_log, monitor_runs
from proscribe.screen import get_index, screen


class Crash(RuntimeError):
    pass


def _crash_after(chunks: int):
    def hook(committed: int) -> None:
        if committed >= chunks:
            raise Crash(f"killed after {committed} chunk(s)")

    return hook


def _alert_pairs(engine) -> list[tuple[str, str]]:
    return sorted((a["subject_id"], a["entity_id"]) for a in alerts.list_alerts(engine=engine))


def _raised_events(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(audit_log).where(audit_log.c.event_type == "alert.raised")
        ).scalar_one()


def _ground_truth(engine) -> list[tuple[str, str]]:
    """Every customer screened directly against the current lists."""
    index = get_index(refresh=True)
    pairs = []
    for customer in book.iter_customers(engine=engine):
        for item in screen(customer.record, index=index)["results"]:
            pairs.append((customer.customer_id, item["id"]))
    return sorted(pairs)


def test_crash_in_full_and_delta_runs_then_rerun(db, store_list, book_file, monkeypatch):
    store_list(1, db)
    book.import_book(book_file(), engine=db)
    # the first (full) run dies after two chunks of 5 customers
    monkeypatch.setattr(monitor, "crash_hook", _crash_after(2))
    with pytest.raises(Crash):
        monitor.run(chunk=5, engine=db)
    with db.connect() as conn:
        [run] = conn.execute(select(monitor_runs)).all()
    assert run.status == "failed" and "killed after 2" in run.error
    partial = _alert_pairs(db)
    monkeypatch.setattr(monitor, "crash_hook", None)
    stats = monitor.run(chunk=5, engine=db)
    assert stats.mode == "full"  # the list state was never saved: the whole run is redone
    assert _alert_pairs(db) == _ground_truth(db)
    assert set(partial) <= set(_alert_pairs(db))
    assert stats.alerts_existing == len(partial)
    assert _raised_events(db) == len(_alert_pairs(db))

    # a list update; the delta run dies after its first chunk (one customer a chunk)
    store_list(2, db)
    monkeypatch.setattr(monitor, "crash_hook", _crash_after(1))
    with pytest.raises(Crash):
        monitor.run(chunk=1, engine=db)
    after_crash = _alert_pairs(db)
    monkeypatch.setattr(monitor, "crash_hook", None)
    stats = monitor.run(chunk=1, engine=db)
    assert stats.mode == "delta" and stats.list_added == 1 and stats.list_changed == 2
    final = _alert_pairs(db)
    assert set(after_crash) <= set(final)
    with db.connect() as conn:
        keys = [row.alert_key for row in conn.execute(select(alerts_table.c.alert_key))]
    assert len(keys) == len(set(keys))
    # nothing lost: every pair the current lists give is alerted (ACME's alert is raised anew
    # because its list entry changed), and nothing raised twice
    assert sorted(set(final)) == _ground_truth(db)
    assert final.count(("C-ACME", "test_list-1")) == 2
    assert _raised_events(db) == len(final)
    with db.connect() as conn:
        runs = [
            (r.status, json.loads(r.stats or "{}"))
            for r in conn.execute(select(monitor_runs).order_by(monitor_runs.c.id))
        ]
    assert [status for status, _ in runs] == ["failed", "completed", "failed", "completed"]
    # and a third run with nothing changed screens nobody
    quiet = monitor.run(engine=db)
    assert (quiet.customers_screened, quiet.alerts_raised) == (0, 0)


def test_customers_changed_after_the_book_index_are_screened_against_list_changes(db, store_list, book_file):
    """The book index is not recompiled for every customer change: customers added or changed
    since it was compiled are screened against the whole list whenever the list changes."""
    store_list(1, db)
    book.import_book(book_file(), engine=db)
    monitor.run(engine=db)
    store_list(2, db)
    monitor.run(engine=db)  # compiles the book index
    compiled = monitor.get_book_index(engine=db)
    newcomer = [
        {"id": "C-SILVER", "schema": "Company", "properties": {"name": ["Silverwing Freight Forwarding"]}}
    ]
    book.import_book(book_file(newcomer), engine=db)
    stats = monitor.run(engine=db)  # the list did not change: the newcomer is screened, and clear
    assert (stats.customers_changed, stats.customers_screened, stats.alerts_raised) == (1, 1, 0)
    store_list(3, db)  # BLUE FALCON gets the alias SILVERWING FREIGHT FORWARDING
    stats = monitor.run(engine=db)
    assert monitor.get_book_index(engine=db) is compiled  # not recompiled
    assert stats.customers_stale == 1 and stats.list_changed == 1
    [alert] = alerts.list_alerts(subject_id="C-SILVER", engine=db)
    assert alert["entity_id"] == "test_list-4"
    assert "changed after the book index was compiled" in alert["trigger"]


KILLED_RUN = """
import pathlib, sys, time
from proscribe.cases import monitor

def hook(committed):
    if committed == 2:
        pathlib.Path(sys.argv[1]).write_text("2 chunks committed")
        time.sleep(600)  # killed here

monitor.crash_hook = hook
monitor.run(chunk=19)  # 40 customers in id order: C-ACME is the 37th, C-IVAN the 39th
"""


def test_killed_process_then_rerun_loses_nothing_and_duplicates_nothing(db, store_list, book_file, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    store_list(1, db)
    book.import_book(book_file(), engine=db)
    flag = tmp_path / "flag"
    child = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(flag)], env=dict(os.environ))
    try:
        deadline = time.monotonic() + 90
        while not flag.exists():
            assert child.poll() is None, "the monitoring process ended early"
            assert time.monotonic() < deadline, "the monitoring process did not get going"
            time.sleep(0.1)
        with pytest.raises(monitor.MonitorBusy, match="still under way"):
            monitor.run(engine=db)  # one run at a time
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    partial = _alert_pairs(db)
    assert partial == [("C-ACME", "test_list-1")]  # committed before the kill; C-IVAN was not reached
    stats = monitor.run(chunk=19, engine=db)
    with db.connect() as conn:
        statuses = [r.status for r in conn.execute(select(monitor_runs).order_by(monitor_runs.c.id))]
    assert statuses == ["abandoned", "refused", "completed"]
    assert set(partial) <= set(_alert_pairs(db)) and stats.alerts_existing == len(partial)
    assert _alert_pairs(db) == _ground_truth(db)
    assert _raised_events(db) == len(_alert_pairs(db))
