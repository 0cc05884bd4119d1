"""ISO 20022 families and versions: pacs.008.001.02-13, pacs.009 (core and COV) 02-12, pacs.004
returns, pain.001.001.03-12, camt.056 recalls, each read through its declared path map.

Every sample under tests/fixtures/payments/iso/ is valid against the official schema of its
version (tests/payments/xsd/, SOURCE.md names the copy); the declared maps are checked against
those schemas; every sample is parsed and decided on the bundled lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from proscribe.payments import iso20022, iso_map, iso_structure, parse_bytes, parse_file

HERE = Path(__file__).resolve().parent
XSD_DIR = HERE / "xsd"
SAMPLES = HERE.parent / "fixtures" / "payments" / "iso"
XS = "{http://www.w3.org/2001/XMLSchema}"
SAFE = dict(resolve_entities=False, no_network=True, load_dtd=False)
SAMPLE_FILES = sorted(SAMPLES.glob("*.xml"))
XSD_FILES = sorted(XSD_DIR.glob("*.xsd"))
_NAME = re.compile(r"([a-z]{4}\.\d{3}\.\d{3})\.(\d{2})_(.+)\.xml")


def _version_of(path: Path) -> tuple[str, int, str]:
    family, version, label = _NAME.fullmatch(path.name).groups()
    return family, int(version), label


def _schema_doc(family: str, version: int):
    return etree.parse(str(XSD_DIR / f"{family}.{version:02d}.xsd"), etree.XMLParser(**SAFE))


# -- the schemas -------------------------------------------------------------------------------------


class _Schema:
    """Element paths of a schema from its message element down, each party, agent and party
    choice classified by its content (as the declared maps name them)."""

    def __init__(self, doc):
        self.types = {t.get("name"): t for t in doc.getroot() if t.tag in (XS + "complexType", XS + "simpleType")}
        document = self.types["Document"]
        first = next(document.iter(XS + "element"))
        self.root, self.root_type = first.get("name"), first.get("type")

    def children(self, name):
        t = self.types.get(name)
        if t is None or t.tag != XS + "complexType":
            return []
        return [(e.get("name"), e.get("type"), e.get("maxOccurs", "1")) for e in t.iter(XS + "element")]

    def kind(self, name) -> str | None:
        names = {n for n, _, _ in self.children(name)}
        if "FinInstnId" in names:
            return "agent"
        if {"Pty", "Agt"} <= names:
            return "choice"
        if {"Nm", "CtryOfRes"} <= names and ("Id" in names or "PstlAdr" in names):
            return "party"
        return None

    def slots(self, name=None, prefix="", seen=()):
        """(path, kind, account path or None) of every party, agent and choice."""
        kids = self.children(name or self.root_type)
        names = {n for n, _, _ in kids}
        for child, typ, _max in kids:
            path = f"{prefix}/{child}" if prefix else child
            kind = self.kind(typ)
            if kind:
                if kind == "agent" and child in {"Dbtr", "Cdtr", "UltmtDbtr", "UltmtCdtr"}:
                    kind = "fi_party"
                account = f"{prefix}/{child}Acct" if prefix else f"{child}Acct"
                yield path, kind, account if f"{child}Acct" in names else None
            elif child != "SplmtryData" and typ not in seen and len(seen) < 10:
                yield from self.slots(typ, path, (*seen, typ))

    def paths(self, name=None, prefix="", seen=()):
        for child, typ, _max in self.children(name or self.root_type):
            path = f"{prefix}/{child}" if prefix else child
            yield path
            if child != "SplmtryData" and typ not in seen and len(seen) < 10:
                yield from self.paths(typ, path, (*seen, typ))


def _declared():
    for family in iso_map.families().values():
        for version in sorted(family.versions):
            yield family.family, version


def test_every_shipped_schema_is_named_in_source_md_and_is_the_schema_of_its_version():
    source = (XSD_DIR / "SOURCE.md").read_text()
    assert len(XSD_FILES) >= 50
    for path in XSD_FILES:
        assert path.name in source, path.name
        target = _schema_doc(*_split(path.stem)).getroot().get("targetNamespace")
        assert target == f"urn:iso:std:iso:20022:tech:xsd:{path.stem}"


def _split(stem: str) -> tuple[str, int]:
    family, version = stem.rsplit(".", 1)
    return family, int(version)


def test_every_declared_version_has_its_official_schema_and_a_sample():
    samples = {_version_of(p)[:2] for p in SAMPLE_FILES}
    for family, version in _declared():
        assert (XSD_DIR / f"{family}.{version:02d}.xsd").exists(), (family, version)
        assert (family, version) in samples, (family, version)
    assert len(SAMPLE_FILES) == sum(1 for _ in _declared())


@pytest.mark.parametrize(("family", "version"), list(_declared()), ids=lambda v: str(v))
def test_declared_map_holds_exactly_the_parties_and_agents_of_the_official_schema(family, version):
    schema = _Schema(_schema_doc(family, version))
    vm = iso_map.families()[family].version(version)
    assert vm.root == schema.root
    declared = {(s.path, s.kind, s.account) for s in vm.slots}
    assert declared == set(schema.slots())
    paths = set(schema.paths())
    for path in [*vm.texts, *vm.required, vm.transaction, vm.message_id]:
        assert path in paths, path
    if vm.block:
        assert vm.block in paths


def test_elements_checked_as_singletons_are_allowed_once_in_every_schema():
    repeatable: dict[str, str] = {}
    for path in XSD_FILES:
        for element in _schema_doc(*_split(path.stem)).iter(XS + "element"):
            if element.get("maxOccurs", "1") != "1":
                repeatable.setdefault(element.get("name"), path.stem)
    # Id repeats only inside a garnishment's or a tax record's document list, never in a party
    wrong = {name: where for name, where in repeatable.items() if name in iso_structure.SINGLETONS}
    assert set(wrong) <= {"Id"}, wrong


# -- the samples -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_is_valid_against_the_official_schema_of_its_version(path):
    family, version, _label = _version_of(path)
    schema = etree.XMLSchema(_schema_doc(family, version))
    assert schema.validate(etree.parse(str(path), etree.XMLParser(**SAFE))), schema.error_log


def _resolve(root, field: str):
    """The element a payment field names (``CdtTrfTxInf/Cdtr``, ``RmtInf/Strd[2]/Invcr``)."""
    node = root
    for step in field.split("/"):
        tag, _, number = step.partition("[")
        found = [c for c in node if isinstance(c.tag, str) and etree.QName(c).localname == tag]
        node = found[int(number.rstrip("]") or 1) - 1]
    return node


def _text(node, tag: str) -> str | None:
    found = [c for c in node.iter() if isinstance(c.tag, str) and etree.QName(c).localname == tag]
    return found[0].text if found else None


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_parses_into_the_parties_agents_and_free_text_it_holds(path):
    family, version, _label = _version_of(path)
    payments = parse_file(path)
    assert len(payments) == 1
    (payment,) = payments
    assert payment.errors == [] and payment.format == f"{family}.{version:02d}"
    root = etree.parse(str(path), etree.XMLParser(**SAFE)).getroot()
    body = root[0]
    # every name and BIC of the message was read by the map, none left over for a stray scan
    holders = [*payment.parties, *payment.agents]
    assert all(h.role not in {"other_name", "other_agent"} for h in holders)
    names = {n.text for n in body.iter("{*}Nm")}
    bics = {n.text for n in body.iter("{*}BICFI", "{*}BIC", "{*}AnyBIC", "{*}BICOrBEI")}
    assert names == {h.name for h in holders if h.name}
    assert bics == {h.bic for h in holders if h.bic}
    # each holder's field names the element it was read from
    for holder in holders:
        element = _resolve(body, holder.field)
        if holder.name:
            assert _text(element, "Nm") == holder.name, holder.field
        if holder.bic:
            assert holder.bic in {_text(element, t) for t in ("BICFI", "BIC", "AnyBIC", "BICOrBEI")}
    texts = [(t.field, t.text) for t in payment.free_text]
    for node in body.iter("{*}Ustrd", "{*}AddtlInf"):
        assert node.text in {text for _field, text in texts}
    for field, text in texts:
        element = _resolve(body, field)
        assert element.text == text or text in {c.text for c in element.getparent()}, field


def test_repeated_remittance_elements_are_numbered_pieces_of_one_field():
    (payment,) = parse_file(SAMPLES / "pacs.008.001.12_clean.xml")
    pieces = [t for t in payment.free_text if t.field == "CdtTrfTxInf/RmtInf/Ustrd"]
    assert [t.text for t in pieces] == ["Order 77120 part 1 of 2", "Order 77120 part 2 of 2"]
    assert [t.line for t in pieces] == [1, 2]
    (other,) = parse_file(SAMPLES / "pacs.009.001.11_core_listed_intermediary_agent.xml")
    (single,) = [t for t in other.free_text if t.field == "CdtTrfTxInf/RmtInf/Ustrd"]
    assert single.line == 0  # one element is the whole field


def test_cov_underlying_transfer_parties_are_read_under_their_own_path():
    (payment,) = parse_file(SAMPLES / "pacs.009.001.08_cov_listed_underlying_ultimate_creditor.xml")
    fields = {(p.role, p.field) for p in payment.parties}
    assert ("debtor", "CdtTrfTxInf/Dbtr") in fields and ("creditor", "CdtTrfTxInf/Cdtr") in fields
    assert ("ultimate_creditor", "CdtTrfTxInf/UndrlygCstmrCdtTrf/UltmtCdtr") in fields
    institution = next(p for p in payment.parties if p.field == "CdtTrfTxInf/Cdtr")
    assert institution.bic == "BNPAFRPP" and institution.person is False
    assert "CdtTrfTxInf/UndrlygCstmrCdtTrf/CdtrAgt" in {a.field for a in payment.agents}


def test_return_and_recall_read_the_original_transaction_and_the_return_chain():
    (ret,) = parse_file(SAMPLES / "pacs.004.001.13_listed_return_chain_creditor_person.xml")
    assert ret.end_to_end_id == "E2E-004-13" and ret.instruction_id == "RTR-004-13"
    assert {p.field for p in ret.parties} >= {
        "TxInf/OrgnlTxRef/Dbtr/Pty",
        "TxInf/OrgnlTxRef/Cdtr/Pty",
        "TxInf/RtrChain/Cdtr/Pty",
    }
    (recall,) = parse_file(SAMPLES / "camt.056.001.07_listed_assigner.xml")
    assert recall.message_id == "ASSGN-056-07" and recall.instruction_id == "CXL-056-07"
    assert recall.end_to_end_id == "E2E-056-07" and recall.uetr is None  # OrgnlUETR comes in 08
    assert {p.field: p.bic for p in recall.parties}["Assgnmt/Assgnr/Agt"] == "SINAIRTH"
    assert "Undrlyg/TxInf/OrgnlTxRef/Cdtr/Pty" in {p.field for p in recall.parties}
    (later,) = parse_file(SAMPLES / "camt.056.001.09_listed_original_creditor.xml")
    assert later.uetr == "3a9b7c6d-2e1f-4a5b-9c8d-000000000009"


def test_a_name_continued_in_the_first_address_line_is_screened_joined():
    (payment,) = parse_file(SAMPLES / "pacs.008.001.10_listed_name_continued_in_address_line.xml")
    creditor = next(p for p in payment.parties if p.role == "creditor")
    assert creditor.alternatives == [
        "INTEGRITY TECHNOLOGY GROUP, INCORPORATED",
        "INTEGRITY TECHNOLOGY GR OUP, INCORPORATED",
    ]


# -- decisions ---------------------------------------------------------------------------------------

#: The field of the reason that blocks each sample naming a listed party.
BLOCKED_AT = {
    "pacs.008.001.02_listed_creditor.xml": "CdtTrfTxInf/Cdtr/Nm",
    "pacs.008.001.04_listed_debtor.xml": "CdtTrfTxInf/Dbtr/Nm",
    "pacs.008.001.05_listed_ultimate_creditor.xml": "CdtTrfTxInf/UltmtCdtr/Nm",
    "pacs.008.001.07_listed_intermediary_agent.xml": "CdtTrfTxInf/IntrmyAgt1",
    "pacs.008.001.08_listed_ultimate_debtor_person.xml": "CdtTrfTxInf/UltmtDbtr/Nm",
    "pacs.008.001.10_listed_name_continued_in_address_line.xml": "CdtTrfTxInf/Cdtr/Nm",
    "pacs.008.001.11_listed_initiating_party.xml": "CdtTrfTxInf/InitgPty/Nm",
    "pacs.008.001.13_listed_creditor_agent.xml": "CdtTrfTxInf/CdtrAgt",
    "pacs.009.001.03_cov_listed_underlying_creditor.xml": "CdtTrfTxInf/UndrlygCstmrCdtTrf/Cdtr/Nm",
    "pacs.009.001.04_core_listed_creditor_institution.xml": "CdtTrfTxInf/Cdtr",
    "pacs.009.001.06_cov_listed_underlying_debtor.xml": "CdtTrfTxInf/UndrlygCstmrCdtTrf/Dbtr/Nm",
    "pacs.009.001.08_cov_listed_underlying_ultimate_creditor.xml": "CdtTrfTxInf/UndrlygCstmrCdtTrf/UltmtCdtr/Nm",
    "pacs.009.001.10_cov_listed_underlying_ultimate_debtor.xml": "CdtTrfTxInf/UndrlygCstmrCdtTrf/UltmtDbtr/Nm",
    "pacs.009.001.11_core_listed_intermediary_agent.xml": "CdtTrfTxInf/IntrmyAgt1",
    "pacs.009.001.12_cov_listed_underlying_initiating_party.xml": "CdtTrfTxInf/UndrlygCstmrCdtTrf/InitgPty/Nm",
    "pacs.004.001.02_listed_original_creditor.xml": "TxInf/OrgnlTxRef/Cdtr/Nm",
    "pacs.004.001.04_listed_original_debtor.xml": "TxInf/OrgnlTxRef/Dbtr/Nm",
    "pacs.004.001.06_listed_original_ultimate_creditor.xml": "TxInf/OrgnlTxRef/UltmtCdtr/Nm",
    "pacs.004.001.09_listed_return_chain_creditor.xml": "TxInf/RtrChain/Cdtr/Pty/Nm",
    "pacs.004.001.11_listed_original_creditor.xml": "TxInf/OrgnlTxRef/Cdtr/Pty/Nm",
    "pacs.004.001.13_listed_return_chain_creditor_person.xml": "TxInf/RtrChain/Cdtr/Pty/Nm",
    "pain.001.001.03_listed_creditor.xml": "PmtInf/CdtTrfTxInf/Cdtr/Nm",
    "pain.001.001.05_listed_ultimate_creditor.xml": "PmtInf/CdtTrfTxInf/UltmtCdtr/Nm",
    "pain.001.001.07_listed_initiating_party.xml": "GrpHdr/InitgPty/Nm",
    "pain.001.001.09_listed_debtor.xml": "PmtInf/Dbtr/Nm",
    "pain.001.001.10_listed_creditor_agent.xml": "PmtInf/CdtTrfTxInf/CdtrAgt",
    "pain.001.001.11_listed_ultimate_debtor_person.xml": "PmtInf/CdtTrfTxInf/UltmtDbtr/Nm",
    "camt.056.001.01_listed_original_creditor.xml": "Undrlyg/TxInf/OrgnlTxRef/Cdtr/Nm",
    "camt.056.001.03_listed_original_debtor.xml": "Undrlyg/TxInf/OrgnlTxRef/Dbtr/Nm",
    "camt.056.001.05_listed_case_creator.xml": "Case/Cretr/Pty/Nm",
    "camt.056.001.07_listed_assigner.xml": "Assgnmt/Assgnr/Agt",
    "camt.056.001.09_listed_original_creditor.xml": "Undrlyg/TxInf/OrgnlTxRef/Cdtr/Pty/Nm",
    "camt.056.001.10_listed_original_creditor_person.xml": "Undrlyg/TxInf/OrgnlTxRef/Cdtr/Pty/Nm",
}


def test_every_listed_sample_has_its_expected_block_and_every_other_sample_is_clean():
    listed = {p.name for p in SAMPLE_FILES if "_listed_" in p.name}
    assert listed == set(BLOCKED_AT)
    assert all("_clean" in p.name for p in SAMPLE_FILES if p.name not in listed)


@pytest.mark.parametrize("name", sorted(BLOCKED_AT))
def test_a_listed_party_in_any_role_of_any_version_blocks_the_payment(screener, name):
    (payment,) = parse_file(SAMPLES / name)
    outcome = screener.decide(payment)
    assert outcome.decision == "block", [r.detail for r in outcome.reasons]
    blocking = {r.field for r in outcome.reasons if r.action == "block"}
    assert BLOCKED_AT[name] in blocking, blocking


@pytest.mark.parametrize("path", [p for p in SAMPLE_FILES if p.name not in BLOCKED_AT], ids=lambda p: p.name)
def test_a_clean_payment_of_any_version_passes(screener, path):
    (payment,) = parse_file(path)
    outcome = screener.decide(payment)
    assert outcome.decision == "pass", [r.detail for r in outcome.reasons]


# -- what cannot be read -----------------------------------------------------------------------------


def _listed_creditor_reason(outcome):
    return [
        r
        for r in outcome.reasons
        if r.result and "INTEGRITY TECHNOLOGY" in r.result.get("caption", "").upper() and r.kind != "parse_error"
    ]


@pytest.mark.parametrize(
    "cut",
    [
        lambda d: d[: d.index(b"</Nm>", d.index(b"INTEGRITY")) + 5],  # truncated after the name
        lambda d: d.replace(b"<Ustrd>", b"<Ustrd>R&D ", 1),  # a bare ampersand
        lambda d: d.replace(b"</Cdtr>", b"</Cdtr", 1),  # an end tag cut
        lambda d: d.replace(b"<?xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><?x', 1),
    ],
    ids=["truncated", "bare-ampersand", "broken-end-tag", "doctype"],
)
def test_an_unparseable_message_is_held_and_still_names_the_listed_party_it_holds(screener, cut):
    data = cut((SAMPLES / "pacs.008.001.02_listed_creditor.xml").read_bytes())
    payments = parse_bytes(data, "broken.xml")
    assert payments
    for payment in payments:
        outcome = screener.decide(payment)
        assert outcome.decision == "hold"
        assert any(r.kind == "parse_error" and r.field in {"Document", "DOCTYPE"} for r in outcome.reasons)
    assert any(_listed_creditor_reason(screener.decide(p)) for p in payments)


def test_a_truncated_message_salvages_bics_and_free_text_too(screener):
    data = (SAMPLES / "pacs.009.001.11_core_listed_intermediary_agent.xml").read_bytes()
    broken = data[: data.index(b"</Ustrd>") - 3]  # cut inside the remittance line, mid-word
    payments = parse_bytes(broken, "cut.xml")
    assert payments and all(p.errors and p.errors[0].field == "Document" for p in payments)
    agents = {(a.field, a.bic) for p in payments for a in p.agents}
    assert ("CdtTrfTxInf/IntrmyAgt1", "SINAIRTH") in agents
    texts = {(t.field, t.text) for p in payments for t in p.free_text}
    assert ("CdtTrfTxInf/InstrForNxtAgt/InstrInf", "/FIN/TREASURY SAME DAY") in texts
    assert ("CdtTrfTxInf/RmtInf/Ustrd", "Treasury settlement TX-911 value date 14 Septem") in texts
    for payment in payments:
        outcome = screener.decide(payment)
        assert outcome.decision == "hold"
        named = {r.field for r in outcome.reasons if r.result and r.result.get("caption") == "SINA BANK"}
        assert "CdtTrfTxInf/IntrmyAgt1" in named, [r.detail for r in outcome.reasons]


def test_scan_raw_follows_paths_through_broken_markup():
    text = '<Document xmlns="urn:x"><FIToFICstmrCdtTrf><CdtTrfTxInf><Cdtr><Nm>A &amp; B Ltd</Nm><Dbtr><Nm>Trunc'
    assert iso20022.scan_raw(text) == [
        ("CdtTrfTxInf/Cdtr/Nm", "name", "A & B Ltd"),
        ("CdtTrfTxInf/Cdtr/Dbtr/Nm", "name", "Trunc"),
    ]


@pytest.mark.parametrize("namespace", ["pacs.008.001.01", "pacs.009.001.01", "pacs.004.001.01"])
def test_a_version_outside_the_maps_is_held_and_its_listed_party_still_named(screener, namespace):
    data = (SAMPLES / "pacs.008.001.02_listed_creditor.xml").read_bytes().replace(b"pacs.008.001.02", namespace.encode())
    (payment,) = parse_bytes(data, "x.xml")
    assert payment.errors[0].field == "Document" and "not a supported version" in payment.errors[0].detail
    outcome = screener.decide(payment)
    assert outcome.decision == "hold" and _listed_creditor_reason(outcome)


def test_a_document_with_another_familys_message_element_is_refused_at_document():
    data = (SAMPLES / "pacs.008.001.09_clean_person.xml").read_bytes().replace(b"pacs.008.001.09", b"pacs.009.001.09")
    (payment,) = parse_bytes(data, "x.xml")
    assert payment.errors[0].field == "Document" and "FIToFICstmrCdtTrf" in payment.errors[0].detail


def test_schema_checks_hold_across_versions():
    data = (SAMPLES / "pacs.004.001.03_clean.xml").read_bytes()
    long_name = data.replace(b"<Nm>Ateliers Mecaniques du Rhone SAS</Nm>", b"<Nm>" + b"R" * 141 + b"</Nm>")
    (payment,) = parse_bytes(long_name, "x.xml")
    assert "TxInf/OrgnlTxRef/Cdtr/Nm" in {e.field for e in payment.errors}
    twice = data.replace(b"</Cdtr>", b"</Cdtr><Cdtr><Nm>Second Creditor Ltd</Nm></Cdtr>", 1)
    (payment,) = parse_bytes(twice, "x.xml")
    assert "TxInf/OrgnlTxRef/Cdtr" in {e.field for e in payment.errors}
    assert "Second Creditor Ltd" in {p.name for p in payment.parties}
    stray = data.replace(b"<AddtlInf>Account closed</AddtlInf>", b"<AddtlInf>Account closed</AddtlInf><Nm>Stray</Nm>")
    (payment,) = parse_bytes(stray, "x.xml")
    assert ("other_name", "Stray") in {(p.role, p.name) for p in payment.parties}
