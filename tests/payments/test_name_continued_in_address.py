"""A name cut short goes on in the first address line; a name that ends with its legal form is
complete, and its address is never read as more of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from proscribe.payments import parse_bytes, parse_file

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "tests" / "fixtures" / "payments" / "iso"
DEV_SET = REPO / "bench" / "data" / "payments_eval" / "messages"


def test_a_name_ending_with_its_legal_form_is_not_joined_to_its_address(screener):
    # 深圳市华南精密模具有限公司, address line 广东省深圳市南山区...: Nanshan is the district
    (payment,) = parse_file(DEV_SET / "pacs008_v11_clean_chinese.xml")
    creditor = next(p for p in payment.parties if p.role == "creditor")
    assert creditor.name.endswith("有限公司") and creditor.alternatives == []
    assert screener.decide(payment).decision == "pass"


def test_a_name_cut_inside_a_word_is_still_joined_to_its_first_address_line(screener):
    (payment,) = parse_file(SAMPLES / "pacs.008.001.10_listed_name_continued_in_address_line.xml")
    creditor = next(p for p in payment.parties if p.role == "creditor")
    assert creditor.alternatives
    assert screener.decide(payment).decision != "pass"


LEADING_LEGAL_FORMS = {
    "spelled out": "LIMITED LIABILITY COMPANY",
    "abbreviated": "LLC",
    "russian, latin letters": "OOO",
    "russian, cyrillic letters": "\u041e\u041e\u041e",
    "trailing punctuation": "LIMITED LIABILITY COMPANY,",
    "cyrillic look-alike letters": "LIMIT\u0415D LI\u0410BILITY COMP\u0410NY",
    "zero-width character inside": "LIMITED LIA\u200bBILITY COMPANY",
}


@pytest.mark.parametrize("legal_form", LEADING_LEGAL_FORMS.values(), ids=LEADING_LEGAL_FORMS.keys())
def test_a_name_cut_right_after_a_leading_legal_form_is_still_joined_to_its_address_line(
    screener, legal_form
):
    """A legal form alone ends with a legal form but is no name: the listed company it began
    goes on in the address line and must still be found, however the legal form is written."""
    data = (SAMPLES / "pacs.008.001.10_listed_name_continued_in_address_line.xml").read_bytes()
    name = f"<Nm>{legal_form}</Nm>".encode()
    data = data.replace(b"<Nm>INTEGRITY TECHNOLOGY GR</Nm>", name)
    creditor_at = data.index(name)
    start = data.index(b"<AdrLine>", creditor_at) + len(b"<AdrLine>")
    end = data.index(b"</AdrLine>", start)
    data = data[:start] + b"KRASNOYARSKAYA ENERGETICHESKAYA KOMPANIYA" + data[end:]
    (payment,) = parse_bytes(data, "cut.xml")
    creditor = next(p for p in payment.parties if p.role == "creditor")
    assert creditor.alternatives
    outcome = screener.decide(payment)
    assert outcome.decision != "pass"
    assert any("KRASNOYARSK" in (r.result or {}).get("caption", "").upper() for r in outcome.reasons)
