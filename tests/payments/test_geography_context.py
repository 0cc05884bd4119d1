"""Geography on the most specific evidence: country, region, postal code and town together.

Town names repeat across borders (Donetsk is also a town of Rostov Oblast, Kirovsk one of
Murmansk Oblast), so a town alone in a country outside the embargo is held, not rejected; a
region or postal code decides. Every table read here is the bundled ``geography.json``."""

from __future__ import annotations

from pathlib import Path

import pytest

from proscribe.payments import parse_bytes
from proscribe.payments.geography import Geography
from proscribe.payments.messages import Address

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payments"


@pytest.fixture(scope="module")
def us():
    return Geography("us")


def _hits(geo, **fields):
    return [(hit.target, hit.action) for hit in geo.address(Address("a", **fields), "a")]


@pytest.mark.parametrize(
    "fields",
    [
        dict(town="Donetsk", subdivision="Rostovskaya oblast", postcode="346330", country="RU"),
        dict(town="Donetsk", subdivision="RU-ROS", postcode="346330", country="RU"),
        dict(town="Донецк", subdivision="Ростовская область", postcode="346330", country="RU"),
        dict(town="Kirovsk", subdivision="Murmansk Oblast", postcode="184250", country="RU"),
        dict(town="Kirovsk", postcode="187340", country="RU"),  # Leningrad Oblast
        dict(town="Pervomaysk", subdivision="Nizhegorodskaya obl.", postcode="607760", country="RU"),
        dict(town="Shakhtyorsk", postcode="694910", country="RU"),
        dict(town="Rovenki", subdivision="Belgorodskaya oblast", postcode="309740", country="RU"),
        dict(town="Belogorsk", subdivision="Amurskaya oblast", postcode="676850", country="RU"),
        dict(lines=["UL. MIRA 3", "346330 DONETSK", "ROSTOVSKAYA OBL.", "RU"]),
    ],
)
def test_russian_town_named_like_an_occupied_one_is_cleared_by_its_own_region_and_postcode(us, fields):
    assert _hits(us, **fields) == []


@pytest.mark.parametrize(
    "town, elsewhere",
    [
        ("Donetsk", "Rostov Oblast"),
        ("Kirovsk", "Murmansk Oblast"),
        ("Sverdlovsk", "Sverdlovsk Oblast"),
        ("Pervomaisk", "Nizhny Novgorod Oblast"),
        ("Shakhtyorsk", "Sakhalin Oblast"),
    ],
)
def test_town_alone_in_russia_named_like_an_occupied_one_is_held_saying_where_else_it_is(us, town, elsewhere):
    (hit,) = Geography("us").address(Address("a", town=town, country="RU"), "a")
    assert hit.action == "hold" and hit.target in ("dnr", "lnr")
    assert elsewhere in hit.detail and "region or postal code" in hit.detail


@pytest.mark.parametrize("town", ["Yalta", "Simferopol", "Dzhankoy", "Krasnodon", "Kerch", "Alchevsk"])
def test_town_found_only_in_an_embargoed_area_is_rejected_even_when_the_address_says_russia(us, town):
    assert [action for _, action in _hits(us, town=town, country="RU")] == ["reject"]


def test_region_or_postcode_elsewhere_never_clears_a_town_found_only_in_the_area(us):
    # a unique town of the area with a Moscow postal code or region: the evidence contradicts itself
    assert _hits(us, town="Yalta", postcode="101000", country="RU") == [("crimea", "hold")]
    assert _hits(us, town="Simferopol", subdivision="Moscow Oblast") == [("crimea", "hold")]
    # a repeating name whose region and postal code disagree with each other is no clearance either
    assert _hits(us, town="Donetsk", subdivision="Tverskaya oblast", postcode="694910", country="RU") == [
        ("dnr", "hold")
    ]


def test_evidence_inside_and_outside_the_area_at_once_is_held(us):
    fields = dict(town="Donetsk", subdivision="Rostovskaya oblast", postcode="283050", country="RU")
    (hit,) = us.address(Address("a", **fields), "a")
    assert (hit.target, hit.action) == ("dnr", "hold") and "contradicts" in hit.detail


@pytest.mark.parametrize(
    "fields, target",
    [
        (dict(postcode="283001", country="RU"), "dnr"),  # occupation-assigned Donetsk code
        (dict(postcode="291001", country="UA"), "lnr"),  # 91001 with the 2 of the occupation
        (dict(postcode="298600", country="RU"), "crimea"),
        (dict(postcode="95000", country="UA"), "crimea"),
        (dict(subdivision="UA-43"), "crimea"),
        (dict(subdivision="43", country="UA"), "crimea"),
        (dict(subdivision="Respublika Krym", country="RU"), "crimea"),
        (dict(town="Luhansk", postcode="291001", country="RU"), "lnr"),
        (dict(town="Horlivka", postcode="84600", country="UA"), "dnr"),  # town with its own oblast's code
        (dict(town="Sverdlovsk", subdivision="Luhanska oblast"), "lnr"),  # region given, country missing
        (dict(town="Donetsk", lines=["Donetskaya Narodnaya Respublika"]), "dnr"),
    ],
)
def test_region_or_postcode_inside_the_area_rejects(us, fields, target):
    assert _hits(us, **fields) == [(target, "reject")]


def test_postcode_of_another_oblast_clears_a_ukrainian_town_named_like_an_occupied_one(us):
    assert _hits(us, town="Pervomaisk", postcode="55213", country="UA") == []  # Mykolaiv Oblast
    (hit,) = us.address(Address("a", town="Pervomaisk", country="UA"), "a")
    assert hit.action == "hold" and "Mykolaiv Oblast" in hit.detail


def test_postcode_of_an_oblast_only_partly_occupied_is_no_evidence_on_its_own(us):
    assert _hits(us, town="Kramatorsk", postcode="84300", country="UA") == []
    # naming the oblast in words stays a hold, as before
    assert _hits(us, town="Kramatorsk", subdivision="Donetsk Oblast", country="UA") == [("dnr", "hold")]
    # a street named after a region is no region
    assert _hits(us, street="ul. Donetskaya 5", town="Moskva", postcode="109651", country="RU") == []


@pytest.mark.parametrize(
    "fields",
    [
        dict(street="ul. Lenina 5, Yalta", country="RU"),  # the town written into the street line
        dict(lines=["Naberezhnaya 3", "298600 Yalta"], country="RU"),  # the town in an AdrLine
        dict(lines=["KV 4, UL. MORSKAYA 2", "SEVASTOPOL 299011"]),
        dict(town="Севастополь", country="RU"),
        dict(town="Sevastopil", country="UA"),
        dict(town="Sebastopol", country="UA"),
        dict(town="Sebastopol", postcode="299011"),  # the ambiguous spelling with the city's code
        dict(town="Dzhankoi", subdivision="Respublika Krym"),  # region given, country code missing
    ],
)
def test_crimea_hidden_in_street_lines_and_spellings_is_rejected(us, fields):
    assert _hits(us, **fields) == [("crimea", "reject")]


def test_ambiguous_spelling_without_any_evidence_is_held_and_elsewhere_is_cleared(us):
    assert _hits(us, town="Sebastopol") == [("crimea", "hold")]
    assert _hits(us, town="Sebastopol", subdivision="CA", country="US") == []


def test_kherson_and_zaporizhzhia_occupation_postcodes_follow_each_regime():
    eu = Geography("eu")
    assert _hits(eu, town="Melitopol", postcode="272312", country="RU") == [("kherson_zaporizhzhia", "hold")]
    assert _hits(eu, postcode="272312", country="RU") == [("kherson_zaporizhzhia", "hold")]
    assert _hits(Geography("us"), postcode="272312", country="RU") == []  # not a US region
    # without a stated country a six-digit code of that range is also a Chinese or Indian one
    assert _hits(eu, postcode="272312") == []


def _pacs008_with_creditor_address(address_xml: str) -> bytes:
    text = (FIXTURES / "pacs008_v12_clean.xml").read_text(encoding="utf-8")
    start = text.index("<PstlAdr>", text.index("<Cdtr>"))
    end = text.index("</PstlAdr>", start) + len("</PstlAdr>")
    return (text[:start] + f"<PstlAdr>{address_xml}</PstlAdr>" + text[end:]).encode()


def test_payment_to_donetsk_in_rostov_oblast_passes_and_without_context_is_held(screener):
    with_context = _pacs008_with_creditor_address(
        "<StrtNm>Ulitsa Mira</StrtNm><BldgNb>3</BldgNb><PstCd>346330</PstCd><TwnNm>Donetsk</TwnNm>"
        "<CtrySubDvsn>Rostovskaya oblast</CtrySubDvsn><Ctry>RU</Ctry>"
    )
    (payment,) = parse_bytes(with_context, "donetsk_rostov.xml")
    outcome = screener.decide(payment)
    assert outcome.decision == "pass", [r.detail for r in outcome.reasons]
    bare = _pacs008_with_creditor_address("<TwnNm>Donetsk</TwnNm><Ctry>RU</Ctry>")
    (payment,) = parse_bytes(bare, "donetsk_bare.xml")
    outcome = screener.decide(payment)
    assert outcome.decision == "hold"
    geo = [r for r in outcome.reasons if r.kind == "geography"]
    assert geo and geo[0].field.startswith("CdtTrfTxInf/Cdtr/PstlAdr") and "Rostov Oblast" in geo[0].detail


def test_payment_to_an_occupation_postcode_in_a_russian_address_is_rejected(screener):
    data = _pacs008_with_creditor_address(
        "<PstCd>283001</PstCd><TwnNm>Donetsk</TwnNm><CtrySubDvsn>DNR</CtrySubDvsn><Ctry>RU</Ctry>"
    )
    (payment,) = parse_bytes(data, "donetsk_dnr.xml")
    outcome = screener.decide(payment)
    assert outcome.decision == "reject"
    assert outcome.deciding().kind == "geography" and "283001" in outcome.deciding().detail
