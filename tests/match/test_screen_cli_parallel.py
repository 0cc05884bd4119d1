"""`proscribe screen` on all cores: the default, input order, error lines, the audit trail, and a
worker that dies mid-run (fails closed: every line is written, the unscreened ones as errors)."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).with_name("proscribe")
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

NAMES = [
    ("Company", "Integrity Technology Group"),
    ("Person", "Maria Gonzalez Perez"),
    ("Person", "Vladimir Putin"),
    ("Company", "Northwind Traders Ltd"),
    ("Person", "Sergei Lavrov"),
    ("Person", "John Smith"),
]


def _env(home: Path) -> dict:
    return dict(os.environ, PROSCRIBE_HOME=str(home))


def _run(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=_env(home), timeout=600)


def _children(pid: int) -> set[int]:
    """Live child processes of ``pid`` (read from /proc: no helper library)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def _queries(n: int, *, bad_every: int = 0) -> list[str]:
    lines = []
    for k in range(n):
        if bad_every and k % bad_every == bad_every - 1:
            lines.append(
                "{broken json"
                if k % 2
                else json.dumps({"id": f"q{k}", "schema": "Spaceship", "properties": {"name": ["X"]}})
            )
            continue
        schema, name = NAMES[k % len(NAMES)]
        lines.append(json.dumps({"id": f"q{k}", "schema": schema, "properties": {"name": [name]}}))
    return lines


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _screening_records(home: Path, source: Path) -> list[dict]:
    from sqlalchemy import create_engine, select

    from proscribe.cases.store import audit_log

    engine = create_engine(f"sqlite:///{home / 'proscribe.db'}")
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.payload).where(audit_log.c.event_type == "screening").order_by(audit_log.c.seq)
        ).all()
    engine.dispose()
    return [r for r in (json.loads(row[0]) for row in rows) if r["source"] == str(source)]


def _watch_children(proc: subprocess.Popen) -> set[int]:
    seen: set[int] = set()
    while proc.poll() is None:
        seen |= _children(proc.pid)
        time.sleep(0.005)
    return seen


@pytest.mark.skipif(CORES < 2, reason="needs two cores to show parallel screening")
def test_screen_uses_every_core_by_default_and_gives_the_single_process_lines(screening_home, tmp_path):
    source = _write(tmp_path / "in.jsonl", _queries(600))
    default, single = tmp_path / "default.jsonl", tmp_path / "single.jsonl"
    proc = subprocess.Popen(
        [str(BIN), "screen", str(source), "-o", str(default)],
        env=_env(screening_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers = _watch_children(proc)
    stderr = proc.stderr.read()
    assert proc.returncode == 0, stderr
    assert len(workers) == CORES  # one worker process per core, no flag needed
    assert f"on {CORES} processes" in stderr
    assert _run(screening_home, "screen", str(source), "-o", str(single), "--workers", "1").returncode == 0
    assert default.read_text() == single.read_text()


def test_workers_one_screens_in_the_calling_process_alone(screening_home, tmp_path):
    source = _write(tmp_path / "in.jsonl", _queries(300))
    proc = subprocess.Popen(
        [str(BIN), "screen", str(source), "-o", str(tmp_path / "o.jsonl"), "--workers", "1"],
        env=_env(screening_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert _watch_children(proc) == set()
    assert proc.returncode == 0 and "on 1 process" in proc.stderr.read()


def test_parallel_run_keeps_error_lines_in_place_and_exits_2(screening_home, tmp_path):
    lines = _queries(500, bad_every=37)
    source = _write(tmp_path / "in.jsonl", lines)
    single, parallel = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    one = _run(screening_home, "screen", str(source), "-o", str(single), "--workers", "1")
    two = _run(screening_home, "screen", str(source), "-o", str(parallel), "--workers", "2")
    assert one.returncode == two.returncode == 2
    assert parallel.read_text() == single.read_text()
    results = [json.loads(line) for line in parallel.read_text().splitlines()]
    assert len(results) == len(lines)
    for k, result in enumerate(results):
        if k % 37 == 36:
            assert result["decision"] == "error" and f"line {k + 1}" in result["error"]
        else:
            assert result["id"] == f"q{k}" and result["decision"] in ("block", "review", "clear")
    errors = sum(1 for r in results if r["decision"] == "error")
    assert f"{errors} of {len(lines)} queries could not be screened" in two.stderr


def test_parallel_csv_output_with_a_threshold_equals_the_single_process_output(screening_home, tmp_path):
    source = _write(tmp_path / "in.jsonl", _queries(400))
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out-{workers}.csv"
        proc = _run(
            screening_home,
            "screen",
            str(source),
            "-o",
            str(out),
            "--format",
            "csv",
            "--threshold",
            "0.9",
            "--workers",
            workers,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    rows = list(csv.DictReader(outputs[1].decode("utf-8").splitlines()))
    assert rows[0]["query_id"] == "q0" and rows[0]["source_id"] == "50543"
    assert [r["query_id"] for r in rows if r["rank"] in ("", "1")] == [f"q{k}" for k in range(400)]


def test_parallel_run_keeps_one_screening_record_per_line_in_input_order(screening_home, tmp_path):
    source = _write(tmp_path / "audited.jsonl", _queries(450))
    out = tmp_path / "o.jsonl"
    assert _run(screening_home, "screen", str(source), "-o", str(out), "--workers", "2").returncode == 0
    records = _screening_records(screening_home, source)
    results = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["query_id"] for r in records] == [r["id"] for r in results] == [f"q{k}" for k in range(450)]
    assert [r["decision"] for r in records] == [r["decision"] for r in results]


def test_a_worker_killed_mid_run_fails_closed_with_every_line_written(screening_home, tmp_path):
    lines = _queries(6000)
    source = _write(tmp_path / "big.jsonl", lines)
    out = tmp_path / "o.jsonl"
    proc = subprocess.Popen(
        [str(BIN), "screen", str(source), "-o", str(out), "--workers", "2"],
        env=_env(screening_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)
        time.sleep(0.005)
    assert len(workers) == 2, "the workers never started"
    time.sleep(0.3)  # let some chunks finish first
    os.kill(min(workers), signal.SIGKILL)
    _, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 2, stderr
    assert "Traceback" not in stderr
    results = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(results) == len(lines)  # nothing silently missing
    lost = [r for r in results if r["decision"] == "error"]
    assert lost and all("worker process ended unexpectedly" in r["error"] for r in lost)
    for k, result in enumerate(results):
        assert result["id"] == f"q{k}"
        assert result["decision"] in ("block", "review", "clear", "error")
        if result["decision"] == "error":
            assert f"line {k + 1}:" in result["error"]
    assert f"{len(lost)} of {len(lines)} queries could not be screened" in stderr
