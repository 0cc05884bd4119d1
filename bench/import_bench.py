"""Import every bundled list (data/manifest.json, history included) from the raw files into a
fresh store, timing each import and the total, and report the size of the SQLite store.

    .venv/bin/python bench/import_bench.py [--keep] [--markdown]

Each list goes through :func:`proscribe.store.snapshots.import_list`, the same path as
``proscribe lists import``: sha256 of the published bytes, full parse, one transaction. Prints a
table and writes ``bench/out/import.json``. Target: all lists in under 30 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
TARGET_SECONDS = 30.0


def _store_size(home: Path) -> int:
    """Bytes of the SQLite store (database file plus any WAL/shared-memory files left)."""
    return sum(p.stat().st_size for p in home.glob("proscribe.db*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary PROSCRIBE_HOME and print its path"
    )
    parser.add_argument(
        "--markdown", action="store_true", help="also print this run as a BENCHMARKS.md table"
    )
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="proscribe-import-bench-"))
    os.environ["PROSCRIBE_HOME"] = str(home)
    os.environ.pop("PROSCRIBE_DATABASE_URL", None)

    from proscribe import bundled
    from proscribe.store.db import connect
    from proscribe.store.snapshots import import_list

    rows = []
    try:
        engine = connect()
        load_before = os.getloadavg()
        started, cpu_started = time.perf_counter(), time.process_time()
        for item in bundled.bundled_lists():
            t0, c0 = time.perf_counter(), time.process_time()
            result = import_list(
                item.dataset,
                item.format,
                item.file,
                published=item.published,
                reconstructed=item.reconstructed,
                note=item.note,
                engine=engine,
            )
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
            if not result.created:
                raise SystemExit(f"{item.key}: not imported (same file already stored?)")
            snap = result.snapshot
            files = [p for p in item.file.rglob("*") if p.is_file()] if item.file.is_dir() else [item.file]
            raw = sum(p.stat().st_size for p in files)
            rows.append(
                {
                    "key": item.key,
                    "dataset": item.dataset,
                    "format": item.format,
                    "published": snap.published,
                    "entities": snap.entity_count,
                    "seconds": round(seconds, 3),
                    "cpu_seconds": round(cpu, 3),
                    "bundled_bytes": raw,
                }
            )
            print(f"  {item.key:<24} {snap.entity_count:>7,} entities  {seconds:6.2f} s", file=sys.stderr)
        total, cpu_total = time.perf_counter() - started, time.process_time() - cpu_started
        load_after = os.getloadavg()
        engine.dispose()  # close connections: SQLite checkpoints the WAL into the database file
        size = _store_size(home)
    finally:
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)

    report = {
        "date": datetime.date.today().isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "processor": _cpu_model(),
        },
        "lists": rows,
        "total_entities": sum(r["entities"] for r in rows),
        "total_seconds": round(total, 2),
        "total_cpu_seconds": round(cpu_total, 2),
        "load_average_1min": {"before": load_before[0], "after": load_after[0]},
        "target_seconds": TARGET_SECONDS,
        "store_bytes": size,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "import.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    header = f"{'list':<24} {'dataset':<24} {'format':<14} {'published':<10} {'entities':>9} {'wall s':>7} {'cpu s':>7}"
    print(header)
    for r in rows:
        print(
            f"{r['key']:<24} {r['dataset']:<24} {r['format']:<14} {r['published'] or 'undated':<10} "
            f"{r['entities']:>9,} {r['seconds']:>7.2f} {r['cpu_seconds']:>7.2f}"
        )
    verdict = "PASS" if total <= TARGET_SECONDS else "FAIL"
    print(
        f"{'total':<24} {'':<24} {'':<14} {'':<10} {report['total_entities']:>9,} {total:>7.2f} {cpu_total:>7.2f}"
        f"  (target <= {TARGET_SECONDS:.0f} s wall: {verdict})"
    )
    print(
        f"load average (1 min) before/after: {load_before[0]:.2f} / {load_after[0]:.2f} on {os.cpu_count()} CPUs"
    )
    print(f"store size: {size / 1_048_576:.1f} MiB ({size:,} bytes)")
    if args.keep:
        print(f"store kept in {home}")
    if args.markdown:
        print()
        print(markdown_table(report))
    return 0 if verdict == "PASS" else 1


def markdown_table(report: dict) -> str:
    lines = [
        "| List (manifest key) | Dataset | Format | Published | Entities | Wall (s) | CPU (s) |",
        "|---|---|---|---|--:|--:|--:|",
    ]
    for r in report["lists"]:
        lines.append(
            f"| {r['key']} | {r['dataset']} | {r['format']} | {r['published'] or 'undated'} | "
            f"{r['entities']:,} | {r['seconds']:.2f} | {r['cpu_seconds']:.2f} |"
        )
    lines.append(
        f"| **total** | | | | **{report['total_entities']:,}** | **{report['total_seconds']:.2f}** | "
        f"**{report['total_cpu_seconds']:.2f}** |"
    )
    return "\n".join(lines)


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


if __name__ == "__main__":
    sys.exit(main())
