"""Decisions: parties, agents, addresses, free text and geography, through the one screen()."""

from __future__ import annotations

import pytest

from proscribe.payments import freetext, json_form, parse_bytes
from proscribe.payments.geography import Geography
from proscribe.payments.messages import Address


def _decide(screener, parse_fixture, name):
    (payment,) = parse_fixture(name)
    return screener.decide(payment)


def test_payment_to_integrity_technology_group_is_blocked(screener, parse_fixture):
    outcome = _decide(screener, parse_fixture, "pacs008_v08_itg.xml")
    assert outcome.decision == "block"
    reason = outcome.deciding()
    assert (reason.kind, reason.field) == ("party", "CdtTrfTxInf/Cdtr/Nm")
    assert reason.result["caption"] == "INTEGRITY TECHNOLOGY GROUP, INCORPORATED"
    assert reason.result["programs"] == ["CYBER2"] and reason.result["dataset"] == "us_ofac_sdn"
    line = outcome.line()
    assert set(line) >= {"message_id", "file", "format", "decision", "reasons"}
    assert set(line["reasons"][0]) >= {"kind", "field", "value", "detail", "result"}


def test_lower_case_sis_doo_to_a_bic_is_not_blocked(screener, parse_fixture):
    outcome = _decide(screener, parse_fixture, "pain001_v09_sis.xml")
    assert outcome.payment.parties[-1].name == "sis d.o.o." or any(
        p.name == "sis d.o.o." for p in outcome.payment.parties
    )
    assert outcome.decision != "block" and not any(r.action == "block" for r in outcome.reasons)
    assert outcome.decision == "pass", [
        r.detail for r in outcome.reasons
    ]  # a short name is no reason to stop it


def test_yalta_address_is_rejected_under_us_rules(screener, parse_fixture):
    outcome = _decide(screener, parse_fixture, "pacs008_v10_yalta.xml")
    assert outcome.decision == "reject"
    details = " ".join(r.detail for r in outcome.reasons if r.kind == "geography")
    assert "298600" in details and "jalta" in details and "CRIMEA" in details
    assert all(
        r.field.startswith("CdtTrfTxInf/Cdtr/PstlAdr") for r in outcome.reasons if r.kind == "geography"
    )


def test_designated_name_buried_in_remittance_text_is_found(screener, parse_fixture):
    outcome = _decide(screener, parse_fixture, "pacs008_v09_remittance.xml")
    assert outcome.decision == "hold"
    hits = [r for r in outcome.reasons if r.kind == "free_text"]
    assert [r.kind for r in outcome.reasons] == ["free_text"]
    assert hits and hits[0].field == "CdtTrfTxInf/RmtInf/Ustrd"
    assert hits[0].result["caption"].upper() == "MAHAN AIR"


@pytest.mark.parametrize(
    "name", ["pacs008_v12_clean.xml", "mt103_clean.fin", "json_clean.json", "pain001_v03_batch.xml"]
)
def test_clean_messages_pass(screener, parse_fixture, name):
    for payment in parse_fixture(name):
        outcome = screener.decide(payment)
        assert outcome.decision == "pass", [r.detail for r in outcome.reasons]


def test_iranian_bank_by_bic_is_blocked(screener, parse_fixture):
    outcome = _decide(screener, parse_fixture, "mt103_iran_bank.fin")
    assert outcome.decision == "block"
    assert {"identifier", "geography"} <= {r.kind for r in outcome.reasons}
    assert any(r.field == "57A" and r.kind == "identifier" for r in outcome.reasons)


def test_cuba_and_crimea_cities_by_regime(payment_index, screener, parse_fixture):
    from proscribe.payments.decide import Screener

    assert _decide(screener, parse_fixture, "json_cuba.json").decision == "block"
    eu = Screener(payment_index, regime="eu")
    assert _decide(eu, parse_fixture, "json_cuba.json").decision == "pass"
    assert _decide(eu, parse_fixture, "pacs008_v10_yalta.xml").decision == "reject"
    sevastopol = _decide(screener, parse_fixture, "mt103_50f_sevastopol.fin")
    geo = [r for r in sevastopol.reasons if r.kind == "geography"]
    assert {r.field for r in geo} >= {"59F", "57D"}


def test_every_broken_message_is_held_never_passed(screener, fixture_path):
    from proscribe.payments import message_files, parse_file

    files = message_files([fixture_path("broken")])
    assert len(files) >= 10
    for file in files:
        for payment in parse_file(file):
            outcome = screener.decide(payment)
            assert outcome.decision == "hold", file
            assert any(r.kind == "parse_error" and r.field for r in outcome.reasons)


def test_a_block_in_a_partly_unreadable_message_is_held(screener, fixture_path):
    data = (
        fixture_path("pacs008_v08_itg.xml")
        .read_bytes()
        .replace(b"<TwnNm>Beijing</TwnNm>", b"<TwnNm>" + b"B" * 40 + b"</TwnNm>")
    )
    (payment,) = parse_bytes(data, "x.xml")
    outcome = screener.decide(payment)
    assert outcome.decision == "hold"
    assert any(r.action == "block" for r in outcome.reasons)
    assert any(
        r.kind == "parse_error" and r.field == "CdtTrfTxInf/Cdtr/PstlAdr/TwnNm" for r in outcome.reasons
    )


def test_every_party_role_is_screened(screener):
    base = {
        "message_id": "R1",
        "amount": "10",
        "currency": "USD",
        "debtor": {"name": "Harbour Robotics Ltd"},
        "creditor": {"name": "Ateliers du Rhone"},
    }
    for role in ("debtor", "creditor", "ultimate_debtor", "ultimate_creditor", "initiating_party"):
        data = dict(base, **{role: {"name": "Integrity Technology Group"}})
        outcome = screener.decide(json_form.from_dict(data))
        assert outcome.decision == "block", role
        assert outcome.deciding().field == f"{role}.name"
    for role in ("debtor_agent", "creditor_agent"):
        outcome = screener.decide(json_form.from_dict(dict(base, **{role: {"bic": "SINAIRTH"}})))
        assert outcome.decision == "block" and outcome.deciding().field == role
    outcome = screener.decide(
        json_form.from_dict(
            dict(base, intermediary_agents=[{"name": "Sina Bank", "address": {"town": "Tehran"}}])
        )
    )
    assert outcome.decision == "block" and outcome.deciding().field == "intermediary_agents[0]"
    address = {"lines": ["c/o Integrity Technology Group", "Beijing"]}
    outcome = screener.decide(
        json_form.from_dict(dict(base, creditor={"name": "Li Wei", "address": address}))
    )
    assert any(r.kind == "address" for r in outcome.reasons) and outcome.decision == "hold"


def test_free_text_automaton_word_boundaries(payment_index):
    automaton = freetext.automaton_for(payment_index)
    assert automaton is freetext.automaton_for(payment_index)  # built once
    found = {
        c.text
        for c in freetext.candidates("fees to integrity technology group inc. for pentest", payment_index)
    }
    assert "integrity technology group" in found
    found = {c.text for c in freetext.candidates("integritytechnology groupware", payment_index)}
    assert "integrity technology group" not in found
    # short names are not patterns; a single ordinary word is a common-word pattern
    assert freetext.pattern_of(["ace"], 0) is None
    assert freetext.is_common_pattern(freetext.pattern_of(["ocean"], 0) or ())
    assert freetext.pattern_of(["hezbollah"], 0) == ("hezbollah",)
    assert freetext.pattern_of(["integrity", "technology", "group", "lf_inc"], 0) == (
        "integrity",
        "technology",
        "group",
    )


def test_geography_tables():
    geo = Geography("us")
    assert geo.address(Address("a", town="Sebastopol", subdivision="CA", country="US"), "a") == []
    for town in ("Yalta", "Jalta", "Ялта", "Sevastopol", "Sewastopol", "Simferopol", "Симферополь", "Kerch"):
        hits = geo.address(Address("a", town=town, country="UA"), "a")
        assert [h.target for h in hits] == ["crimea"] and hits[0].action == "reject", town
    for town, region in (
        ("Donetsk", "dnr"),
        ("Horlivka", "dnr"),
        ("Luhansk", "lnr"),
        ("Lugansk", "lnr"),
        ("Луганск", "lnr"),
    ):
        assert [h.target for h in geo.address(Address("a", town=town), "a")] == [region], town
    oblast = geo.address(Address("a", lines=["Kramatorsk, Donetsk Oblast"], country="UA"), "a")
    assert [h.action for h in oblast] == ["hold"]
    assert geo.address(Address("a", postcode="95000", country="UA"), "a")[0].target == "crimea"
    assert geo.address(Address("a", postcode="95000", country="DE"), "a") == []
    assert geo.address(Address("a", postcode="299011"), "a")[0].target == "crimea"
    assert (
        geo.address(Address("a", town="Damascus", country="SY"), "a") == []
    )  # no US embargo since July 2025
    assert [h.action for h in geo.address(Address("a", town="Pyongyang", country="KP"), "a")] == ["block"]
    assert [h.action for h in geo.address(Address("a", town="Tehran", country="IR"), "a")] == ["reject"]
    assert geo.bic("BMJIIRTH", "57A")[0].action == "block"
    assert Geography("eu").address(Address("a", town="Havana", country="CU"), "a") == []
    assert [h.action for h in geo.free_text("cargo via Sevastopol port", "70")] == ["hold"]
    assert [h.target for h in geo.address(Address("a", lines=["BANK MELLI BRANCH 12", "IR"]), "59")] == ["IR"]
    uk = Geography("uk")
    assert [h.action for h in uk.address(Address("a", town="Yalta"), "a")] == ["reject"]
    assert [h.action for h in uk.address(Address("a", town="Melitopol", country="UA"), "a")] == ["hold"]
    assert uk.address(Address("a", town="Havana", country="CU"), "a") == []


def test_identifiers_in_free_text(screener):
    base = {
        "message_id": "R2",
        "amount": "10",
        "currency": "USD",
        "debtor": {"name": "Harbour Robotics Ltd"},
        "creditor": {"name": "Ateliers du Rhone"},
    }
    outcome = screener.decide(json_form.from_dict(dict(base, instructions=["/INS/SINAIRTH"])))
    assert outcome.decision == "block" and outcome.deciding().kind == "identifier"
    assert outcome.deciding().field == "instructions[0]"
    outcome = screener.decide(
        json_form.from_dict(dict(base, remittance_information=["IBAN IR820540102680020817909002"]))
    )
    assert outcome.decision == "hold" and outcome.reasons[0].kind == "geography"
    for text in ("PLEASE CREDIT VIA DEUTDEFF", "REF INVOICE ABCDEFGHIJK"):
        assert screener.decide(json_form.from_dict(dict(base, instructions=[text]))).decision == "pass"
