"""Canada SEMA consolidated autonomous sanctions list XML parser, against the bundled file."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import model

from proscribe.model import Identifier, Sanction
from proscribe.sources import ca_sema
from proscribe.sources.base import ListFormatError

DATA = Path(__file__).resolve().parents[2] / "data"
CA_XML = DATA / "ca" / "sema_consolidated.xml.gz"


@pytest.fixture(scope="module")
def parsed():
    return ca_sema.parse(CA_XML, "ca_dfatd_sema_sanctions")


@pytest.fixture(scope="module")
def by_id(parsed):
    return {entity.source_id: entity for entity in parsed.entities}


def _xml_bytes() -> bytes:
    return gzip.decompress(CA_XML.read_bytes())


def _write(tmp_path: Path, records: str) -> Path:
    path = tmp_path / "sema.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<data-set>\n' + records + "\n</data-set>\n", encoding="utf-8"
    )
    return path


# -- the whole file -------------------------------------------------------------------------------


def test_every_record_row_is_one_entity_4759_in_all(parsed):
    # Rows are not merged: a party listed under two regimes stays two entities (see below).
    assert _xml_bytes().count(b"<record>") == 4759
    assert len(parsed.entities) == 4759
    counts = Counter(entity.schema for entity in parsed.entities)
    assert counts == {"Person": 3334, "Company": 719, "Organization": 597, "Vessel": 109}
    assert parsed.dataset == "ca_dfatd_sema_sanctions"
    assert parsed.warnings == []


def test_parties_listed_under_two_regimes_are_not_merged(parsed):
    keys = Counter((e.caption.casefold(), tuple(e.get("birthDate"))) for e in parsed.entities)
    repeated = {key: n for key, n in keys.items() if n > 1}
    assert len(repeated) == 6
    assert keys[("nicolás maduro moros", ())] == 2
    maduro = [e for e in parsed.entities if e.caption == "Nicolás MADURO MOROS"]
    assert sorted(e.sanctions[0].program for e in maduro) == [
        "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR)",
        "Venezuela",
    ]


def test_no_publication_date_is_invented(parsed):
    assert parsed.published is None


def test_source_ids_from_regime_schedule_and_item_are_unique(parsed, by_id):
    assert len(by_id) == len(parsed.entities) == 4759
    assert "Russia/1-Part-1/1114" in by_id
    assert "Venezuela/-/117" in by_id  # no Schedule element
    assert all(e.id == f"ca_dfatd_sema_sanctions-{e.source_id}" for e in parsed.entities)


def test_every_property_is_valid_for_its_ftm_schema(parsed):
    for entity in parsed.entities:
        schema = model.get(entity.schema)
        assert set(entity.properties) <= set(schema.properties), entity.source_id


def test_regimes_become_programs_with_listing_dates(parsed):
    programs = Counter(e.sanctions[0].program for e in parsed.entities)
    assert programs["Russia"] == 2426
    assert programs["Myanmar (Burma)"] == 241
    assert programs["Venezuela"] == 123
    assert len(programs) == 19
    assert all(len(e.sanctions) == 1 and e.sanctions[0].listing_date for e in parsed.entities)
    assert max(e.sanctions[0].listing_date for e in parsed.entities) == "2025-03-20"
    authorities = Counter(e.sanctions[0].authority for e in parsed.entities)
    assert authorities == {"Canada SEMA": 4679, "Canada JVCFOA": 80}


# -- records --------------------------------------------------------------------------------------


def test_vessel_with_imo_type_and_build_year(by_id):
    vessel = by_id["Russia/1.1/1"]
    assert vessel.schema == "Vessel"
    assert vessel.get("name") == ["Balitiyskiy III"]
    assert vessel.get("type") == ["General Cargo / Multi Purpose"]
    assert vessel.get("imoNumber") == ["7612448"]
    assert vessel.get("buildDate") == ["1980"]
    assert vessel.get("birthDate") == []
    assert vessel.identifiers == [Identifier(type="imo", value="7612448", label="Ship IMO Number")]
    assert vessel.sanctions == [
        Sanction(
            authority="Canada SEMA", program="Russia", listing_date="2025-02-21", source_id="Russia/1.1/1"
        )
    ]


def test_all_109_ships_have_an_imo_identifier(parsed):
    vessels = [e for e in parsed.entities if e.schema == "Vessel"]
    assert len(vessels) == 109
    assert all([i.type for i in v.identifiers] == ["imo"] for v in vessels)


def test_person_with_birth_date_and_aliases_in_two_scripts(by_id):
    person = by_id["Belarus/1-Part-1/120"]
    assert person.schema == "Person"
    assert person.get("name") == ["Nikolai Aleksandrovich LUKASHENKO"]
    assert person.get("firstName") == ["Nikolai Aleksandrovich"]
    assert person.get("lastName") == ["LUKASHENKO"]
    assert person.get("birthDate") == ["2004-08-31"]
    # "Mikalay Alyaksandravich Lukashenka, Kolya Lukashenko, Belarusian: Мікалай ...; Russian: ..."
    assert person.get("alias") == [
        "Mikalay Alyaksandravich Lukashenka",
        "Kolya Lukashenko",
        "Мікалай Аляксандравіч Лукашэнка",
        "Николай Александрович Лукашенко",
        "Коля Лукашенко",
    ]
    assert person.get("country") == ["by"]
    assert person.sanctions[0].program == "Belarus"
    assert person.sanctions[0].listing_date == "2024-08-08"


def test_year_only_birth_date_keeps_year_precision(by_id):
    assert by_id["Belarus/1-Part-1/2"].get("birthDate") == ["1972"]


def test_one_word_person_alias_is_weak(by_id):
    person = by_id["Russia/1-Part-1/1283"]  # "Timati; Тимур Ильдарович Юнусов; Тимати"
    assert person.get("weakAlias") == ["Timati", "Тимати"]
    assert person.get("alias") == ["Тимур Ильдарович Юнусов"]


def test_alternatives_joined_by_or_and_slash_are_split(by_id):
    assert by_id["Belarus/1-Part-1.1/90"].get("alias") == [
        "Анна Андреевна Пушкарева",
        "Анна Андреевна Шейман",
    ]
    assert by_id["Belarus/1-Part-2/41"].get("alias") == [
        'Общество с ограниченной ответственностью "Актуальные решения безопасности"',
        'ООО "АРБ"',
    ]


def test_commas_inside_an_entity_name_do_not_split_it(by_id):
    assert by_id["Russia/1-Part-2/351"].get("alias") == ["Конкорд Менеджмент и консалтинг, ООО"]
    [long_name, short] = by_id["Russia/1-Part-2/181"].get("alias")
    assert long_name.startswith("Федеральное агентство по делам Содружества Независимых Государств, ")
    assert long_name.endswith("гуманитарному сотрудничеству")
    assert short == "Россотрудничество"


def test_and_splits_entity_aliases_only_between_whole_names(by_id):
    assert by_id["Sudan/Part-2/4"].get("alias")[:2] == ["Zadna Company", "Zadna International Investments"]
    assert by_id["Myanmar/Part-1/17"].get("alias") == [
        "Myanma Investment and Commercial Bank",
        "Burma Investment and Commercial Bank",
    ]


def test_entity_acronyms_are_strong_aliases_and_arabic_names_kept(by_id):
    entity = by_id["Sudan/Part-2/6"]
    assert entity.schema == "Company"
    assert "بنك الخليج" in entity.get("alias")
    assert by_id["Iran/1-Part-1/136"].get("weakAlias") == []
    assert "IRGC" in by_id["Iran/1-Part-1/136"].get("alias")


def test_birth_dates_written_as_alternatives_or_ranges(by_id):
    assert by_id["Iran/1-Part-2.1/70"].get("birthDate") == ["1963", "1964"]  # "1963-1964"
    assert by_id["Venezuela/-/117"].get("birthDate") == ["1965-07-15", "1969-09-28"]
    assert by_id["Russia/1-Part-1/1114"].get("birthDate") == ["1999-09"]  # "Sep-99"
    assert "Date of birth as listed: Sep-99" in by_id["Russia/1-Part-1/1114"].get("notes")


def test_prose_birth_date_goes_to_notes_only(by_id):
    person = by_id["Sudan/Part-1/1"]
    assert person.get("birthDate") == []
    assert person.get("notes") == ["Date of birth as listed: born in the early 1970s"]


def test_person_rank_is_a_position_and_thematic_regime_has_no_country(by_id):
    person = by_id["Syria/Part-2/74"]  # LastName only, TitleOrShip "Major General/major-général"
    assert person.get("name") == ["Nazih"]
    assert person.get("position") == ["Major General/major-général"]
    assert by_id["Hamas-Terrorist-Attacks/Part-1/1"].get("country") == []


# -- bad input ------------------------------------------------------------------------------------


def test_truncated_file_raises_with_file_and_line(tmp_path):
    data = _xml_bytes()
    path = tmp_path / "sema.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError) as caught:
        ca_sema.parse(path, "ca_dfatd_sema_sanctions")
    assert caught.value.path == str(path)
    assert caught.value.where.startswith("line ")


def test_truncated_gzip_is_reported(tmp_path):
    path = tmp_path / "sema.xml.gz"
    path.write_bytes(CA_XML.read_bytes()[:50_000])
    with pytest.raises(ListFormatError, match="truncated"):
        ca_sema.parse(path, "ca_dfatd_sema_sanctions")


def test_billion_laughs_is_rejected_without_expansion(tmp_path):
    decls = ['<!ENTITY lol0 "lol">']
    decls += [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    path = tmp_path / "lol.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE data-set [\n' + "\n".join(decls) + "\n]>\n"
        "<data-set><record><Country>Russia</Country><LastName>&lol9;</LastName><Item>1</Item>"
        "</record></data-set>\n"
    )
    with pytest.raises(ListFormatError, match="(?i)entit"):
        ca_sema.parse(path, "ca_dfatd_sema_sanctions")


def test_wrong_root_element_is_refused(tmp_path):
    path = tmp_path / "other.xml"
    path.write_bytes(b"<CONSOLIDATED_LIST/>")
    with pytest.raises(ListFormatError, match="data-set"):
        ca_sema.parse(path, "ca_dfatd_sema_sanctions")


def test_record_without_item_names_its_line(tmp_path):
    path = _write(tmp_path, "<record>\n<Country>Russia / Russie</Country><LastName>X</LastName>\n</record>")
    with pytest.raises(ListFormatError, match="Item") as caught:
        ca_sema.parse(path, "ca_dfatd_sema_sanctions")
    assert caught.value.where.startswith("line 3")


def test_record_without_country_is_an_error(tmp_path):
    path = _write(tmp_path, "<record><LastName>X</LastName><Item>1</Item></record>")
    with pytest.raises(ListFormatError, match="Country"):
        ca_sema.parse(path, "ca_dfatd_sema_sanctions")


def test_record_without_a_name_is_an_error_naming_the_record(tmp_path):
    path = _write(
        tmp_path,
        "<record><Country>Russia / Russie</Country><Schedule>1, Part 1</Schedule><Item>7</Item></record>",
    )
    with pytest.raises(ListFormatError, match="no name") as caught:
        ca_sema.parse(path, "ca_dfatd_sema_sanctions")
    assert "Russia/1-Part-1/7" in caught.value.where


def test_two_records_with_the_same_regime_schedule_and_item_are_refused(tmp_path):
    record = "<record><Country>Iran</Country><Schedule>Part 1</Schedule><Item>3</Item><LastName>X</LastName></record>"
    path = _write(tmp_path, record + "\n" + record)
    with pytest.raises(ListFormatError, match="same Country/Schedule/Item"):
        ca_sema.parse(path, "ca_dfatd_sema_sanctions")
