"""`proscribe screen` end to end, as a real subprocess: the DESIGN.md contract and bad input."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).with_name("proscribe")


def _run(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PROSCRIBE_HOME=str(home))
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=300)


def test_jsonl_batch_gives_one_line_per_input_line_in_order_with_errors_per_line(screening_home, tmp_path):
    lines = [
        json.dumps({"id": "ok", "schema": "Company", "properties": {"name": ["Integrity Technology Group"]}}),
        "{not json",
        json.dumps({"id": "empty", "schema": "Person", "properties": {"name": [""]}}),
        json.dumps({"id": "long", "schema": "Person", "properties": {"name": ["x" * 10_000]}}),
        json.dumps({"id": "ctrl", "schema": "Person", "properties": {"name": ["Vladimir\x00\x07 Putin\u200b"]}}),
        json.dumps({"id": "schema", "schema": "Spaceship", "properties": {"name": ["Enterprise"]}}),
        json.dumps({"id": "types", "schema": "Person", "properties": {"name": [{"nested": 1}]}}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "clear", "schema": "Person", "properties": {"name": ["Maria Gonzalez Perez"]}}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = _run(screening_home, "screen", str(source), "--output", str(out))
    assert proc.returncode == 2, proc.stderr  # every line written, and the run says it had errors
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(results) == len(lines)
    decisions = [r["decision"] for r in results]
    assert decisions[0] == "block" and results[0]["results"][0]["source_id"] == "50543"
    assert decisions[1] == "error" and "line 2" in results[1]["error"] and "invalid JSON" in results[1]["error"]
    assert decisions[2] == "error" and "needs a name" in results[2]["error"]
    assert decisions[3] == "error" and "too long" in results[3]["error"]  # refused, never cut
    assert decisions[4] == "block"  # control and zero-width characters are stripped
    assert decisions[5] == "error" and "unknown schema 'Spaceship'" in results[5]["error"]
    assert decisions[6] == "error" and "'name'" in results[6]["error"]
    assert decisions[7] == "error" and "line 8" in results[7]["error"]
    assert decisions[8] == "clear"
    assert "2 block" in proc.stderr and "6 error(s)" in proc.stderr and "6 of 9 queries" in proc.stderr


def test_result_line_has_the_design_contract_fields(screening_home, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "q1", "schema": "Company", "properties": {
        "name": ["Yongxin Zhicheng"], "country": ["cn"], "registrationNumber": ["91110108562135265P"]}}) + "\n")
    out = tmp_path / "out.jsonl"
    assert _run(screening_home, "screen", str(source), "-o", str(out)).returncode == 0
    result = json.loads(out.read_text())
    assert result["id"] == "q1" and result["decision"] == "block"
    top = result["results"][0]
    for key in ("id", "dataset", "source_id", "caption", "schema", "score", "match", "matched_name", "programs",
                "explanation"):
        assert key in top
    assert top["caption"] == "INTEGRITY TECHNOLOGY GROUP, INCORPORATED" and top["programs"] == ["CYBER2"]


def test_csv_input_and_csv_output_with_malformed_rows_reported(screening_home, tmp_path):
    source = tmp_path / "customers.csv"
    source.write_text(
        "id,schema,name,country\n"
        "c1,Company,Beijing Integrity Technology Co. Ltd.,cn\n"
        "c2,Company,too,many,columns,here\n"
        "c3,Person,John Smith,us\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    proc = _run(screening_home, "screen", str(source), "-o", str(out), "--format", "csv")
    assert proc.returncode == 2, proc.stderr  # one malformed row: all rows written, exit non-zero
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    by_query = {}
    for row in rows:
        by_query.setdefault(row["query_id"] or row["error"][:6], []).append(row)
    assert rows[0]["query_id"] == "c1" and rows[0]["decision"] == "block" and rows[0]["source_id"] == "50543"
    errors = [r for r in rows if r["decision"] == "error"]
    assert len(errors) == 1 and "line 3" in errors[0]["error"] and "expected 4 columns" in errors[0]["error"]
    assert rows[-1]["query_id"] == "c3" and rows[-1]["decision"] == "clear"


def test_datasets_option_restricts_the_lists_screened(screening_home, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "q", "schema": "Person", "properties": {"name": ["Sergei Lavrov"]}}) + "\n")
    out = tmp_path / "out.jsonl"
    assert _run(screening_home, "screen", str(source), "-o", str(out), "--datasets", "gb_hmt_sanctions").returncode == 0
    result = json.loads(out.read_text())
    assert result["results"] and {r["dataset"] for r in result["results"]} == {"gb_hmt_sanctions"}


def test_missing_input_file_fails_with_a_clear_message(screening_home, tmp_path):
    proc = _run(screening_home, "screen", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.jsonl"))
    assert proc.returncode != 0 and "file not found" in proc.stderr and "Traceback" not in proc.stderr


def test_parallel_workers_give_the_same_lines_in_input_order(screening_home, tmp_path):
    names = ["Integrity Technology Group", "Maria Gonzalez Perez", "Vladimir Putin", "Northwind Traders Ltd"]
    lines = [
        json.dumps({"id": f"q{n}", "schema": "LegalEntity", "properties": {"name": [names[n % len(names)]]}})
        for n in range(240)  # enough for the batch to be split across worker processes
    ]
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    single, parallel = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert _run(screening_home, "screen", str(source), "-o", str(single), "--workers", "1").returncode == 0
    assert _run(screening_home, "screen", str(source), "-o", str(parallel), "--workers", "2").returncode == 0
    assert parallel.read_text() == single.read_text()
    ids = [json.loads(line)["id"] for line in parallel.read_text().splitlines()]
    assert ids == [f"q{n}" for n in range(240)]


def test_a_fresh_home_loads_the_bundled_lists_by_itself(tmp_path):
    home = tmp_path / "fresh-home"
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"id": "q", "schema": "Company", "properties": {"name": ["Integrity Tech"]}}) + "\n")
    out = tmp_path / "out.jsonl"
    proc = _run(home, "screen", str(source), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["results"][0]["source_id"] == "50543"
    assert (home / "proscribe.db").exists() and list((home / "index").glob("index-*.npz"))
