"""Issue 19, class 4: a caller's threshold never removes a block. The decision always uses the
configured thresholds; the caller's threshold only filters which weaker results are listed (the
top result and every blocking result always are), and the screening record keeps the full
decision. The API side is in tests/api/test_threshold_decision.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from proscribe.screen import screen

BIN = Path(sys.executable).with_name("proscribe")

#: Real entries of the bundled lists, with their listed schema.
LISTED = [
    ("INTEGRITY TECHNOLOGY GROUP", "Company"),
    ("BANK MELLI IRAN", "Company"),
    ("MAHAN AIR", "Organization"),
    ("Vladimir Vladimirovich PUTIN", "Person"),
    ("Sergei Viktorovich LAVROV", "Person"),
    ("HIZBALLAH", "Organization"),
]


def doubled_letter(name: str) -> str:
    """The transformation: a typo (the second letter of the longest word doubled), so that the
    listed name scores between review and 1, where a caller's threshold used to bite."""
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    words[i] = words[i][:2] + words[i][1] + words[i][2:]
    return " ".join(words)


def _query(name: str, schema: str) -> dict:
    return {"id": "q", "schema": schema, "properties": {"name": [name]}}


@pytest.mark.parametrize(("name", "schema"), LISTED)
@pytest.mark.parametrize("threshold", [0.99, 1.0])
def test_caller_threshold_never_changes_the_decision(index, name, schema, threshold):
    query = _query(doubled_letter(name), schema)
    full = screen(query, index=index)
    assert full["decision"] in ("block", "review") and full["results"][0]["score"] < threshold
    shown = screen(query, index=index, threshold=threshold)
    assert shown["decision"] == full["decision"]
    assert shown["results"][0] == full["results"][0]  # the result that decides is listed
    blocking = [r["id"] for r in full["results"] if r["match"]]
    assert [r["id"] for r in shown["results"] if r["match"]] == blocking
    top = full["results"][0]["score"]
    for r in shown["results"]:
        assert r["match"] or r["score"] >= min(threshold, top)  # weaker ones are filtered
    hidden = len(full["results"]) - len(shown["results"])
    assert shown.get("not_listed", {"results": 0})["results"] == hidden


def test_a_lower_caller_threshold_does_not_raise_a_clear(index):
    """Results below the configured review threshold are never reported, whatever the caller."""
    query = _query("Maria Gonzalez Perez", "Person")
    assert screen(query, index=index, threshold=0.05)["decision"] == "clear"


def _screening_records(home: Path) -> list[dict]:
    from sqlalchemy import create_engine, select

    from proscribe.cases.store import audit_log

    engine = create_engine(f"sqlite:///{home / 'proscribe.db'}")
    with engine.connect() as conn:
        rows = conn.execute(select(audit_log.c.payload).where(audit_log.c.event_type == "screening")).all()
    engine.dispose()
    return [json.loads(row[0]) for row in rows]


def test_cli_threshold_keeps_the_block_and_the_record(screening_home, tmp_path):
    source = tmp_path / "in.jsonl"
    queries = [
        dict(_query(doubled_letter(name), schema), id=f"t{n}") for n, (name, schema) in enumerate(LISTED)
    ]
    source.write_text("".join(json.dumps(q) + "\n" for q in queries), encoding="utf-8")
    plain, strict = tmp_path / "plain.jsonl", tmp_path / "strict.jsonl"
    env = dict(os.environ, PROSCRIBE_HOME=str(screening_home), PROSCRIBE_USER="threshold-test")
    for out, extra in ((plain, []), (strict, ["--threshold", "0.99"])):
        proc = subprocess.run(
            [str(BIN), "screen", str(source), "-o", str(out), *extra],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
    full = [json.loads(line) for line in plain.read_text(encoding="utf-8").splitlines()]
    shown = [json.loads(line) for line in strict.read_text(encoding="utf-8").splitlines()]
    assert any(r["decision"] == "block" for r in full)
    for a, b in zip(full, shown, strict=True):
        assert a["decision"] == b["decision"] and a["results"][0]["id"] == b["results"][0]["id"]
    # the audit records of the --threshold run keep the full outcome
    records = [r for r in _screening_records(screening_home) if r["source"] == str(source)]
    strict_records = records[-len(queries) :]
    for a, record in zip(full, strict_records, strict=True):
        assert record["decision"] == a["decision"]
        assert [r["id"] for r in record["results"]] == [r["id"] for r in a["results"]]
