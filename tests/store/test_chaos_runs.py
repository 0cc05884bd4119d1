"""Issue 15, chaos: a payment batch and a monitoring run killed with SIGKILL anywhere, then run
again, record each decision and raise each alert exactly once, and the store verifies.

The harness is ``chaos_support.kill_sweep`` (see ``test_chaos.py``): a reference run on one copy
of the store, seeded kills spread over its duration on another, a last run to the end, and the
two stores compared. ``bench/chaos_bench.py`` sweeps more points.
"""

from __future__ import annotations

import os

from chaos_support import kill_sweep, payment_files, rows

SEED = 16
KILLS = 2
MESSAGES = 140  # three recording chunks of the batch (64 a chunk)


def test_payment_batch_killed_at_any_point_gives_each_message_exactly_one_decision(chaos_base, tmp_path):
    listed = [c for (c,) in rows(chaos_base, "SELECT caption FROM entities WHERE schema = 'Person' LIMIT 50")]
    folder = tmp_path / "payments"
    payment_files(folder, listed, MESSAGES)
    args = ["payments", "screen", str(folder), "-o", os.devnull]
    query = "SELECT message_id, decision FROM payment_decisions ORDER BY message_id"
    reference, home, _ = kill_sweep(chaos_base, tmp_path, "payments", args, SEED, KILLS, query)
    decided = rows(home, query)
    assert len(decided) == MESSAGES and len({m for m, _ in decided}) == MESSAGES
    audited = rows(home, "SELECT count(*) FROM audit_log WHERE event_type = 'payment.decision'")
    assert audited == [(MESSAGES,)]
    subjects = "SELECT subject_kind, subject_id FROM alerts ORDER BY subject_kind, subject_id"
    assert rows(home, subjects) == rows(reference, subjects)


def test_monitoring_run_killed_at_any_point_raises_each_alert_once(chaos_base, tmp_path):
    args = ["monitor", "run", "--full", "--workers", "1"]
    query = "SELECT alert_key FROM alerts ORDER BY alert_key"
    reference, home, _ = kill_sweep(chaos_base, tmp_path, "monitor", args, SEED + 1, KILLS, query)
    assert rows(home, query), "the monitoring run raised no alert to check"
    states = dict(rows(home, "SELECT status, count(*) FROM monitor_runs GROUP BY status"))
    assert states.get("completed", 0) >= 1 and "running" not in states, states
