"""Every ISO 20022 message is checked against the official schema of its version at run time:
the package's copies are the tested ones, and a message that breaks its schema is held with the
schema's complaint while its content is still screened."""

from __future__ import annotations

from pathlib import Path

from proscribe.payments import parse_bytes
from proscribe.payments.iso_schemas import SCHEMA_DIR

TESTED = Path(__file__).resolve().parent / "xsd"
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "payments" / "iso"


def test_the_schemas_checked_at_run_time_are_the_tested_official_ones():
    shipped = {p.name: p.read_bytes() for p in SCHEMA_DIR.glob("*.xsd")}
    tested = {p.name: p.read_bytes() for p in TESTED.glob("*.xsd")}
    assert shipped == tested and len(shipped) >= 50


def test_a_header_date_that_breaks_the_schema_holds_an_otherwise_clean_message(screener):
    data = (SAMPLES / "pacs.008.001.12_clean.xml").read_bytes()
    (clean,) = parse_bytes(data, "clean.xml")
    assert screener.decide(clean).decision == "pass"
    start = data.index(b"<CreDtTm>") + len(b"<CreDtTm>")
    end = data.index(b"</CreDtTm>")
    (broken,) = parse_bytes(data[:start] + b"yesterday" + data[end:], "broken.xml")
    outcome = screener.decide(broken)
    assert outcome.decision == "hold"
    (reason,) = [r for r in outcome.reasons if r.kind == "parse_error"]
    assert "pacs.008.001.12 schema" in reason.detail and "CreDtTm" in reason.detail


def test_a_listed_party_in_a_message_that_breaks_its_schema_is_still_named(screener):
    data = (SAMPLES / "pacs.008.001.02_listed_creditor.xml").read_bytes()
    start = data.index(b"<CreDtTm>") + len(b"<CreDtTm>")
    end = data.index(b"</CreDtTm>")
    (broken,) = parse_bytes(data[:start] + b"yesterday" + data[end:], "broken.xml")
    outcome = screener.decide(broken)
    assert outcome.decision == "hold"
    assert any(r.kind == "party" and r.result for r in outcome.reasons)
