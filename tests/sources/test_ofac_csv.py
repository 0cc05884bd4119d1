"""OFAC legacy CSV set (SDN.CSV + ADD/ALT/SDN_COMMENTS, CONS_*), against the bundled real files.

Counts are the ones data/PROVENANCE.md states; spot checks are real records: Integrity Technology
Group (uid 50543), a person with a DOB and passport, a vessel with an IMO number, a digital
currency address. Bad input must fail closed with the file and line named.
"""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import model

from proscribe.model import Address, Identifier, Link, Sanction
from proscribe.sources import ofac_csv
from proscribe.sources.base import ListFormatError
from proscribe.sources.ofac_remarks import split_items

DATA = Path(__file__).resolve().parents[2] / "data"
SDN_2024_05_03 = DATA / "ofac" / "sdn_2024-05-03" / "sdn.csv.gz"

ALL_SETS = ["reconstructed_2026-08-20", "sdn_2024-05-03", "sdn_2024-05-02", "legacy_2021-07", "cons_csv"]


def _row(uid: str, name: str, remarks: str = "-0- ", sdn_type: str = "-0- ", programs: str = "SDGT") -> str:
    """One SDN.CSV row in OFAC's layout (``-0-`` nulls, CRLF)."""
    fields = [uid, f'"{name}"', sdn_type, f'"{programs}"'] + ["-0- "] * 7 + [remarks]
    return ",".join(fields) + "\r\n"


def _official_head(rows: int) -> bytes:
    """The first ``rows`` rows of the official 2024-05-03 SDN.CSV, as published (CRLF ends)."""
    data = gzip.decompress(SDN_2024_05_03.read_bytes())
    end = 0
    for _ in range(rows):
        end = data.index(b"\r\n", end) + 2
    return data[:end]


# -- counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("reconstructed_2026-08-20", 19_249),
        ("sdn_2024-05-03", 14_965),
        ("sdn_2024-05-02", 14_973),
        ("legacy_2021-07", 8_976),
        ("cons_csv", 442),
    ],
)
def test_each_bundled_set_yields_one_entity_per_record_as_counted_in_provenance(parsed_set, name, expected):
    parsed = parsed_set(name)
    assert len(parsed.entities) == expected
    assert len({entity.id for entity in parsed.entities}) == expected
    assert all(entity.id == f"us_ofac_sdn-{entity.source_id}" for entity in parsed.entities)


def test_reconstructed_set_types_map_to_person_vessel_airplane_and_organisations(ofac_reconstructed):
    counts = Counter(entity.schema for entity in ofac_reconstructed.entities)
    assert set(counts) == {"Person", "Company", "Organization", "Vessel", "Airplane"}
    assert counts["Person"] == 7_502
    assert counts["Vessel"] == 1_534
    assert counts["Airplane"] == 342


@pytest.mark.parametrize("name", ALL_SETS)
def test_every_property_exists_on_the_entitys_ftm_schema(parsed_set, name):
    for entity in parsed_set(name).entities:
        schema = model.get(entity.schema)
        assert set(entity.properties) <= set(schema.properties), entity.source_id


# -- Integrity Technology Group, uid 50543 --------------------------------------------------------


@pytest.fixture(scope="module")
def itg(ofac_by_uid):
    return ofac_by_uid["50543"]


def test_itg_is_a_cyber2_company_under_its_published_name(itg):
    assert itg.id == "us_ofac_sdn-50543"
    assert itg.schema == "Company"
    assert itg.get("name") == ["INTEGRITY TECHNOLOGY GROUP, INCORPORATED"]
    assert itg.sanctions == [Sanction(authority="US OFAC", program="CYBER2", source_id="50543")]


def test_itg_uscc_is_a_uscc_identifier_of_china_and_its_registration_number(itg):
    uscc = [ident for ident in itg.identifiers if ident.type == "uscc"]
    assert uscc == [
        Identifier(
            type="uscc", value="91110108562135265P", country="cn", label="Unified Social Credit Code (USCC)"
        )
    ]
    assert itg.get("registrationNumber") == ["91110108562135265P"]


def test_itg_website_and_established_date_are_read_from_the_remarks(itg):
    assert itg.get("website") == ["www.integritytech.com.cn"]
    assert Identifier(type="website", value="www.integritytech.com.cn", label="Website") in itg.identifiers
    assert itg.get("incorporationDate") == ["2010-09-02"]


def test_itg_beijing_address_from_add_csv_carries_country_cn(itg):
    assert itg.addresses == [
        Address(
            full="Room 103, Building 6, No. 9, Fenghao East Road, Haidian District, Beijing, China",
            street="Room 103, Building 6, No. 9, Fenghao East Road, Haidian District",
            city="Beijing",
            country="cn",
            country_name="China",
        )
    ]
    assert itg.get("country") == ["cn"]


def test_itg_alt_csv_name_is_a_strong_alias(itg):
    assert itg.get("alias") == ["BEIJING INTEGRITY TECHNOLOGY COMPANY, LIMITED"]


def test_itg_remarks_aka_is_a_weak_alias_only(itg):
    assert itg.get("weakAlias") == ["YONGXIN ZHICHENG TECHNOLOGY GROUP COMPANY, LIMITED"]
    assert "YONGXIN ZHICHENG TECHNOLOGY GROUP COMPANY, LIMITED" not in itg.get("alias")
    assert "YONGXIN ZHICHENG TECHNOLOGY GROUP COMPANY, LIMITED" not in itg.get("name")


def test_itg_keeps_the_whole_remark_in_notes(itg):
    (note,) = itg.get("notes")
    assert note.startswith("Website www.integritytech.com.cn; Organization Established Date 02 Sep 2010;")
    assert "Equity Ticker 688244 CH" in note


# -- other real records ---------------------------------------------------------------------------


def test_person_has_date_of_birth_birthplace_and_passport_with_country(ofac_by_uid):
    person = ofac_by_uid[
        "2682"
    ]  # ISLAMBOULI, Mohammad Shawqi: "DOB 15 Jan 1955; POB Egypt; Passport 304555 (Egypt)"
    assert person.schema == "Person"
    assert person.get("name") == ["ISLAMBOULI, Mohammad Shawqi"]
    assert person.get("birthDate") == ["1955-01-15"]
    assert person.get("birthPlace") == ["Egypt"]
    assert person.get("passportNumber") == ["304555"]
    assert person.identifiers == [Identifier(type="passport", value="304555", country="eg", label="Passport")]
    assert person.get("position") == ["Military Leader of ISLAMIC GAMA'AT"]


def test_passport_issue_and_expiry_dates_are_kept(ofac_by_uid):
    person = ofac_by_uid["12562"]
    assert (
        Identifier(
            type="passport",
            value="OR801168",
            country="af",
            label="Passport",
            issued="2006-02-28",
            expires="2011-02-27",
        )
        in person.identifiers
    )
    assert person.get("birthDate")[:2] == ["1981-02-05", "1972-01-01"]


def test_vessel_has_imo_identifier_imo_number_flag_and_vessel_fields(ofac_by_uid):
    vessel = ofac_by_uid["4243"]  # EBANO, "Vessel Registration Identification IMO 7406784"
    assert vessel.schema == "Vessel"
    assert vessel.identifiers == [
        Identifier(type="imo", value="7406784", label="Vessel Registration Identification")
    ]
    assert vessel.get("imoNumber") == ["7406784"]
    assert vessel.get("flag") == ["pa"]
    assert vessel.get("type") == ["General Cargo"]
    assert vessel.get("tonnage") == ["2595"]
    assert vessel.get("grossRegisteredTonnage") == ["1865"]
    assert vessel.get("previousName") == ["ANA I", "SAND SWAN"]


def test_digital_currency_addresses_are_crypto_identifiers_with_their_currency(ofac_by_uid):
    person = ofac_by_uid["25308"]  # YAN, Xiaobing
    wallets = [ident for ident in person.identifiers if ident.type == "crypto"]
    assert len(wallets) == 6
    assert wallets[0] == Identifier(
        type="crypto",
        value="12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h",
        currency="XBT",
        label="Digital Currency Address - XBT",
    )
    assert {wallet.currency for wallet in wallets} == {"XBT"}


def test_programs_separated_by_bracket_space_bracket_become_one_sanction_each(ofac_by_uid):
    bank = ofac_by_uid["4632"]  # "IRAN] [SDGT] [IRGC] [IFSR"
    assert bank.programs == ["IRAN", "SDGT", "IRGC", "IFSR"]
    assert all(s.authority == "US OFAC" and s.source_id == "4632" for s in bank.sanctions)


def test_linked_to_items_become_links(ofac_by_uid):
    assert ofac_by_uid["4632"].links == [
        Link(relation="Linked To", target_name="ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE"),
        Link(relation="Linked To", target_name="HIZBALLAH"),
    ]


def test_sdn_comments_continuation_is_appended_to_the_remark(parsed_set):
    # uid 28264's remark in SDN.CSV stops at "...; P"; SDN_COMMENTS.CSV continues "hone Number 8613...".
    entity = next(e for e in parsed_set("legacy_2021-07").entities if e.source_id == "28264")
    assert entity.programs == ["DPRK3", "CYBER2"]
    (note,) = entity.get("notes")
    assert (
        "sections 510.201 and 510.210; Phone Number 8613314257947; alt. Phone Number 8618004121000;" in note
    )
    assert note.endswith("Linked To: LAZARUS GROUP.")
    assert entity.get("phone") == ["8613314257947", "8618004121000"]
    assert entity.get("weakAlias") == ["blackjack1987", "khaleesi"]
    assert (
        Identifier(
            type="national_id", value="210302198701102136", country="cn", label="Identification Number"
        )
        in entity.identifiers
    )
    assert entity.links == [Link(relation="Linked To", target_name="LAZARUS GROUP")]


@pytest.mark.parametrize("name", ALL_SETS)
def test_minus_zero_minus_nulls_never_appear_as_values(parsed_set, name):
    for entity in parsed_set(name).entities:
        values = [v for vs in entity.properties.values() for v in vs]
        values += [v for a in entity.addresses for v in vars(a).values() if v]
        values += [v for i in entity.identifiers for v in vars(i).values() if v]
        values += [s.program for s in entity.sanctions]
        for value in values:
            assert value.strip() != "-0-" and not value.startswith("-0- "), (entity.source_id, value)


@pytest.mark.parametrize("name", ALL_SETS)
def test_crlf_line_ends_and_the_eof_byte_never_reach_a_value(parsed_set, name):
    for entity in parsed_set(name).entities:
        for values in entity.properties.values():
            for value in values:
                assert "\x1a" not in value and "\r" not in value and "\n" not in value, entity.source_id


def test_last_record_before_the_eof_byte_is_read_whole(parsed_set):
    last = parsed_set("sdn_2024-05-03").entities[-1]
    assert last.get("notes")[0].endswith("Registration Number 9855920 (Turkey).")
    assert last.get("registrationNumber") == ["9855920"]


def test_crlf_file_ending_in_the_dos_eof_byte_parses(tmp_path):
    path = tmp_path / "sdn.csv"
    body = _row("1", "ONE LTD") + _row("2", "DOE, John", '"DOB 1960."', '"individual"')
    path.write_bytes(body.encode("ascii") + b"\x1a")
    parsed = ofac_csv.parse(path, "us_ofac_sdn")
    assert [e.source_id for e in parsed.entities] == ["1", "2"]
    assert parsed.entities[1].get("birthDate") == ["1960"]
    assert parsed.entities[1].get("notes") == ["DOB 1960."]


# -- remark items that contain apostrophes (regressions) ------------------------------------------


def test_apostrophe_inside_a_place_name_does_not_swallow_the_following_items(ofac_by_uid):
    person = ofac_by_uid[
        "10475"
    ]  # "POB 'Aniza, Saudi Arabia; nationality Saudi Arabia; a.k.a. 'THABIT, Shaykh Abu'; ..."
    assert person.get("birthPlace") == ["'Aniza, Saudi Arabia"]
    assert person.get("nationality") == ["sa"]
    assert person.get("weakAlias")[0] == "THABIT, Shaykh Abu"


def test_apostrophe_inside_prose_does_not_hide_a_later_weak_alias(ofac_by_uid):
    # "... issued under the name Said Jan 'Abd al-Salam; Passport 4117921 ...; a.k.a. 'NANGIALI'."
    assert ofac_by_uid["12562"].get("weakAlias") == ["NANGIALI"]


def test_weak_alias_ending_in_an_apostrophe_closes_at_the_item_end(ofac_by_uid):
    assert ofac_by_uid["16499"].get("weakAlias") == ["ABU AL-WAFA'", "ABU ANAS"]


def test_split_items_keeps_a_semicolon_inside_a_quoted_aka_name():
    assert split_items("DOB 1960; a.k.a. 'FOO; BAR'; nationality Iran.") == [
        "DOB 1960",
        "a.k.a. 'FOO; BAR'",
        "nationality Iran",
    ]


def test_nationality_of_registration_is_a_country_not_prose(ofac_by_uid, ofac_reconstructed):
    assert ofac_by_uid["23149"].get("country") == ["kp"]
    for entity in ofac_reconstructed.entities:
        for prop in ("country", "nationality"):
            assert not any(v.lower().startswith("of registration") for v in entity.get(prop)), (
                entity.source_id
            )


def test_vessel_flag_none_identified_is_no_flag(ofac_by_uid):
    assert ofac_by_uid["15047"].get("flag") == []  # DEVON: vessel flag column "None Identified"


# -- bad input ------------------------------------------------------------------------------------


def test_file_cut_inside_a_quoted_field_names_the_file_and_line(tmp_path):
    head = _official_head(200)
    cut = head.rindex(b',"', 0, len(head) - 2) + 12  # 10 bytes into row 200's quoted remarks
    path = tmp_path / "sdn.csv"
    path.write_bytes(head[:cut])
    assert head[:cut].count(b'"') % 2 == 1  # really inside quotes
    with pytest.raises(ListFormatError) as caught:
        ofac_csv.parse(path, "us_ofac_sdn")
    assert caught.value.path == str(path)
    assert caught.value.where == "line 200"
    assert str(path) in str(caught.value) and "line 200" in str(caught.value)
    assert "truncated" in str(caught.value)


def test_file_cut_after_a_field_separator_reports_the_short_row(tmp_path):
    head = _official_head(10)
    cut = head.rindex(b"\r\n", 0, len(head) - 2) + 2
    cut = head.index(b",", cut) + 1  # row 10 ends after its uid
    path = tmp_path / "sdn.csv"
    path.write_bytes(head[:cut])
    with pytest.raises(ListFormatError) as caught:
        ofac_csv.parse(path, "us_ofac_sdn")
    assert caught.value.where == "line 10"
    assert "expected 12 fields, found 2" in str(caught.value)


def test_row_with_a_wrong_field_count_names_its_line(tmp_path):
    good = _official_head(3).decode("ascii").split("\r\n")
    bad = good[1].rsplit(",", 1)[0]  # drop the remarks column: 11 fields
    path = tmp_path / "sdn.csv"
    path.write_text("\r\n".join([good[0], bad, good[2]]) + "\r\n", encoding="ascii", newline="")
    with pytest.raises(ListFormatError) as caught:
        ofac_csv.parse(path, "us_ofac_sdn")
    assert caught.value.where == "line 2"
    assert "expected 12 fields, found 11" in caught.value.message


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"")
    with pytest.raises(ListFormatError, match="no records") as caught:
        ofac_csv.parse(path, "us_ofac_sdn")
    assert caught.value.path == str(path)


def test_file_holding_only_the_eof_byte_is_refused(tmp_path):
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"\r\n\x1a")
    with pytest.raises(ListFormatError, match="no records"):
        ofac_csv.parse(path, "us_ofac_sdn")


def test_non_numeric_uid_is_refused_with_its_line(tmp_path):
    path = tmp_path / "sdn.csv"
    path.write_text(
        _row("36", "AEROCARIBBEAN AIRLINES") + _row("X7", "BAD UID LTD"), encoding="ascii", newline=""
    )
    with pytest.raises(ListFormatError) as caught:
        ofac_csv.parse(path, "us_ofac_sdn")
    assert caught.value.where == "line 2"
    assert "OFAC uid" in caught.value.message and "X7" in caught.value.message


def test_duplicate_uid_is_refused(tmp_path):
    path = tmp_path / "sdn.csv"
    path.write_text(_row("36", "ONE LTD") + _row("36", "TWO LTD"), encoding="ascii", newline="")
    with pytest.raises(ListFormatError, match="duplicate uid 36") as caught:
        ofac_csv.parse(path, "us_ofac_sdn")
    assert caught.value.where == "line 2"


def test_truncated_gzip_copy_is_refused(tmp_path):
    data = SDN_2024_05_03.read_bytes()
    path = tmp_path / "sdn.csv.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError, match="truncated compressed file") as caught:
        ofac_csv.parse(path, "us_ofac_sdn")
    assert caught.value.path == str(path)


def test_malformed_alias_file_in_a_set_names_that_file(tmp_path):
    (tmp_path / "sdn.csv").write_bytes(_official_head(5))
    (tmp_path / "alt.csv").write_text('36,12,"aka","CUBAN AIRLINES",-0- \r\n173,13,"aka"\r\n', newline="")
    with pytest.raises(ListFormatError) as caught:
        ofac_csv.parse(tmp_path, "us_ofac_sdn")
    assert caught.value.path == str(tmp_path / "alt.csv")
    assert caught.value.where == "line 2"
    assert "expected 5 fields, found 3" in caught.value.message


def test_folder_without_a_primary_file_is_refused(tmp_path):
    (tmp_path / "add.csv").write_text('36,1,-0- ,-0- ,"Cuba",-0- \r\n', newline="")
    with pytest.raises(ListFormatError, match="no sdn.csv or cons_prim.csv"):
        ofac_csv.parse(tmp_path, "us_ofac_sdn")
