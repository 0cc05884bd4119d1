"""Internal-list CSV parser, against the documented example file (docs/custom-list.md)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from followthemoney import model as ftm_model

from proscribe.model import Address, Identifier, Sanction
from proscribe.sources import custom_csv
from proscribe.sources.base import ListFormatError

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "custom" / "internal_list.csv"
HEADER = "id,schema,name,aliases,weak_aliases,birth_date,country,program,listing_date,passport,crypto,email"


@pytest.fixture(scope="module")
def parsed():
    return custom_csv.parse(EXAMPLE, "acme_internal")


def by_source(parsed, source_id):
    return next(e for e in parsed.entities if e.source_id == source_id)


def write(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def error_for(path: Path) -> ListFormatError:
    with pytest.raises(ListFormatError) as err:
        custom_csv.parse(path, "acme_internal")
    return err.value


# -- the example file ---------------------------------------------------------------------------


def test_example_file_yields_nine_entities_of_every_schema(parsed):
    assert len(parsed.entities) == 9
    assert Counter(e.schema for e in parsed.entities) == {
        "Person": 3,
        "Company": 2,
        "Organization": 1,
        "LegalEntity": 1,
        "Vessel": 1,
        "Airplane": 1,
    }
    assert parsed.warnings == []
    assert parsed.published is None


def test_person_row_maps_every_column(parsed):
    person = by_source(parsed, "INT-0001")
    assert person.id == "acme_internal-INT-0001"
    assert person.dataset == "acme_internal"
    assert person.get("name") == ["Dmitri Arkadyevich VOLNOGORSKY"]
    assert person.get("alias") == ["Дмитрий Аркадьевич ВОЛНОГОРСКИЙ", "Dmitry Volnogorskiy"]
    assert person.get("weakAlias") == ["Dima V."]
    assert person.get("birthDate") == ["1968-07-14"]
    assert person.get("nationality") == ["ru"]
    assert person.get("country") == ["ru"]
    assert person.addresses == [
        Address(full="Flat 12, 8 Primer Embankment, St Petersburg, 190000", country="ru", country_name=None)
    ]
    assert person.identifiers == [Identifier(type="passport", value="7012345678", label="passport")]
    assert person.sanctions == [
        Sanction(
            authority="acme_internal",
            program="INTERNAL-EXIT",
            listing_date="2024-02-19",
            reason="Relationship exited after adverse media on export-control evasion",
        )
    ]
    assert person.get("notes") == ["FICTITIOUS example record"]


def test_weak_aliases_are_kept_apart_from_strong_aliases(parsed):
    company = by_source(parsed, "INT-0002")
    assert company.get("alias") == ["ООО «Нордвинд Полар Логистикс»", "Nordvind Polar Logistiks OOO"]
    assert company.get("weakAlias") == ["NPL"]


def test_several_programs_give_several_designations(parsed):
    company = by_source(parsed, "INT-0002")
    assert company.programs == ["INTERNAL-EXIT", "INTERNAL-RU-EVASION"]
    assert {s.listing_date for s in company.sanctions} == {"2024-06-03"}


def test_company_identifiers_are_typed(parsed):
    company = by_source(parsed, "INT-0002")
    assert {(i.type, i.value) for i in company.identifiers} == {
        ("tax_id", "5190000000"),
        ("registration", "1195100000017"),
        ("website", "https://northwind-polar.example"),
        ("email", "info@northwind-polar.example"),
    }
    meridian = by_source(parsed, "INT-0007")
    assert {(i.type, i.value) for i in meridian.identifiers} == {
        ("registration", "FZE-000000"),
        ("lei", "999900FICTMERIDIAN23"),
        ("swift_bic", "FICTAEADXXX"),
    }


def test_year_only_birth_date_keeps_its_precision_and_crypto_keeps_its_currency(parsed):
    person = by_source(parsed, "INT-0003")
    assert person.get("birthDate") == ["1983"]
    assert person.get("alias")[0] == "李文浩"
    crypto = [(i.currency, i.value) for i in person.identifiers if i.type == "crypto"]
    assert crypto == [
        ("XBT", "bc1qfictitious0example0address000000000"),
        ("ETH", "0x5ec0000000000000000000000000000000f1c7"),
    ]


def test_country_names_resolve_to_iso_codes_and_keep_the_written_name(parsed):
    foundation = by_source(parsed, "INT-0004")
    assert foundation.get("country") == ["lb"]
    assert foundation.addresses[0].country == "lb"
    assert foundation.addresses[0].country_name == "Lebanon"
    assert foundation.get("alias") == ["مؤسسة النور النموذجية الخيرية"]


def test_vessel_and_airplane_rows(parsed):
    vessel = by_source(parsed, "INT-0005")
    assert vessel.get("buildDate") == ["2004"]
    assert vessel.identifiers == [Identifier(type="imo", value="IMO 1234567", label="imo")]
    assert vessel.get("country") == ["pa"]
    plane = by_source(parsed, "INT-0006")
    assert plane.identifiers == [Identifier(type="registration", value="EX-99999", label="registration")]
    assert plane.get("country") == ["kg"]


def test_notes_are_free_text_not_split_on_semicolons(parsed):
    vessel = by_source(parsed, "INT-0005")
    assert vessel.get("notes") == ["FICTITIOUS example record; IMO number is the textbook example number"]


def test_accented_and_greek_names_are_kept_verbatim(parsed):
    assert by_source(parsed, "INT-0008").get("name") == ["María José FERNÁNDEZ DE LA SIERRA"]
    assert by_source(parsed, "INT-0009").get("name") == ["Ηλιόπετρα Ναυτιλιακή Α.Ε."]


def test_every_property_is_valid_for_the_entity_schema(parsed):
    for entity in parsed.entities:
        schema = ftm_model.get(entity.schema)
        for prop in entity.properties:
            assert prop in schema.properties, (entity.schema, prop)


# -- format details -----------------------------------------------------------------------------


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    assert len(custom_csv.parse(path, "acme_internal").entities) == 9


def test_columns_may_be_left_out_and_reordered(tmp_path):
    path = write(tmp_path, "Company,X-1,Example Trading Ltd", header="schema,id,name")
    (entity,) = custom_csv.parse(path, "acme_internal").entities
    assert (entity.source_id, entity.schema, entity.caption) == ("X-1", "Company", "Example Trading Ltd")
    assert entity.sanctions == []


def test_schema_is_case_insensitive(tmp_path):
    path = write(tmp_path, "X-1,person,Jane Example,,,,,,,,,")
    assert custom_csv.parse(path, "acme_internal").entities[0].schema == "Person"


def test_nationality_of_a_company_counts_as_its_country(tmp_path):
    path = write(tmp_path, "X-1,Company,Example Ltd,Iran", header="id,schema,name,nationality")
    entity = custom_csv.parse(path, "acme_internal").entities[0]
    assert entity.get("country") == ["ir"]
    assert "nationality" not in entity.properties


def test_unrecognised_country_is_kept_as_written_with_a_warning(tmp_path):
    path = write(tmp_path, "X-1,Company,Example Ltd,Atlantis", header="id,schema,name,country")
    parsed = custom_csv.parse(path, "acme_internal")
    assert parsed.entities[0].get("country") == ["Atlantis"]
    assert parsed.warnings == ["row 2, column country: country 'Atlantis' not recognised, kept as written"]


def test_blank_rows_are_skipped_but_counted_in_row_numbers(tmp_path):
    path = write(tmp_path, "X-1,Person,Jane Example,,,,,,,,,", "", "X-1,Person,Joe Example,,,,,,,,,")
    err = error_for(path)
    assert err.where == "row 4, column id"


# -- bad input ----------------------------------------------------------------------------------


def test_unknown_column_is_rejected_naming_it(tmp_path):
    path = write(tmp_path, "X-1,Person,Jane Example,Jane E.", header="id,schema,name,alias")
    err = error_for(path)
    assert err.where == "row 1"
    assert "'alias'" in err.message
    assert "aliases" in err.message  # the documented spelling is suggested


def test_missing_required_column_is_rejected(tmp_path):
    err = error_for(write(tmp_path, "X-1,Jane Example", header="id,name"))
    assert err.where == "row 1"
    assert "schema" in err.message


def test_duplicate_column_is_rejected(tmp_path):
    err = error_for(write(tmp_path, "X-1,Person,Jane,Joe", header="id,schema,name,name"))
    assert "duplicate column" in err.message


def test_duplicate_id_is_rejected_naming_both_rows(tmp_path):
    path = write(
        tmp_path,
        "X-1,Person,Jane Example,,,,,,,,,",
        "X-2,Person,John Example,,,,,,,,,",
        "X-1,Company,Example Ltd,,,,,,,,,",
    )
    err = error_for(path)
    assert err.where == "row 4, column id"
    assert "first used in row 2" in err.message
    assert str(path) in str(err)


@pytest.mark.parametrize(
    ("row", "where", "message"),
    [
        (",Person,Jane Example,,,,,,,,,", "row 3, column id", "id is required"),
        ("X-1,Person,,,,,,,,,,", "row 3, column name", "name is required"),
        ("X-1,Human,Jane Example,,,,,,,,,", "row 3, column schema", "unknown schema 'Human'"),
        ("X-1,Person,Jane Example,,,1970-02-30,,,,,,", "row 3, column birth_date", "invalid date"),
        ("X-1,Person,Jane Example,,,19/02/1970,,,,,,", "row 3, column birth_date", "invalid date"),
        ("X-1,Person,Jane Example,,,,,P,2024-13-01,,,", "row 3, column listing_date", "invalid date"),
        ("X-1,Person,Jane Example,,,,,,,,bc1qnocurrency,", "row 3, column crypto", "CURRENCY:address"),
        ("X-1,Person,Jane Example,,,,,,,,,jane.example.com", "row 3, column email", "not an e-mail"),
        ("X-1,Person,Jane Example,,,,,,,,,,extra", "row 3", "has 13 fields"),
        ("X-1,Person,Jane Example", "row 3", "has 3 fields"),
    ],
)
def test_bad_row_is_rejected_naming_row_and_column(tmp_path, row, where, message):
    err = error_for(write(tmp_path, "X-0,Person,Fine Example,,,,,,,,,", row))
    assert err.where == where
    assert message in err.message


def test_truncated_file_is_rejected(tmp_path):
    data = EXAMPLE.read_bytes()
    cut = data.index(b"Kowloon")  # inside a quoted address of row 4
    path = tmp_path / "truncated.csv"
    path.write_bytes(data[:cut])
    err = error_for(path)
    assert err.where is not None and err.where.startswith("line ")
    assert "malformed CSV" in err.message


def test_truncated_unquoted_row_is_rejected_by_field_count(tmp_path):
    data = EXAMPLE.read_bytes()
    cut = data.index(b"INTERNAL-TF")  # row 5 loses its last columns
    path = tmp_path / "truncated.csv"
    path.write_bytes(data[:cut])
    err = error_for(path)
    assert err.where == "row 5"


def test_non_utf8_file_is_rejected_naming_the_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "\nX-1,Person,Mar\xeda Example,,,,,,,,,\n").encode("latin-1"))
    err = error_for(path)
    assert err.where == "line 2"
    assert "UTF-8" in err.message


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "empty" in error_for(path).message
