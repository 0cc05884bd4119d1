"""The DFAT Consolidated List (XLSX) parser, against the bundled dfat_consolidated.xlsx."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from followthemoney import model

from proscribe.model import IDENTIFIER_PROPS, Address, Identifier, Sanction
from proscribe.sources import au_dfat
from proscribe.sources.base import ListFormatError

DATA = Path(__file__).resolve().parents[2] / "data"
DFAT = DATA / "au" / "dfat_consolidated.xlsx"


@pytest.fixture(scope="module")
def parsed():
    return au_dfat.parse(DFAT, "au_dfat_sanctions")


@pytest.fixture(scope="module")
def by_id(parsed):
    return {entity.source_id: entity for entity in parsed.entities}


@pytest.fixture(scope="module")
def sheet_rows():
    workbook = openpyxl.load_workbook(DFAT, read_only=True, data_only=True)
    rows = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    workbook.close()
    return rows


# -- the whole list -------------------------------------------------------------------------------


def test_one_entity_per_primary_reference(parsed):
    assert len(parsed.entities) == 3846
    assert len({e.source_id for e in parsed.entities}) == 3846
    assert all(re.fullmatch(r"\d+", e.source_id) for e in parsed.entities)
    assert all(e.id == f"au_dfat_sanctions-{e.source_id}" for e in parsed.entities)
    assert all(len(e.get("name")) == 1 for e in parsed.entities)


def test_types_map_to_schemata(parsed):
    schemata = Counter(e.schema for e in parsed.entities)
    assert schemata["Person"] == 2543
    assert schemata["Company"] + schemata["Organization"] == 1041
    assert schemata["Vessel"] == 262


def test_file_rows_are_primary_names_aliases_and_original_scripts(sheet_rows):
    assert len(sheet_rows) == 11068
    assert Counter(row[3] for row in sheet_rows) == {
        "Primary Name": 3846,
        "Alias": 6767,
        "Original Script": 455,
    }
    assert Counter(row[2] for row in sheet_rows) == {"Individual": 7197, "Entity": 3609, "Vessel": 262}


def test_every_alias_and_original_script_row_lands_on_its_entity(by_id, sheet_rows):
    for reference, name, _, name_type, strength, *_ in sheet_rows:
        entity = by_id[re.match(r"\d+", str(reference)).group()]
        name = name.strip()
        if name_type == "Primary Name":
            assert entity.get("name") == [name]
        elif name_type == "Original Script" or strength == "Strong":
            assert name in entity.get("alias") + entity.get("name"), (reference, name)
        else:
            assert strength == "Weak"
            assert name in entity.get("weakAlias") + entity.get("alias") + entity.get("name"), (
                reference,
                name,
            )


def test_alias_totals_after_merging_duplicates(parsed):
    # 6,316 strong aliases + 455 original-script names, less names repeated within an entry
    assert sum(len(e.get("alias")) for e in parsed.entities) == 6739
    assert sum(len(e.get("weakAlias")) for e in parsed.entities) == 448


def test_file_states_no_publication_date(parsed):
    assert parsed.published is None


def test_control_date_is_kept_as_modified_at_not_publication(parsed, by_id):
    assert max(v for e in parsed.entities for v in e.get("modifiedAt")) == "2026-07-21"
    assert by_id["8421"].get("modifiedAt") == ["2025-12-03"]


def test_only_properties_of_the_entity_schema_are_used(parsed):
    for entity in parsed.entities:
        assert set(entity.properties) <= set(model.get(entity.schema).properties), entity.id
        assert all(ident.type in IDENTIFIER_PROPS for ident in entity.identifiers)


def test_no_name_is_repeated_under_a_weaker_property(parsed):
    for entity in parsed.entities:
        seen: set[str] = set()
        for prop in ("name", "alias", "previousName", "weakAlias"):
            values = set(entity.get(prop))
            assert not values & seen, (entity.id, prop, values & seen)
            seen |= values


# -- individual records ---------------------------------------------------------------------------


def test_original_script_name_is_an_alias_and_year_list_dates_keep_year_precision(by_id):
    akhund = by_id["2"]
    assert akhund.schema == "Person"
    assert akhund.get("name") == ["MOHAMMAD HASSAN AKHUND"]
    assert akhund.get("alias") == ["محمد حسن أخوند"]
    # Date of Birth "1945, 1946, 1947, 1948, 1949, 1950, 1955, 1956, 1957, 1958"
    assert akhund.get("birthDate") == [
        "1945",
        "1946",
        "1947",
        "1948",
        "1949",
        "1950",
        "1955",
        "1956",
        "1957",
        "1958",
    ]
    assert akhund.get("birthPlace") == ["Pashmul village, Panjwai District, Kandahar Province, Afghanistan"]
    assert akhund.get("birthCountry") == ["af"]
    assert akhund.get("citizenship") == ["af"]
    assert akhund.sanctions == [
        Sanction(
            authority="Australia DFAT", program="1988 (Taliban)", listing_date="2001-01-25", source_id="2"
        )
    ]
    assert "Measures: Targeted Financial Sanction, Travel Ban, Arms Embargo" in akhund.get("notes")


def test_mixed_date_of_birth_text_keeps_each_precision(by_id):
    # "Approximately 1963, 30/01/1972"
    assert by_id["3"].get("birthDate") == ["1963", "1972-01-30"]


def test_date_of_birth_helper_reads_cells_and_text():
    import datetime

    assert au_dfat._birth_dates(datetime.datetime(1966, 9, 19)) == ["1966-09-19"]
    assert au_dfat._birth_dates(1957) == ["1957"]
    assert au_dfat._birth_dates("5 May 1957, April 1957, May 1957") == ["1957-05-05", "1957-04", "1957-05"]
    assert au_dfat._birth_dates("Approximately: Between 1959 and 1961") == ["1959", "1960", "1961"]
    assert au_dfat._birth_dates("10/061962") == []


def test_weak_alias_is_kept_apart_from_strong_aliases(by_id):
    anwari = by_id["5"]
    assert anwari.get("name") == ["Muhammad Taher Anwari"]
    assert anwari.get("weakAlias") == ["Haji Mudir"]
    assert "Haji Mudir" not in anwari.get("alias")
    zawahiri = by_id["147"]
    assert {"Abu Fatma", "Abu Mohammed"} <= set(zawahiri.get("weakAlias"))
    assert not {"Abu Fatma", "Abu Mohammed"} & set(zawahiri.get("alias"))


def test_person_with_passports_from_additional_information(by_id):
    baradar = by_id["24"]
    assert baradar.get("name") == ["Abdul Ghani Baradar Abdul Ahmad Turk"]
    passports = [i for i in baradar.identifiers if i.type == "passport"]
    assert [(i.value, i.country) for i in passports] == [("D0009751", "af"), ("P04999950", "af")]
    assert passports[0].note.startswith("Afghanistan number D0009751, issued on 16 Oct. 2021")
    assert baradar.addresses == [Address(full="Kabul, Afghanistan", country="af", country_name="Afghanistan")]


def test_vessel_has_imo_identifier_and_previous_name(by_id):
    runner = by_id["8421"]
    assert runner.schema == "Vessel"
    assert runner.get("name") == ["PACIFIC RUNNER"]
    assert runner.identifiers == [Identifier(type="imo", value="9285859", label="IMO Number")]
    assert runner.get("imoNumber") == ["9285859"]
    assert runner.get("previousName") == ["EASTERN PEARL"]
    assert [s.program for s in runner.sanctions] == ["Autonomous (Vessels)"]


def test_all_vessels_but_the_dprk_vessel_class_have_an_imo(parsed):
    without = [e.caption for e in parsed.entities if e.schema == "Vessel" and not e.get("imoNumber")]
    assert without == ["DPRK Vessel Class"]


def test_company_imo_number_is_read_from_additional_information(by_id):
    company = by_id["3164"]
    assert company.schema == "Company"
    assert company.get("name") == ["CHONGCHONGANG SHIPPING COMPANY"]
    assert (
        Identifier(type="imo", value="5342883", label="IMO (Additional Information)") in company.identifiers
    )
    assert company.get("imoNumber") == ["5342883"]


def test_address_country_is_coded(by_id):
    company = by_id["3164"]
    assert company.addresses[0] == Address(
        full="817 Haeun, Donghung-dong, Central District, Pyongyang, Democratic People's Republic of Korea",
        country="kp",
        country_name="Democratic People's Republic of Korea",
    )
    assert company.get("country") == ["kp"]


def test_labelled_contact_and_registration_details_are_extracted(by_id):
    gas = by_id["2940"]
    assert gas.get("website") == ["http://gas.crimea.ru/"]
    assert gas.get("email") == ["office@gas.crimea.ru"]
    assert gas.get("phone") == ["+7 (3652) 66-70-00", "+7 (3652) 66-78-00"]
    assert (
        Identifier(
            type="registration",
            value="1149102099717",
            country="ru",
            label="Registration ID",
            note="1149102099717 (Russia)",
        )
        in gas.identifiers
    )
    assert any(i.type == "tax_id" and i.value == "9102048801" for i in gas.identifiers)
    assert {a.country for a in gas.addresses} == {"ua-cri"}


# -- bad input ------------------------------------------------------------------------------------

HEADER = [
    "Reference",
    "Name of Individual or Entity",
    "Type",
    "Name Type",
    "Alias Strength",
    "Date of Birth",
    "Citizenship",
    "Committees",
    "Control Date",
]


def _workbook(path: Path, header: list[str], rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Consolidated List"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


GOOD_ROWS = [
    [10, "Jane DOE", "Individual", "Primary Name", None, "1970", "Iran", "Autonomous (Iran)", None],
    ["10a", "J. DOE", "Individual", "Alias", "Weak", "1970", "Iran", "Autonomous (Iran)", None],
]


def test_small_hand_built_workbook_parses(tmp_path):
    result = au_dfat.parse(_workbook(tmp_path / "ok.xlsx", HEADER, GOOD_ROWS), "au_dfat_sanctions")
    [entity] = result.entities
    assert (entity.source_id, entity.get("name"), entity.get("weakAlias")) == ("10", ["Jane DOE"], ["J. DOE"])
    assert entity.get("citizenship") == ["ir"]


def test_missing_required_column_is_named(tmp_path):
    header = [h for h in HEADER if h != "Name Type"]
    rows = [
        [cell for column, cell in zip(HEADER, row, strict=True) if column != "Name Type"] for row in GOOD_ROWS
    ]
    path = _workbook(tmp_path / "no_name_type.xlsx", header, rows)
    with pytest.raises(ListFormatError) as error:
        au_dfat.parse(path, "au_dfat_sanctions")
    assert "'Name Type'" in str(error.value)
    assert error.value.where == "row 1 (header)"


def test_truncated_workbook_is_refused(tmp_path):
    truncated = tmp_path / "dfat_consolidated.xlsx"
    data = DFAT.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError) as error:
        au_dfat.parse(truncated, "au_dfat_sanctions")
    assert error.value.path == str(truncated)
    assert error.value.where == "zip container"


def test_row_with_empty_name_is_an_error_naming_the_row(tmp_path):
    rows = [*GOOD_ROWS, ["10b", "  ", "Individual", "Alias", "Strong", None, None, "Autonomous (Iran)", None]]
    with pytest.raises(ListFormatError) as error:
        au_dfat.parse(_workbook(tmp_path / "nameless.xlsx", HEADER, rows), "au_dfat_sanctions")
    assert error.value.where == "row 4"
    assert "empty name" in error.value.message


def test_alias_without_primary_row_is_an_error(tmp_path):
    rows = [
        GOOD_ROWS[0],
        ["11a", "Orphan", "Entity", "Alias", "Strong", None, None, "Autonomous (Iran)", None],
    ]
    with pytest.raises(ListFormatError) as error:
        au_dfat.parse(_workbook(tmp_path / "orphan.xlsx", HEADER, rows), "au_dfat_sanctions")
    assert error.value.where == "row 3"
    assert "without a Primary Name" in error.value.message


def test_unreadable_reference_is_an_error(tmp_path):
    rows = [["X-1", "Someone", "Individual", "Primary Name", None, None, None, "Autonomous (Iran)", None]]
    with pytest.raises(ListFormatError) as error:
        au_dfat.parse(_workbook(tmp_path / "badref.xlsx", HEADER, rows), "au_dfat_sanctions")
    assert error.value.where == "row 2"
