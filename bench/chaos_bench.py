"""Chaos sweep: SIGKILL a list import, a payment batch and a monitoring run at more seeded points
than ``make test`` affords, and check the store after every kill (``tests/store/chaos_support``).

Usage: ``.venv/bin/python bench/chaos_bench.py [--kills 8] [--seed 15]``. Prints, per operation,
the kill points tried, how many landed while the command ran, and that the store verified after
each and matched the reference run at the end (an assertion fails otherwise).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "store"))

from chaos_support import kill_sweep, make_base, payment_files, rows  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chaos-bench-") as folder:
        work = Path(folder)
        base = make_base(work / "base")
        listed = [c for (c,) in rows(base, "SELECT caption FROM entities WHERE schema = 'Person' LIMIT 50")]
        payment_files(work / "payments", listed, 140)
        operations = {
            "list import (CA SEMA)": (["lists", "import", "--bundled", "ca_2025-03-20"],
                                      "SELECT dataset, source_sha256, entity_count FROM snapshots ORDER BY id"),
            "payment batch (140 messages)": (["payments", "screen", str(work / "payments"), "-o", os.devnull],
                                             "SELECT message_id, decision FROM payment_decisions ORDER BY 1"),
            "monitoring run (full)": (["monitor", "run", "--full", "--workers", "1"],
                                      "SELECT alert_key FROM alerts ORDER BY 1"),
        }
        for n, (name, (command, query)) in enumerate(operations.items()):
            started = time.monotonic()
            _, _, outcomes = kill_sweep(base, work / f"op{n}", f"op{n}", command, args.seed + n, args.kills, query)
            landed = sum(killed for _, killed in outcomes)
            points = ", ".join(f"{p:.2f}" for p, _ in outcomes)
            print(f"{name}: {len(outcomes)} kill points ({points} s), {landed} landed mid-run; store verified "
                  f"after each, final state equals the reference ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
