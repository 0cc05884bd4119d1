"""The OFSI Consolidated List (XLSX) parser, against the bundled ConList.xlsx of 10 April 2025."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from followthemoney import model

from proscribe.model import IDENTIFIER_PROPS, Address, Identifier, Link, Sanction
from proscribe.sources import uk_ofsi
from proscribe.sources.base import ListFormatError

DATA = Path(__file__).resolve().parents[2] / "data"
CONLIST = DATA / "uk" / "ConList.xlsx"

REGIMES = {
    "Afghanistan",
    "Belarus",
    "Bosnia and Herzegovina",
    "Central African Republic",
    "Chemical Weapons",
    "Counter-Terrorism (Domestic)",
    "Counter-Terrorism (International)",
    "Cyber",
    "Democratic People's Republic of Korea",
    "Democratic Republic of the Congo",
    "Global Anti-Corruption",
    "Global Human Rights",
    "Guinea",
    "Guinea-Bissau",
    "Haiti",
    "ISIL (Da'esh) and Al-Qaida",
    "Iran",
    "Iran (Nuclear)",
    "Iraq",
    "Libya",
    "Mali",
    "Myanmar",
    "Nicaragua",
    "Russia",
    "Somalia",
    "South Sudan",
    "Sudan",
    "Syria",
    "Venezuela",
    "Yemen",
    "Zimbabwe",
}


@pytest.fixture(scope="module")
def parsed():
    return uk_ofsi.parse(CONLIST, "gb_hmt_sanctions")


@pytest.fixture(scope="module")
def by_id(parsed):
    return {entity.source_id: entity for entity in parsed.entities}


# -- the whole list -------------------------------------------------------------------------------


def test_one_entity_per_group_id(parsed):
    assert len(parsed.entities) == 4686
    assert len({e.source_id for e in parsed.entities}) == 4686
    assert all(e.id == f"gb_hmt_sanctions-{e.source_id}" for e in parsed.entities)
    assert parsed.dataset == "gb_hmt_sanctions"


def test_group_types_map_to_schemata(parsed):
    schemata = Counter(e.schema for e in parsed.entities)
    assert schemata["Person"] == 3662
    assert schemata["Company"] + schemata["Organization"] == 1009
    assert schemata["Vessel"] == 15
    assert set(schemata) == {"Person", "Company", "Organization", "Vessel"}


def test_all_31_regimes_become_sanction_programs(parsed):
    programs = {s.program for e in parsed.entities for s in e.sanctions}
    assert programs == REGIMES
    assert all(s.authority == "UK HM Treasury OFSI" for e in parsed.entities for s in e.sanctions)


def test_published_date_is_read_day_first_from_row_one(parsed):
    assert parsed.published == "2025-04-10"


def test_every_name_row_of_the_sheet_lands_on_its_entity(parsed, by_id):
    workbook = openpyxl.load_workbook(CONLIST, read_only=True, data_only=True)
    rows = list(workbook["Data"].iter_rows(min_row=3, values_only=True))
    workbook.close()
    assert len(rows) == 18796
    assert Counter(row[28] for row in rows) == {"Individual": 13691, "Entity": 5024, "Ship": 81}
    for row in rows:
        written = " ".join(part.strip() for part in (*row[1:6], row[0]) if part and part.strip())
        entity = by_id[row[35]]
        assert any(written == value for _, value in entity.names()), (row[35], written)


def test_only_properties_of_the_entity_schema_are_used(parsed):
    for entity in parsed.entities:
        properties = model.get(entity.schema).properties
        assert set(entity.properties) <= set(properties), entity.id
        assert all(ident.type in IDENTIFIER_PROPS for ident in entity.identifiers)


def test_no_name_is_repeated_under_a_weaker_property(parsed):
    for entity in parsed.entities:
        seen: set[str] = set()
        for prop in ("name", "alias", "previousName", "weakAlias"):
            values = set(entity.get(prop))
            assert not values & seen, (entity.id, prop, values & seen)
            seen |= values


# -- individual records ---------------------------------------------------------------------------


def test_person_name_is_given_names_then_name_6(by_id):
    haq = by_id["15672"]
    assert haq.schema == "Person"
    assert haq.get("name") == ["Mian Abdul HAQ"]
    # "Primary name variation" rows are spelling variants: strong aliases
    assert haq.get("alias") == ["Mian MITHOO", "Mian MITHU", "Mian MITTO", "Mian MITTU"]
    assert haq.get("position") == ["Cleric (“Pir”) of Bharchundi Sharif Shrine"]
    assert haq.get("gender") == ["male"]
    assert haq.get("nationality") == ["pk"]
    assert haq.sanctions == [
        Sanction(
            authority="UK HM Treasury OFSI",
            program="Global Human Rights",
            listing_date="2022-12-09",
            reason=haq.sanctions[0].reason,
            source_id="15672",
        )
    ]
    assert haq.sanctions[0].reason.startswith("Mian Abdul HAQ is a cleric")
    assert Identifier(type="other", value="GHR0086", label="UK Sanctions List Ref") in haq.identifiers


def test_year_only_date_of_birth_keeps_year_precision(by_id):
    # DOB cell "00/00/1961": day and month unknown
    baqi = by_id["6923"]
    assert baqi.get("name") == ["Nashwan Abd Al-Razzaq ABD AL-BAQI"]
    assert baqi.get("birthDate") == ["1961"]
    assert baqi.get("birthPlace") == ["Mosul, Iraq"]
    assert baqi.get("birthCountry") == ["iq"]


def test_several_dates_of_birth_from_repeated_rows_are_all_kept(by_id):
    assert by_id["6925"].get("birthDate") == ["1970-08-01", "1974-04-13", "1974-04-14", "1974-03-14"]


def test_person_with_passport_and_national_id(by_id):
    noorzai = by_id["12155"]
    assert noorzai.get("name") == ["MALIK NOORZAI"]
    passport = next(i for i in noorzai.identifiers if i.type == "passport")
    assert passport.value == "FA0157612"
    assert passport.country == "pk"  # from "Pakistani. Issued: 23/01/2009 ..."
    assert passport.label == "Passport Number"
    assert passport.note.startswith("Pakistani. Issued: 23/01/2009")
    national = next(i for i in noorzai.identifiers if i.type == "national_id")
    assert national.value == "54201-247561-5"
    assert noorzai.get("title") == ["Haji", "Hajji"]
    assert noorzai.get("birthDate") == ["1957", "1960", "1963-01-01"]


def test_ship_carries_imo_number_and_vessel_details(by_id):
    ship = by_id["13651"]
    assert ship.schema == "Vessel"
    assert ship.get("name") == ["SAM JONG 2"]
    assert "PETROCHEM VALOUR" in ship.get("alias")
    assert Identifier(type="imo", value="7408873", label="IMO number") in ship.identifiers
    assert ship.get("imoNumber") == ["7408873"]
    assert ship.get("flag") == ["kp"]
    assert ship.get("pastFlags") == ["ru"]
    assert ship.get("type") == ["Oil tanker"]
    assert ship.get("tonnage") == ["1676"]
    assert ship.get("buildDate") == ["1975"]
    assert (
        Link(relation="asset of", target_name="Korea Samjong Shipping", target_source_id="13635")
        in ship.links
    )
    assert [s.program for s in ship.sanctions] == ["Democratic People's Republic of Korea"]


def test_every_ship_has_an_imo_identifier(parsed):
    ships = [e for e in parsed.entities if e.schema == "Vessel"]
    assert len(ships) == 15
    assert all(any(i.type == "imo" and len(i.value) == 7 for i in e.identifiers) for e in ships)


def test_weak_alias_is_kept_apart_from_strong_aliases(by_id):
    ghailani = by_id["6925"]
    assert ghailani.get("name") == ["AHMED KHALFAN GHAILANI"]
    assert "FOOPIE" in ghailani.get("weakAlias")  # Alias Quality "Low quality"
    assert "FOOPIE" not in ghailani.get("alias")
    assert "Ahmed Khalfan AHMED" in ghailani.get("alias")  # Alias Quality "Good quality"
    assert "Ahmed Khalfan AHMED" not in ghailani.get("weakAlias")


def test_former_names_become_previous_names(by_id):
    assert by_id["13491"].get("previousName") == ["AHRAR-UL-HIND"]


def test_non_latin_script_name_is_an_alias_kept_verbatim(by_id):
    abakarov = by_id["14241"]
    assert abakarov.get("name") == ["Khizri Magomedovich ABAKAROV"]
    assert "Хизри Магомедович Абакаров" in abakarov.get("alias")
    assert "سپاه قدس" in by_id["11241"].get("alias")


def test_address_has_lines_city_and_country_code(by_id):
    haq = by_id["15672"]
    assert haq.addresses == [
        Address(
            full="Hafizabad Taluka Daharki, District Ghotki, Pakistan",
            street="Hafizabad Taluka Daharki, District Ghotki",
            country="pk",
            country_name="Pakistan",
        )
    ]
    irgc = by_id["11241"]
    assert Address(full="Tehran, Iran", city="Tehran", country="ir", country_name="Iran") in irgc.addresses
    assert "ir" in irgc.get("country")


def test_entity_with_two_regimes_has_two_sanctions(by_id):
    irgc = by_id["11241"]
    assert irgc.schema == "Organization"
    assert {(s.program, s.listing_date) for s in irgc.sanctions} == {
        ("Iran (Nuclear)", "2010-07-27"),
        ("Syria", "2011-08-24"),
    }
    assert {i.value for i in irgc.identifiers if i.label == "UK Sanctions List Ref"} == {"INU0082", "SYR0310"}


# -- the helpers ----------------------------------------------------------------------------------


def test_enumerated_cells_are_split():
    assert uk_ofsi.split_enumerated("(1) Mullah (2) Maulavi") == ["Mullah", "Maulavi"]
    assert uk_ofsi.split_enumerated("(1) to (6) Algeria (7) Morocco") == ["Algeria", "Morocco"]
    assert uk_ofsi.split_enumerated("(1) - . (2) Diplomatic passport") == ["Diplomatic passport"]
    assert uk_ofsi.split_enumerated("Resolution 2371 (2017)") == ["Resolution 2371 (2017)"]


def test_historical_and_qualified_country_names_resolve():
    assert uk_ofsi.country_of("Ukrainian SSR (now Ukraine)") == "ua"
    assert uk_ofsi.country_of("Former USSR, now Kyrgyzstan") == "kg"
    assert uk_ofsi.country_of("Iraq (previous address)") == "iq"
    assert uk_ofsi.country_of("Congo (Democratic Republic)") == "cd"
    assert uk_ofsi.country_of("115088") is None


def test_business_registration_numbers_are_typed():
    found = uk_ofsi._registration_numbers("(1) INN: 7704366170 (2) OGRN: 1167700061540")
    assert [(i.type, i.value, i.label) for i in found] == [
        ("inn", "7704366170", "INN"),
        ("ogrn", "1167700061540", "OGRN"),
    ]
    found = uk_ofsi._registration_numbers("1067746244026 dated 27/07/1992. Tax ID: 7705713236")
    assert [(i.type, i.value) for i in found] == [("registration", "1067746244026"), ("tax_id", "7705713236")]


# -- bad input ------------------------------------------------------------------------------------

HEADER = [
    "Name 6",
    "Name 1",
    "Name 2",
    "Name 3",
    "Name 4",
    "Name 5",
    "Title",
    "Name Non-Latin Script",
    "DOB",
    "Country",
    "Other Information",
    "Group Type",
    "Alias Type",
    "Alias Quality",
    "Regime",
    "Listed On",
    "Group ID",
]


def _row(**cells):
    return [cells.get(column) for column in HEADER]


def _workbook(path: Path, header: list[str], rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(["Last Updated", "10/04/2025"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


GOOD_ROW = _row(
    **{
        "Name 6": "SMITH",
        "Name 1": "John",
        "DOB": "00/05/1970",
        "Group Type": "Individual",
        "Alias Type": "Primary name",
        "Regime": "Russia",
        "Listed On": "01/02/2023",
        "Group ID": "99",
    }
)


def test_small_hand_built_workbook_parses(tmp_path):
    path = _workbook(tmp_path / "ok.xlsx", HEADER, [GOOD_ROW])
    result = uk_ofsi.parse(path, "gb_hmt_sanctions")
    assert result.published == "2025-04-10"
    [entity] = result.entities
    assert (entity.source_id, entity.schema, entity.get("name")) == ("99", "Person", ["John SMITH"])
    assert entity.get("birthDate") == ["1970-05"]
    assert entity.sanctions[0].listing_date == "2023-02-01"


def test_missing_required_column_is_named(tmp_path):
    header = [h for h in HEADER if h != "Group ID"]
    path = _workbook(tmp_path / "no_group_id.xlsx", header, [GOOD_ROW[:-1]])
    with pytest.raises(ListFormatError) as error:
        uk_ofsi.parse(path, "gb_hmt_sanctions")
    assert "'Group ID'" in str(error.value)
    assert error.value.where == "row 2 (header)"
    assert error.value.path == str(path)


def test_truncated_workbook_is_refused(tmp_path):
    truncated = tmp_path / "ConList.xlsx"
    data = CONLIST.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError) as error:
        uk_ofsi.parse(truncated, "gb_hmt_sanctions")
    assert error.value.path == str(truncated)
    assert error.value.where == "zip container"


def test_row_with_empty_name_is_an_error_naming_the_row(tmp_path):
    nameless = _row(**{"Group Type": "Entity", "Alias Type": "AKA", "Regime": "Iran", "Group ID": "7"})
    path = _workbook(tmp_path / "nameless.xlsx", HEADER, [GOOD_ROW, nameless])
    with pytest.raises(ListFormatError) as error:
        uk_ofsi.parse(path, "gb_hmt_sanctions")
    assert error.value.where == "row 4"
    assert "empty name" in error.value.message


def test_sheet_without_a_header_row_is_refused(tmp_path):
    path = _workbook(tmp_path / "noheader.xlsx", ["a", "b", "c"], [["x", "y", "z"]])
    with pytest.raises(ListFormatError, match="no header row"):
        uk_ofsi.parse(path, "gb_hmt_sanctions")
