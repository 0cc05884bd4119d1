"""Escaped CSV cells read back exactly (the audit export verifies what it wrote), and a hostile
actor in the trail neither reaches a spreadsheet as a formula nor breaks the export's check."""

from __future__ import annotations

import csv
import io

import pytest

from proscribe import audit, csvsafe


@pytest.mark.parametrize(
    "value", ["=1+1", "'=1+1", "''@x", "+", "-2", "'plain", "plain", "", "\t=1", "\uff1dSUM(A1)"]
)
def test_escaped_cells_read_back_as_written(value):
    escaped = csvsafe.escape_cell(value)
    assert not str(escaped).startswith(csvsafe.FORMULA_STARTS)
    assert csvsafe.unescape_cell(escaped) == value


def test_audit_csv_export_with_a_hostile_actor_is_escaped_and_verifies(db, tmp_path):
    for actor in ('=HYPERLINK("http://evil.example")', "'=quoted", "@SUM(A1:A9)", "-1"):
        audit.append("test.event", actor, {"note": "+1"}, engine=db)
    path = tmp_path / "audit.csv"
    audit.export(path, fmt="csv", engine=db)
    cells = [cell for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    report = audit.verify_file(path, engine=db)
    assert report.ok, report
