"""OFAC reports: US federal holidays, 10-business-day deadlines, content, JSON/CSV/PDF."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

from proscribe.payments import reports
from proscribe.payments.register import process


def test_federal_holidays_are_computed():
    assert list(reports.federal_holidays(2026)) == [
        date(2026, m, d)
        for m, d in (
            (1, 1),
            (1, 19),
            (2, 16),
            (5, 25),
            (6, 19),
            (7, 3),
            (9, 7),
            (10, 12),
            (11, 11),
            (11, 26),
            (12, 25),
        )
    ]
    assert date(2021, 12, 31) in reports.federal_holidays(2021)  # New Year 2022 fell on a Saturday
    assert date(2022, 12, 26) in reports.federal_holidays(2022)  # Christmas on a Sunday
    assert date(2020, 6, 19) not in reports.federal_holidays(2020)  # Juneteenth from 2021
    assert len(reports.federal_holidays(2031)) == 11


def test_ten_business_days():
    assert reports.report_due(date(2026, 9, 3)) == date(2026, 9, 18)  # Labor Day skipped
    assert reports.report_due(date(2026, 11, 20)) == date(2026, 12, 7)  # Thanksgiving skipped
    assert reports.report_due(date(2026, 12, 18)) == date(2027, 1, 5)  # Christmas and New Year skipped
    assert reports.annual_due(2026) == date(2026, 9, 30)


def _register(screener, parse_fixture, engine):
    (blocked,) = parse_fixture("pacs008_v08_itg.xml")
    (rejected,) = parse_fixture("pacs008_v10_yalta.xml")
    process(blocked, screener, engine=engine, today=date(2026, 6, 12))
    process(rejected, screener, engine=engine, today=date(2026, 9, 4))


def test_reports_content_and_formats(screener, parse_fixture, engine, proscribe_home):
    (proscribe_home / "reporter.json").write_text(
        json.dumps(
            {
                "name": "Example Bank, N.A.",
                "address": "1 Main St, Springfield",
                "contact_name": "A. Analyst",
                "contact_phone": "+1 555 0100",
                "contact_email": "ofac@example.test",
            }
        )
    )
    _register(screener, parse_fixture, engine)
    (row,) = reports.blocked_rows(engine)
    report = reports.blocked_report(row)
    assert (
        report["holder"]["name"] == "Example Bank, N.A." and report["contact"]["email"] == "ofac@example.test"
    )
    assert report["blocked_persons"][0]["name"] == "INTEGRITY TECHNOLOGY GROUP, INCORPORATED"
    assert report["legal_authority"] == ["CYBER2"] and report["date_blocked"] == "2026-06-12"
    assert report["property"]["amount"] == "48250.00" and report["property"]["value_usd"] == "48250.00"
    assert report["blocked_account"]["interest_bearing"] is True and report["due"] == "2026-06-29"
    assert report["transaction"]["beneficiary"][0].startswith("INTEGRITY TECHNOLOGY GROUP")
    assert report["transaction"]["originator_bank"] and "<Document" in report["payment_instructions"]
    (rrow,) = reports.rejected_rows(engine)
    rejected = reports.rejected_report(rrow)
    assert rejected["date_rejected"] == "2026-09-04" and rejected["due"] == "2026-09-21"
    assert "CRIMEA" in rejected["reason_for_rejection"] and rejected["legal_authority"] == ["UKRAINE-EO13685"]
    table = list(csv.DictReader(io.StringIO(reports.to_csv([report]))))
    assert table[0]["blocked_account.interest_bearing"] == "True"
    document = reports.to_pdf("Reports", [report, rejected])
    assert document.startswith(b"%PDF-1.4") and document.rstrip().endswith(b"%%EOF")
    start = int(re.search(rb"startxref\n(\d+)", document).group(1))
    assert document[start : start + 4] == b"xref"
    assert b"INTEGRITY TECHNOLOGY GROUP" in document


def test_annual_report_and_due_list(screener, parse_fixture, engine):
    _register(screener, parse_fixture, engine)
    annual = reports.annual_report(2026, engine)
    assert annual["as_of"] == "2026-06-30" and annual["due"] == "2026-09-30" and len(annual["holdings"]) == 1
    assert reports.annual_report(2025, engine)["required"] is False
    items = reports.due(date(2026, 9, 10), engine)
    assert [(i["report"], i["due"], i["overdue"]) for i in items] == [
        ("blocked", "2026-06-29", True),
        ("rejected", "2026-09-21", False),
        ("annual", "2026-09-30", False),
    ]
    assert reports.mark_filed("blocked", "NWBKGB2L-20260903-000417", date(2026, 6, 20), engine) == 1
    assert [i["report"] for i in reports.due(date(2026, 9, 10), engine)] == ["rejected", "annual"]
    assert reports.to_pdf_annual(annual).startswith(b"%PDF")
    assert reports.mark_unblocked("NWBKGB2L-20260903-000417", date(2026, 6, 20), engine) == 1
    assert reports.annual_report(2026, engine)["required"] is False
    assert reports.annual_report(2026, engine)["holdings"] == []
