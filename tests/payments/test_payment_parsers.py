"""Parsers: ISO 20022 pacs.008 (08-12) and pain.001, MT103 blocks 1-5, the JSON form."""

from __future__ import annotations

from decimal import Decimal

import pytest

from proscribe.payments import iso20022, json_form, mt103, parse_bytes


def _roles(payment):
    return {p.role: p for p in payment.parties}, {a.field: a for a in payment.agents}


def test_pacs008_v08_every_party_and_agent(parse_fixture):
    (payment,) = parse_fixture("pacs008_v08_itg.xml")
    assert payment.errors == []
    assert payment.format == "pacs.008.001.08"
    assert payment.message_id == "NWBKGB2L-20260903-000417"
    assert payment.end_to_end_id == "INV-2026-118-ITG"
    assert payment.uetr == "7b1c5a2e-9d34-4f6a-8c1e-2f0d9b7a6e51"
    assert payment.amount == Decimal("48250.00") and payment.currency == "USD"
    assert payment.value_date == "2026-09-03"
    parties, agents = _roles(payment)
    assert set(parties) == {"debtor", "creditor", "ultimate_debtor", "ultimate_creditor", "initiating_party"}
    creditor = parties["creditor"]
    assert creditor.name == "INTEGRITY TECHNOLOGY GROUP, INCORPORATED"
    assert creditor.field == "CdtTrfTxInf/Cdtr"
    assert (
        creditor.address.street,
        creditor.address.building,
        creditor.address.town,
        creditor.address.district,
        creditor.address.country,
    ) == ("Xingshikou Road", "7", "Beijing", "Haidian District", "CN")
    assert creditor.account == "340862715900"
    assert parties["debtor"].account == "GB29NWBK60161331926819"
    assert parties["debtor"].identifiers == [("COID", "08812345")]
    assert parties["initiating_party"].lei == "5493001KJTIIGC8Y1R12"
    assert agents["CdtTrfTxInf/CdtrAgt"].bic == "BKCHCNBJ110"
    assert agents["CdtTrfTxInf/CdtrAgt"].name == "Bank of China Beijing Branch"
    assert agents["CdtTrfTxInf/DbtrAgt"].bic == "NWBKGB2L"
    assert agents["CdtTrfTxInf/IntrmyAgt1"].bic == "CHASUS33"
    assert agents["CdtTrfTxInf/InstgAgt"].role == "instructing_agent"
    texts = {t.field: t.text for t in payment.free_text}
    assert texts["CdtTrfTxInf/RmtInf/Ustrd"].startswith("Invoice ITG-2026-118")
    assert texts["CdtTrfTxInf/InstrForNxtAgt/InstrInf"] == "/ACC/CREDIT BENEFICIARY SAME DAY"


def test_pacs008_v12_address_forms_private_id_and_structured_remittance(parse_fixture):
    (payment,) = parse_fixture("pacs008_v12_clean.xml")
    assert payment.errors == []
    parties, agents = _roles(payment)
    debtor = parties["debtor"].address
    assert (
        debtor.street,
        debtor.building,
        debtor.postcode,
        debtor.town,
        debtor.subdivision,
        debtor.country,
    ) == ("Industriestrasse", "12", "70565", "Stuttgart", "Baden-Wuerttemberg", "DE")
    assert debtor.lines == ["Kreditorenbuchhaltung"]
    assert parties["debtor"].country == "DE" and parties["debtor"].lei == "529900T8BM49AURSDO55"
    assert parties["ultimate_debtor"].address.lines == ["Industriestrasse 12", "70565 Stuttgart", "Germany"]
    person = parties["ultimate_creditor"]
    assert (
        person.person is True and person.birth_date == "1971-04-18" and person.birth_place == "Grenoble, FR"
    )
    assert parties["invoicer"].name == "Ateliers Mecaniques du Rhone SAS"
    second = agents["CdtTrfTxInf/IntrmyAgt2"]
    assert second.bic is None and second.clearing_id == "30004" and second.name == "BNP Paribas Lyon"
    assert second.address.town == "Lyon"
    assert agents["CdtTrfTxInf/PrvsInstgAgt1"].bic == "COBADEFF"
    fields = {t.field for t in payment.free_text}
    assert {
        "CdtTrfTxInf/InstrForCdtrAgt/InstrInf",
        "CdtTrfTxInf/InstrForNxtAgt/InstrInf",
        "CdtTrfTxInf/RmtInf/Ustrd",
        "CdtTrfTxInf/RmtInf/Strd/AddtlRmtInf",
        "CdtTrfTxInf/RmtInf/Strd/CdtrRefInf/Ref",
    } <= fields


@pytest.mark.parametrize("version", ["08", "09", "10", "11", "12"])
def test_pacs008_versions_08_to_12(fixture_path, version):
    data = (
        fixture_path("pacs008_v12_clean.xml")
        .read_bytes()
        .replace(b"pacs.008.001.12", f"pacs.008.001.{version}".encode())
    )
    (payment,) = parse_bytes(data, "x.xml")
    assert payment.errors == [] and payment.format == f"pacs.008.001.{version}"
    assert len(payment.parties) == 6 and len(payment.agents) == 7


@pytest.mark.parametrize(
    "namespace",
    ["pacs.008.001.01", "pacs.008.001.14", "pacs.004.001.08", "pain.001.001.02", "camt.053.001.08"],
)
def test_unsupported_namespaces_are_held(fixture_path, namespace):
    data = fixture_path("pacs008_v12_clean.xml").read_bytes().replace(b"pacs.008.001.12", namespace.encode())
    (payment,) = parse_bytes(data, "x.xml")
    assert payment.errors and payment.errors[0].field == "Document"
    assert namespace[:8] in payment.errors[0].detail and "supported" in payment.errors[0].detail


def test_namespace_is_honoured(fixture_path):
    """Elements outside the document's namespace are not read as if they were in it."""
    data = fixture_path("pacs008_v12_clean.xml").read_bytes()
    no_ns = data.replace(b' xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.12"', b"")
    (payment,) = parse_bytes(no_ns, "x.xml")
    assert payment.errors[0].field == "Document" and "namespace" in payment.errors[0].detail
    mixed = data.replace(b"<FIToFICstmrCdtTrf>", b'<FIToFICstmrCdtTrf xmlns="urn:example:other">')
    (payment,) = parse_bytes(mixed, "x.xml")
    assert payment.errors and payment.errors[0].field == "FIToFICstmrCdtTrf"


def test_pain001_v03_two_transactions_and_v09(parse_fixture):
    first, second = parse_fixture("pain001_v03_batch.xml")
    assert first.errors == [] and second.errors == []
    assert (first.message_id, second.message_id) == ("PAYROLL-2026-09/1", "PAYROLL-2026-09/2")
    assert first.value_date == "2026-09-30" and second.amount == Decimal("2980.10")
    parties, agents = _roles(second)
    assert parties["initiating_party"].bic == "NOLOGB21"
    assert parties["debtor"].address.lines == ["Hafenstrasse 3", "20457 Hamburg"]
    assert parties["ultimate_debtor"].name == "Nordlicht Gruppe"
    assert (
        agents["PmtInf/DbtrAgt"].bic == "HASPDEHH" and agents["PmtInf/CdtTrfTxInf/CdtrAgt"].bic == "COBADEFF"
    )
    (payment,) = parse_fixture("pain001_v09_sis.xml")
    assert payment.errors == [] and payment.format == "pain.001.001.09"
    parties, agents = _roles(payment)
    assert parties["creditor"].name == "sis d.o.o." and agents["PmtInf/CdtTrfTxInf/CdtrAgt"].bic == "RZBABA2S"


def test_mt103_all_fields(parse_fixture):
    (payment,) = parse_fixture("mt103_clean.fin")
    assert payment.errors == []
    assert payment.format == "MT103" and payment.message_id == "BRC2026090377310"
    assert (
        payment.amount == Decimal("25000.00")
        and payment.currency == "USD"
        and payment.value_date == "2026-09-03"
    )
    assert payment.uetr == "4f3c2a1b-8d7e-4a6b-9c5d-1e2f3a4b5c6d"
    parties, agents = _roles(payment)
    debtor, creditor = parties["debtor"], parties["creditor"]
    assert (debtor.field, debtor.account, debtor.name) == (
        "50K",
        "GB33BUKB20201555555555",
        "HARTLEY AND SONS LIMITED",
    )
    assert debtor.address.lines == ["12 KINGSWAY", "LONDON WC2B 6NH", "GB"]
    assert (creditor.field, creditor.name) == ("59", "PACIFIC COAST TIMBER INC")
    assert {f: a.bic for f, a in agents.items()} == {
        "1": "BARCGB22",
        "2": "IRVTUS3N",
        "52A": "BARCGB22",
        "53A": "BARCUS33",
        "56A": "IRVTUS3N",
        "57A": "CITIUS33",
    }
    assert {t.field: t.text for t in payment.free_text} == {
        "70": "INVOICE PCT-2026-4471 CEDAR LUMBER",
        "72": "/ACC/PLEASE CREDIT SAME DAY",
    }


def test_mt103_option_f_and_d(parse_fixture):
    (payment,) = parse_fixture("mt103_50f_sevastopol.fin")
    assert payment.errors == []
    parties, agents = _roles(payment)
    debtor, creditor = parties["debtor"], parties["creditor"]
    assert (
        debtor.name == "PETROVA ANNA SERGEEVNA"
        and debtor.address.country == "AT"
        and debtor.address.town == "WIEN"
    )
    assert debtor.identifiers == [("national id", "AT/P1234567")]
    assert (
        creditor.field == "59F"
        and creditor.address.town == "SEVASTOPOL 299011"
        and creditor.address.country == "RU"
    )
    assert agents["52D"].name == "RAIFFEISEN BANK INTERNATIONAL AG" and agents["52D"].address.lines == [
        "AM STADTPARK 9",
        "1030 WIEN",
    ]
    assert agents["57D"].name == "BANK RNKB" and agents["57D"].address.lines == ["SIMFEROPOL"]


def _mt(*fields, header="{1:F01BARCGB22AXXX0417123456}{2:I103IRVTUS3NXXXXN}", end="-}"):
    return ("\r\n".join([header + "{4:", *fields, end])).encode()


BASE = (":20:REF1", ":23B:CRED", ":32A:260903USD100,00", ":50K:ALPHA LTD", ":59:BETA LTD", ":71A:SHA")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ((":20:REF1", ":20:/REF1"), "20"),
        ((":23B:CRED", ":23B:CASH"), "23B"),
        ((":32A:260903USD100,00", ":32A:260903USD100.00"), "32A"),
        ((":32A:260903USD100,00", ":32A:261303USD100,00"), "32A"),
        ((":32A:260903USD100,00", ":32A:260903USD1O0,00"), "32A"),
        ((":50K:ALPHA LTD", ":50K:" + "A" * 36), "50K"),
        ((":59:BETA LTD", ":59A:CITIUS3"), "59A"),
        ((":59:BETA LTD", ":59:BETA LTD\r\n:57A:citius33"), "57A"),
        ((":71A:SHA", ":71A:ALL"), "71A"),
        ((":59:BETA LTD", ":59:BETA £ LTD"), "59"),
        ((":59:BETA LTD", ":59:BETA LTD\r\n:59:GAMMA LTD"), "59"),
        ((":59:BETA LTD", ":59:BETA LTD\r\n:70:" + "\r\n".join(["LINE"] * 5)), "70"),
    ],
)
def test_mt103_field_errors_name_the_field(change, field):
    old, new = change
    fields = [new if f == old else f for f in BASE]
    (payment,) = mt103.parse(_mt(*fields))
    assert field in {e.field for e in payment.errors}, payment.errors


def test_mt103_broken_envelopes():
    (payment,) = mt103.parse(_mt(*BASE, end=""))
    assert {e.field for e in payment.errors} >= {"4"}
    (payment,) = mt103.parse(_mt(*BASE, header="{1:F01BARCGB22AXXX0417123456}{2:I202IRVTUS3NXXXXN}"))
    assert payment.errors[0].field == "2" and "MT202" in payment.errors[0].detail
    (payment,) = mt103.parse(_mt(*BASE, header="{1:F01BARCGB2AXXX0417123456}{2:I103IRVTUS3NXXXXN}"))
    assert payment.errors[0].field == "1"
    (payment,) = mt103.parse(_mt(*BASE) + b"{5:{CHK:XYZ}}")
    assert "5/CHK" in {e.field for e in payment.errors}
    assert mt103.parse(_mt(*BASE) + b"{5:{CHK:3A9F5C21B7D4}}")[0].errors == []


def test_mt103_several_messages_in_one_file():
    data = _mt(*BASE) + b"\r\n" + _mt(*[f.replace("REF1", "REF2") for f in BASE])
    assert [p.message_id for p in mt103.parse(data)] == ["REF1", "REF2"]


def test_json_form(parse_fixture):
    (payment,) = parse_fixture("json_clean.json")
    assert payment.errors == [] and payment.format == "json"
    parties, agents = _roles(payment)
    assert set(parties) == {"debtor", "creditor", "ultimate_debtor", "ultimate_creditor", "initiating_party"}
    assert (
        parties["creditor"].person is True
        and parties["creditor"].address.lines[0] == "Rua Augusta 1500, apto 32"
    )
    assert parties["ultimate_creditor"].identifiers == [("CNPJ", "12.345.678/0001-95")]
    assert agents["intermediary_agents[0]"].bic == "CITIUS33"
    assert [t.field for t in payment.free_text] == ["remittance_information[0]", "instructions[0]"]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (
            '{"message_id": "M1", "amount": "1,5", "currency": "USD", "debtor": {"name": "A"}, "creditor": {"name": "B"}}',
            "amount",
        ),
        (
            '{"message_id": "M1", "amount": "1.5", "currency": "USD", "debtor": {"name": "A"}, "credtor": {"name": "B"}}',
            "credtor",
        ),
        (
            '{"message_id": "M1", "amount": "1.5", "currency": "USD", "debtor": {"name": "A"}, "creditor": {"name": "B", "bic": "DEUTDEF"}}',
            "creditor.bic",
        ),
        (
            '{"message_id": "M1", "amount": "1.5", "currency": "USD", "debtor": {"name": "A"}, "creditor": {"name": "'
            + "B" * 141
            + '"}}',
            "creditor.name",
        ),
        ('{"message_id": "M1", "amount": "1.5", "currency": "USD", "debtor": {"name": "A"}', "message"),
    ],
)
def test_json_form_errors_name_the_field(text, field):
    (payment,) = json_form.parse(text.encode())
    assert field in {e.field for e in payment.errors}, payment.errors


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("broken/truncated_pacs008.xml", "Document"),
        ("broken/unknown_pacs009.xml", "Document"),
        ("broken/name_too_long.xml", "CdtTrfTxInf/Dbtr/Nm"),
        ("broken/bad_bic_and_amount.xml", "CdtTrfTxInf/CdtrAgt/FinInstnId/BICFI"),
        ("broken/bad_bic_and_amount.xml", "CdtTrfTxInf/IntrBkSttlmAmt"),
        ("broken/truncated_mt103.fin", "4"),
        ("broken/mt103_bad_fields.fin", "57A"),
        ("broken/mt103_bad_fields.fin", "32A"),
        ("broken/mt103_bad_fields.fin", "59"),
        ("mt/mt199_unsupported.fin", "2"),
        ("broken/bad_amount.json", "amount"),
        ("broken/not_a_message.txt", "message"),
        ("broken/entity_expansion.xml", "DOCTYPE"),
    ],
)
def test_broken_messages_name_the_field(parse_fixture, name, field):
    payments = parse_fixture(name)
    assert any(field in {e.field for e in p.errors} for p in payments)


def test_empty_and_oversized_input():
    assert parse_bytes(b"   ", "e")[0].errors[0].detail == "empty file"
    assert "refused" in parse_bytes(b"x" * 5_000_001, "big")[0].errors[0].detail
    assert iso20022.parse(b"<Document", "t")[0].errors


def test_json_array_and_json_lines():
    one = '{"message_id": "M%d", "amount": "1.50", "currency": "EUR", "debtor": {"name": "A"}, "creditor": {"name": "B"}}'
    array = ("[" + ", ".join(one % n for n in (1, 2)) + "]").encode()
    assert [p.message_id for p in json_form.parse(array)] == ["M1", "M2"]
    lines = "\n".join([one % 3, one % 4, "{broken"]).encode()
    payments = json_form.parse(lines)
    assert [p.message_id for p in payments[:2]] == ["M3", "M4"] and payments[2].errors[0].field == "line 3"
    assert all(not p.errors for p in payments[:2])
