"""Identifier normalisation and check digits, on real identifiers from the bundled OFAC SDN list."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
import stdnum.cn.uscc
import stdnum.lei

from proscribe.model import IDENTIFIER_PROPS
from proscribe.text.identifiers import (
    CANONICAL_TYPES,
    NormalisedId,
    canonical_type,
    clean_document_number,
    detect_type,
    normalise_country,
    normalise_currency,
    normalise_identifier,
    normalise_website,
    validate_bic,
    validate_crypto,
    validate_imo,
    validate_inn,
    validate_lei,
    validate_mmsi,
    validate_ogrn,
    validate_uscc,
)

SDN_FILE = Path(__file__).resolve().parents[2] / "data/ofac/sdn_2026-08-20_reconstructed/sdn.csv.gz"

# Integrity Technology Group, Incorporated (OFAC 50543, CYBER2).
ITG_USCC = "91110108562135265P"


def keys(type_, value, country=None, currency=None) -> list[str]:
    return [n.key for n in normalise_identifier(type_, value, country, currency)]


def by_key(type_, value, country=None, currency=None) -> dict[str, NormalisedId]:
    return {n.key: n for n in normalise_identifier(type_, value, country, currency)}


@pytest.fixture(scope="module")
def sdn_remarks() -> str:
    with gzip.open(SDN_FILE, "rt", encoding="utf-8") as handle:
        return handle.read()


# -- USCC ------------------------------------------------------------------------------------------


def test_integrity_technology_uscc_is_valid_and_strong():
    assert validate_uscc(ITG_USCC) == (True, None)
    hit = by_key("uscc", ITG_USCC)[f"uscc:{ITG_USCC}"]
    assert hit.type == "uscc"
    assert hit.valid is True
    assert hit.strong is True


def test_uscc_with_wrong_check_character_is_invalid_and_names_the_expected_one():
    valid, reason = validate_uscc("91110108562135265Q")
    assert valid is False
    assert reason == "USCC check character should be 'P', found 'Q'"
    hit = by_key("uscc", "91110108562135265Q")["uscc:91110108562135265Q"]
    assert hit.valid is False
    assert hit.strong is False
    assert "'P'" in hit.reason


def test_uscc_check_character_is_the_only_one_of_31_that_validates():
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    passing = [ch for ch in alphabet if validate_uscc(ITG_USCC[:17] + ch)[0]]
    assert passing == ["P"]


def test_uscc_our_algorithm_agrees_with_python_stdnum_on_every_listed_code_and_its_mutations(sdn_remarks):
    codes = re.findall(r"Unified Social Credit Code \(USCC\) (\w+)", sdn_remarks)
    assert len(codes) > 50
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for code in codes:
        assert validate_uscc(code) == (True, None), code
        for ch in alphabet:
            mutated = code[:17] + ch
            assert validate_uscc(mutated)[0] == stdnum.cn.uscc.is_valid(mutated), mutated


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("9111010856213526", "18 characters, found 16"),
        ("9111010856213526IP", "contains 'I'"),
        ("91AB0108562135265P", "region code"),
    ],
)
def test_malformed_uscc_gets_a_reason(value, fragment):
    valid, reason = validate_uscc(value)
    assert valid is False
    assert fragment in reason


def test_uscc_spellings_share_one_key():
    spellings = [
        ITG_USCC,
        "9111 0108 5621 3526 5P",
        "91110108-562135265-p",
        "９１１１０１０８５６２１３５２６５Ｐ",
    ]
    assert {keys("uscc", s)[0] for s in spellings} == {f"uscc:{ITG_USCC}"}


def test_registration_number_holding_a_uscc_meets_the_listed_uscc():
    """The DESIGN query sends the ITG code as ``registrationNumber``; OFAC files it as USCC."""
    listed = set(keys("uscc", ITG_USCC, "cn"))
    query = normalise_identifier("registrationNumber", ITG_USCC, "cn")
    shared = listed & {n.key for n in query}
    assert f"uscc:{ITG_USCC}" in shared
    assert next(n for n in query if n.key == f"uscc:{ITG_USCC}").strong is True


def test_registration_number_with_a_bad_uscc_check_is_not_promoted():
    assert not any(k.startswith("uscc:") for k in keys("registration", "91110108562135265Q"))


# -- IMO -------------------------------------------------------------------------------------------


def test_imo_spellings_share_one_key():
    spellings = ["IMO 9187629", "IMO9187629", "9187629", "imo: 9187629", " IMO No. 9187629 "]
    assert {tuple(keys("imo", s)) for s in spellings} == {("imo:9187629",)}


def test_valid_imo_is_strong():
    hit = by_key("imo", "IMO 9187629")["imo:9187629"]
    assert (hit.valid, hit.strong, hit.reason) == (True, True, None)


def test_wrong_imo_check_digit_is_invalid_with_reason():
    valid, reason = validate_imo("IMO 9187628")
    assert valid is False
    assert reason == "IMO check digit should be '9', found '8'"
    hit = by_key("imo", "9187628")["imo:9187628"]
    assert hit.valid is False
    assert hit.strong is False


def test_imo_company_number_validates_with_its_own_check():
    # OFAC files 5878589 as a vessel IMO; it is an IMO company number (ship check says 6).
    assert validate_imo("5878589") == (True, None)
    assert validate_imo("5878580")[0] is False


@pytest.mark.parametrize("value", ["543400", "91876290", "IMO ABCDEFG", "IMO"])
def test_imo_of_wrong_length_or_letters_is_invalid(value):
    valid, reason = validate_imo(value)
    assert valid is False
    assert "7 digits" in reason


def test_every_seven_digit_imo_number_in_the_sdn_list_validates(sdn_remarks):
    numbers = set(re.findall(r"\bIMO (\d{7})\b", sdn_remarks))
    assert len(numbers) > 800
    invalid = sorted(n for n in numbers if not validate_imo(n)[0])
    assert invalid == []


# -- MMSI ------------------------------------------------------------------------------------------


def test_mmsi_is_normalised_but_weak():
    hit = by_key("mmsi", "MMSI 572469210")["mmsi:572469210"]
    assert hit.valid is True
    assert hit.strong is False
    assert validate_mmsi("57246921")[0] is False


# -- LEI -------------------------------------------------------------------------------------------


def test_listed_leis_validate_and_normalise():
    for lei in ("253400V1H6ART1UQ0N98", "549300EKQFUDEPZTLV86", "213800TWK2R9AGIQXV07"):
        assert validate_lei(lei) == (True, None)
        hit = by_key("leiCode", lei.lower())[f"lei:{lei}"]
        assert hit.valid is True
        assert hit.strong is True


def test_lei_with_wrong_check_digits_is_invalid_and_reason_gives_the_right_ones():
    # As printed in the SDN list: a typo'd LEI.
    valid, reason = validate_lei("253400VTMXV2UE7XNN67")
    assert valid is False
    expected = re.search(r"should be '(\d\d)'", reason).group(1)
    assert validate_lei("253400VTMXV2UE7XNN" + expected) == (True, None)
    assert stdnum.lei.is_valid("253400VTMXV2UE7XNN" + expected)


def test_dutch_chamber_number_filed_as_lei_is_invalid_but_keyed():
    hit = by_key("lei", "851683897")["lei:851683897"]
    assert hit.valid is False
    assert hit.strong is False
    assert hit.reason == "LEI must be 20 characters, found 9"


def test_lei_spellings_share_one_key():
    spellings = ["253400V1H6ART1UQ0N98", "2534 00V1 H6AR T1UQ 0N98", "253400v1h6art1uq0n98"]
    assert {keys("lei", s)[0] for s in spellings} == {"lei:253400V1H6ART1UQ0N98"}


# -- SWIFT/BIC -------------------------------------------------------------------------------------


def test_eight_character_bic_query_meets_eleven_character_listed_bic():
    listed = set(keys("swift_bic", "SOMRRUM1KST"))  # as in the SDN list
    assert listed == {"bic:SOMRRUM1", "bic:SOMRRUM1KST"}
    assert keys("swiftBic", "SOMRRUM1") == ["bic:SOMRRUM1"]
    assert set(keys("swiftBic", "SOMRRUM1")) <= listed


def test_eleven_character_bic_query_meets_eight_character_listed_bic():
    listed = set(keys("swift_bic", "ROSYRU2P"))  # Bank Rossiya, as listed
    assert listed & set(keys("swift_bic", "rosy ru 2p 500"))


def test_primary_office_branch_xxx_is_the_eight_character_bic():
    assert keys("swift_bic", "DEUTDEFFXXX") == ["bic:DEUTDEFF"]


def test_bic_with_unknown_country_is_invalid():
    valid, reason = validate_bic("DEUTZZFF")
    assert valid is False
    assert "'ZZ'" in reason
    hit = normalise_identifier("swift_bic", "DEUTZZFF")[0]
    assert (hit.key, hit.valid, hit.strong) == ("bic:DEUTZZFF", False, False)


@pytest.mark.parametrize("value", ["DEUTDEF", "DEUTDEFF50", "1EUTDEFF", "DEUT1EFF"])
def test_malformed_bic_is_invalid_with_reason(value):
    valid, reason = validate_bic(value)
    assert valid is False
    assert reason


def test_every_bic_in_the_sdn_list_validates(sdn_remarks):
    bics = set(re.findall(r"SWIFT/BIC (\w+)", sdn_remarks))
    assert len(bics) > 100
    assert sorted(b for b in bics if not validate_bic(b)[0]) == []


# -- crypto ----------------------------------------------------------------------------------------


def test_listed_bitcoin_address_keeps_its_case_and_currency_is_metadata():
    address = "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h"
    listed = normalise_identifier("crypto", address, currency="XBT")
    assert [n.key for n in listed] == [f"crypto:{address}"]
    assert listed[0].valid is True
    assert listed[0].strong is True
    assert listed[0].currency == "XBT"
    assert normalise_identifier("cryptoWallet", address, currency="BTC")[0].currency == "XBT"
    assert keys("crypto", address) == keys("crypto", address, currency="BTC")
    assert keys("crypto", address.lower()) != keys("crypto", address)


def test_ethereum_address_is_lowercased():
    listed = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"
    query = "0x098b716b8aaf21512996dc57eb0615e2383e2f96"
    assert keys("crypto", listed, currency="ETH") == keys("crypto", query) == [f"crypto:{query}"]


def test_bech32_address_is_lowercase_whatever_its_spelling():
    address = "bc1qv7k70u2zynvem59u88ctdlaw7hc735d8xep9rq"
    assert (
        keys("crypto", address.upper())
        == keys("crypto", f"bitcoin:{address}?amount=1")
        == [f"crypto:{address}"]
    )
    hit = normalise_identifier("crypto", address)[0]
    assert hit.valid is True
    assert hit.currency == "XBT"


@pytest.mark.parametrize(
    ("currency", "address"),
    [
        ("XBT", "3F2sZ4jbhvDKQdGbHYPC6ZxFXEau2m5Lqj"),
        ("LTC", "LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z"),
        ("TRX", "TMStbg5fgb4uTV7fK1gEYF9hKAzP3siPsG"),
        ("DASH", "XnPFsRWTaSgiVauosEwQ6dEitGYXgwznz2"),
        ("ZEC", "t1g7wowvQ8gn2v8jrU1biyJ26sieNqNsBJy"),
        ("BTG", "GPwg61XoHqQPNmAucFACuQ5H9sGCDv9TpS"),
    ],
)
def test_listed_base58check_addresses_validate(currency, address):
    assert validate_crypto(address, currency) == (True, None)


def test_corrupted_bitcoin_addresses_are_invalid():
    assert validate_crypto("12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9x", "XBT")[0] is False
    assert validate_crypto("bc1qv7k70u2zynvem59u88ctdlaw7hc735d8xep9rr")[0] is False
    hit = normalise_identifier("crypto", "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9x", currency="XBT")[0]
    assert hit.strong is False
    assert "checksum" in hit.reason


def test_bitcoin_cash_prefix_is_dropped():
    address = "qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhq"
    assert keys("crypto", f"bitcoincash:{address}") == keys("crypto", address) == [f"crypto:{address}"]


def test_currency_spellings():
    assert normalise_currency("btc") == "XBT"
    assert normalise_currency("Bitcoin") == "XBT"
    assert normalise_currency("ETH") == "ETH"
    assert normalise_currency("") is None


# -- websites and e-mail ---------------------------------------------------------------------------


def test_website_spellings_share_one_key():
    spellings = [
        "https://WWW.IntegrityTech.com.cn/about",
        "www.integritytech.com.cn",  # as in the SDN list
        "integritytech.com.cn.",
        "http://integritytech.com.cn:8080/?q=1#top",
    ]
    assert {tuple(keys("website", s)) for s in spellings} == {("web:integritytech.com.cn",)}


def test_listed_websites_normalise():
    assert normalise_website("http://www.cra.ir") == "cra.ir"
    assert normalise_website("WWW.BNTD.BY") == "bntd.by"
    assert normalise_website("http://sharif.edu/jalili") == "sharif.edu"


def test_website_is_weak():
    hit = normalise_identifier("website", "www.abr.ru")[0]
    assert (hit.key, hit.valid, hit.strong) == ("web:abr.ru", True, False)


def test_international_domain_names_use_their_ascii_form():
    assert keys("website", "http://пример.рф") == keys("website", "xn--e1afmkfd.xn--p1ai")


def test_email_is_lowercased_and_stays_separate_from_websites():
    assert keys("email", " Bank@ABR.ru ") == ["email:bank@abr.ru"]
    assert keys("email", "mailto:bank@abr.ru") == ["email:bank@abr.ru"]
    assert keys("email", "Bank Rossiya <bank@abr.ru>") == ["email:bank@abr.ru"]
    hit = normalise_identifier("email", "bank@abr.ru")[0]
    assert (hit.valid, hit.strong) == (True, False)
    assert normalise_identifier("email", "not an address")[0].valid is False


def test_phone_keeps_digits_only():
    assert keys("phone", "+98 21 8852-6300") == keys("phone", "0098 (21) 88526300") == ["phone:982188526300"]
    assert normalise_identifier("phone", "+98 21 8852 6300")[0].strong is False


# -- documents -------------------------------------------------------------------------------------


def test_passport_number_is_compacted_and_keyed_with_and_without_country():
    result = normalise_identifier("passport", "A 1234-567", "IR")
    assert [n.key for n in result] == ["passport:ir:A1234567", "passport:A1234567", "id:A1234567"]
    assert all(n.strong is False and n.valid is None for n in result)


def test_passport_query_without_country_meets_listed_passport_with_country():
    listed = set(keys("passport", "92/664", "Egypt"))  # as in the SDN list
    assert "passport:eg:92664" in listed
    assert set(keys("passportNumber", "92 664")) & listed == {"passport:92664", "id:92664"}


def test_national_id_filed_as_another_type_still_shares_the_typeless_key():
    assert set(keys("national_id", "660000 73767", "be")) & set(keys("registration", "66000073767"))


def test_clean_document_number():
    assert clean_document_number(" a 1234-567/8.9 ") == "A123456789"


def test_country_names_and_codes():
    assert normalise_country("Iran") == "ir"
    assert normalise_country("IR") == "ir"
    assert normalise_country("UK") == "gb"
    assert normalise_country("Atlantis") is None
    assert normalise_country(None) is None


# -- Russian INN and OGRN --------------------------------------------------------------------------


def test_bank_rossiya_inn_and_ogrn_validate():
    # Bank Rossiya in the SDN list: Tax ID No. 7831000122, Registration ID 1027800000084 (Russia).
    assert validate_inn("7831000122") == (True, None)
    assert validate_ogrn("1027800000084") == (True, None)
    assert normalise_identifier("innCode", "7831000122")[0].valid is True
    assert normalise_identifier("ogrnCode", "1027800000084")[0].valid is True


def test_inn_with_wrong_check_digit_is_invalid_but_keyed():
    hit = by_key("inn", "7831000123")["inn:7831000123"]
    assert hit.valid is False
    assert hit.strong is False
    assert hit.reason == "INN check digit does not match"
    assert validate_ogrn("1027800000085")[0] is False
    assert validate_inn("78310001")[1] == "INN must be 10 or 12 digits"


def test_russian_tax_and_registration_numbers_meet_inn_and_ogrn_queries():
    assert "inn:7831000122" in keys("tax_id", "7831000122", "Russia")
    assert "ogrn:1027800000084" in keys("registration", "1027800000084", "ru")
    assert not any(k.startswith("inn:") for k in keys("tax_id", "7831000122", "by"))


# -- type detection --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ITG_USCC, "uscc"),
        ("9111 0108 5621 3526 5P", "uscc"),
        ("253400V1H6ART1UQ0N98", "lei"),
        ("IMO 9187629", "imo"),
        ("IMO9187629", "imo"),
        ("9187629", "imo"),
        ("MMSI 572469210", "mmsi"),
        ("DEUTDEFF", "swift_bic"),
        ("SOMRRUM1KST", "swift_bic"),
        ("bank@abr.ru", "email"),
        ("https://WWW.IntegrityTech.com.cn/about", "website"),
        ("www.abr.ru", "website"),
        ("integritytech.com.cn", "website"),
        ("sb24.ir", "website"),
        ("12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h", "crypto"),
        ("3F2sZ4jbhvDKQdGbHYPC6ZxFXEau2m5Lqj", "crypto"),
        ("bc1qv7k70u2zynvem59u88ctdlaw7hc735d8xep9rq", "crypto"),
        ("0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "crypto"),
        ("TMStbg5fgb4uTV7fK1gEYF9hKAzP3siPsG", "crypto"),
        ("LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z", "crypto"),
        ("+98 21 8852 6300", "phone"),
    ],
)
def test_detect_type_recognises_each_shape(value, expected):
    assert detect_type(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "hello",
        "Integrity",
        "Integrity Technology Group",
        "Document",
        "sanctions",
        "deutdeff",  # a BIC is written in capitals
        "12345",
        "2020",
        "9187628",  # seven digits failing the IMO check
        "91110108562135265Q",  # USCC shape, wrong check character
        "253400VTMXV2UE7XNN67",  # LEI shape, wrong check digits
        "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9x",  # base58, broken checksum
        "J.P. Morgan",
        "J.P.Morgan",
        "e.g.",
        "DEUTZZFF",
        "@",
    ],
)
def test_detect_type_leaves_words_names_and_short_numbers_alone(value):
    assert detect_type(value) is None


def test_untyped_identifier_is_normalised_by_its_detected_type():
    assert keys(None, "IMO 9187629") == ["imo:9187629"]
    assert keys(None, "https://www.abr.ru/") == ["web:abr.ru"]
    assert keys(None, "A1234567", "ir") == ["other:ir:A1234567", "other:A1234567", "id:A1234567"]


# -- types and robustness --------------------------------------------------------------------------


def test_every_model_identifier_type_is_canonical():
    assert set(IDENTIFIER_PROPS) == set(CANONICAL_TYPES)
    for type_ in IDENTIFIER_PROPS:
        assert canonical_type(type_) == type_


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("passportNumber", "passport"),
        ("idNumber", "national_id"),
        ("taxNumber", "tax_id"),
        ("registrationNumber", "registration"),
        ("leiCode", "lei"),
        ("imoNumber", "imo"),
        ("swiftBic", "swift_bic"),
        ("SWIFT/BIC", "swift_bic"),
        ("innCode", "inn"),
        ("cryptoWallet", "crypto"),
        ("Unified Social Credit Code (USCC)", "uscc"),
        ("no such type", None),
    ],
)
def test_caller_spellings_of_types(spelling, expected):
    assert canonical_type(spelling) == expected


@pytest.mark.parametrize("type_", [*CANONICAL_TYPES, None, "unknown"])
@pytest.mark.parametrize(
    "value", ["", "   ", "---", "/", "\x00", "💣💣", "@@", "0x", "IMO", "http://", "a" * 500]
)
def test_garbage_never_raises(type_, value):
    result = normalise_identifier(type_, value, country="??", currency="???")
    assert isinstance(result, list)
    for item in result:
        assert item.key and ":" in item.key and not item.key.endswith(":")
        assert item.valid is not True or item.type in {"other", "website", "email"}


@pytest.mark.parametrize("type_", CANONICAL_TYPES)
def test_empty_value_gives_no_keys(type_):
    assert normalise_identifier(type_, "") == []
    assert normalise_identifier(type_, "  \t ") == []


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("mmsi", "572469210"),
        ("website", "www.abr.ru"),
        ("email", "bank@abr.ru"),
        ("passport", "A1234567"),
        ("national_id", "3603251708570001"),
        ("phone", "+982188526300"),
    ],
)
def test_weak_types_are_never_strong(type_, value):
    assert all(n.strong is False for n in normalise_identifier(type_, value, "ir"))
