"""UN Security Council Consolidated List XML parser, against the bundled list of 1 August 2026."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import model

from proscribe.model import Address, Identifier, Link, Sanction
from proscribe.sources import un_xml
from proscribe.sources.base import ListFormatError

DATA = Path(__file__).resolve().parents[2] / "data"
UN_XML = DATA / "un" / "consolidated.xml.gz"


@pytest.fixture(scope="module")
def parsed():
    return un_xml.parse(UN_XML, "un_sc_sanctions")


@pytest.fixture(scope="module")
def by_ref(parsed):
    return {entity.source_id: entity for entity in parsed.entities}


def _xml_bytes() -> bytes:
    return gzip.decompress(UN_XML.read_bytes())


def _write(tmp_path: Path, body: str, name: str = "un.xml") -> Path:
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<CONSOLIDATED_LIST dateGenerated="2026-01-02T00:00:00Z">\n' + body + "\n</CONSOLIDATED_LIST>\n",
        encoding="utf-8",
    )
    return path


# -- the whole file -------------------------------------------------------------------------------


def test_file_yields_736_individuals_and_275_entities_one_entity_per_record(parsed):
    assert len(parsed.entities) == 1011
    counts = Counter(entity.schema for entity in parsed.entities)
    assert counts["Person"] == 736
    assert counts["Company"] + counts["Organization"] == 275
    assert set(counts) == {"Person", "Company", "Organization"}
    assert parsed.dataset == "un_sc_sanctions"
    assert parsed.warnings == []


def test_published_is_the_date_generated(parsed):
    assert parsed.published == "2026-08-01"


def test_source_ids_are_unique_reference_numbers(parsed, by_ref):
    assert len(by_ref) == len(parsed.entities)
    assert by_ref["QDi.001"].id == "un_sc_sanctions-QDi.001"
    assert all(entity.id == f"un_sc_sanctions-{entity.source_id}" for entity in parsed.entities)


def test_every_property_is_valid_for_its_ftm_schema(parsed):
    for entity in parsed.entities:
        schema = model.get(entity.schema)
        assert set(entity.properties) <= set(schema.properties), entity.source_id


def test_every_record_has_one_un_sanction_with_program_and_listing_date(parsed):
    programs = Counter()
    for entity in parsed.entities:
        assert len(entity.sanctions) == 1
        sanction = entity.sanctions[0]
        assert sanction.authority == "UN Security Council"
        assert sanction.source_id == entity.source_id
        assert sanction.listing_date and len(sanction.listing_date) == 10
        programs[sanction.program] += 1
    assert programs["Al-Qaida"] == 248 + 88
    assert programs["DPRK"] == 80 + 75


def test_listing_date_with_xml_schema_time_zone_is_read(parsed):
    # Several records say <LISTED_ON>2015-07-01-04:00</LISTED_ON>.
    dates = [e.sanctions[0].listing_date for e in parsed.entities]
    assert "2015-07-01" in dates
    assert all("-04:00" not in d for d in dates)


# -- individuals ----------------------------------------------------------------------------------


def test_person_with_year_only_birth_dates_passport_titles_and_original_script(by_ref):
    person = by_ref["TAi.011"]
    assert person.schema == "Person"
    assert person.get("name") == ["AKHTAR MOHAMMAD MANSOUR SHAH MOHAMMED"]
    assert person.get("birthDate") == ["1960", "1966"]  # YEAR elements: year precision, not 1960-01-01
    assert person.get("nationality") == ["af"]
    assert person.get("birthPlace") == [
        "Band-e-Timur village, Maiwand District, Kandahar Province, Afghanistan"
    ]
    assert person.get("birthCountry") == ["af"]
    assert person.get("position") == [
        "Maulavi",
        "Mullah",
        "Minister of Civil Aviation and Transportation under the Taliban regime",
    ]
    assert "اختر محمد منصور شاه محمد" in person.get("alias")
    assert person.identifiers == [
        Identifier(
            type="passport",
            value="SE-011697",
            country="af",
            label="Passport",
            issued="1988-01-25",
            note="issued in Kabul; expired on 23 Feb. 2000",
        )
    ]
    assert person.sanctions == [
        Sanction(
            authority="UN Security Council", program="Taliban", listing_date="2001-01-25", source_id="TAi.011"
        )
    ]


def test_name_parts_are_joined_in_order(by_ref):
    assert by_ref["QDi.001"].get("name") == ["MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE"]


def test_exact_dates_keep_day_precision_and_gender_is_lower_case(by_ref):
    person = by_ref["QDi.001"]
    assert person.get("birthDate") == ["1963-04-11", "1960-04-11"]
    assert by_ref["CDi.003"].get("gender") == ["male"]
    assert Counter(g for e in by_ref.values() for g in e.get("gender")) == {"male": 58, "female": 3}


def test_between_birth_date_keeps_every_year_of_the_range(by_ref):
    # <TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1970</FROM_YEAR><TO_YEAR>1973</TO_YEAR>
    person = by_ref["TAi.146"]
    assert person.get("birthDate") == ["1970", "1971", "1972", "1973"]
    assert "Date of birth (between, 1970, 1971, 1972, 1973): Approximately" in person.get("notes")


def test_birth_month_written_only_in_a_note_is_kept(by_ref):
    assert by_ref["CDi.004"].get("birthDate") == ["1973-11"]  # NOTE "Nov. 1973"
    assert by_ref["QDi.395"].get("birthDate") == ["1958-09"]  # YEAR 1958 + NOTE "Sep."


def test_non_gregorian_birth_date_goes_to_notes_not_to_birth_date(by_ref):
    person = by_ref["QDi.291"]
    assert person.get("birthDate") == ["1982-04-19", "1982-04-18"]
    assert any("24/06/1402 (Hijri Calendar)" in note for note in person.get("notes"))


def test_weak_alias_is_kept_apart_from_strong_aliases(by_ref):
    person = by_ref["CDi.003"]
    assert person.get("weakAlias") == ["Rumuli"]  # QUALITY Low
    assert person.get("alias") == ["Byiringiro Victor Rumuli", "Victor Rumuri", "Michel Byiringiro"]
    assert not set(person.get("weakAlias")) & set(person.get("alias"))


def test_empty_alias_placeholder_adds_no_name(by_ref):
    person = by_ref["CDi.001"]  # <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
    assert [kind for kind, _ in person.names()] == ["name"]


def test_original_script_names_are_kept_verbatim_as_aliases(by_ref):
    assert "محمد صلاح الدين عبدالحليم زيدان" in by_ref["QDi.001"].get("alias")
    assert "Умаров Доку Хаматович" in by_ref["QDi.290"].get("alias")
    assert "朝鲜联合机械贸易会社" in by_ref["KPe.016"].get("alias")
    with_script = [e for e in by_ref.values() if any(not a.isascii() for a in e.get("alias"))]
    assert len(with_script) >= 337 + 41 - 1  # every NAME_ORIGINAL_SCRIPT (one is Latin) and more


def test_original_script_spelling_in_an_alias_note_is_an_alias(by_ref):
    # <ALIAS_NAME>Sayf-Al Adl</ALIAS_NAME><NOTE>... In Arabic: سيف العدل </NOTE>
    assert "سيف العدل" in by_ref["QDi.001"].get("alias")


def test_prose_document_number_is_reduced_to_the_number(by_ref):
    [passport] = by_ref["TAi.135"].identifiers
    assert passport.type == "passport"
    assert passport.value == "SE 012820"
    assert passport.note == "as listed: Afghan passport number SE 012820"
    assert by_ref["SSi.003"].identifiers[0].value == "R00012098"
    assert by_ref["SSi.003"].identifiers[0].country == "ss"  # "R00012098, South Sudan"


def test_document_number_found_only_in_its_note(by_ref):
    # <TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NOTE>Tunisian passport number L 191609 ...
    passports = [i for i in by_ref["QDi.060"].identifiers if i.value == "L 191609"]
    assert passports and passports[0].type == "passport"


def test_national_id_and_tax_code_types(by_ref):
    documents = by_ref["SDi.012"].identifiers
    assert [(i.type, i.value, i.country) for i in documents] == [
        ("passport", "AP628498", "co"),
        ("passport", "YB7731256", "it"),
        ("national_id", "80413253", "co"),  # NUMBER "Cedula No. 80413253"
    ]
    assert documents[1].expires == "2031-03-01"
    fiscal = by_ref["QDi.068"].identifiers
    assert ("tax_id", "BNSDLA70L14Z352B") in [(i.type, i.value) for i in fiscal]  # "Italian Fiscal Code:"


def test_person_address_with_note(by_ref):
    person = by_ref["CDi.003"]
    assert person.addresses == [
        Address(
            full="North Kivu Province, Democratic Republic of the Congo",
            region="North Kivu Province",
            country="cd",
            country_name="Democratic Republic of the Congo",
            note="as of June 2016",
        )
    ]
    assert person.get("country") == ["cd"]


# -- entities -------------------------------------------------------------------------------------


def test_entity_with_aliases_addresses_and_imo_company_number(by_ref):
    entity = by_ref["KPe.020"]
    assert entity.schema == "Company"
    assert entity.get("name") == ["OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)"]
    assert entity.get("alias") == [
        "East Sea Shipping Company",
        "Korea Mirae Shipping Co. Ltd",
        "Haeyang Crew Management Company",
    ]
    assert entity.addresses[0] == Address(
        full="Donghung Dong, Central District, PO Box 120, Pyongyang, Democratic People's Republic of Korea",
        street="Donghung Dong, Central District, PO Box 120",
        city="Pyongyang",
        country="kp",
        country_name="Democratic People's Republic of Korea",
    )
    assert len(entity.addresses) == 2
    assert entity.get("country") == ["kp"]
    assert entity.identifiers == [Identifier(type="imo", value="1790183", label="IMO number")]
    assert entity.get("imoNumber") == ["1790183"]
    assert entity.sanctions[0].program == "DPRK"
    assert entity.sanctions[0].listing_date == "2014-07-28"


def test_entity_alias_note_in_arabic_script_and_comment_links(by_ref):
    entity = by_ref["QDe.157"]
    assert entity.get("alias") == ["Al Kawthar Co.", "شركة الكوثر", "Al Kawthar Company", "Al-Kawthar Hawala"]
    assert entity.addresses[0].city == "Al-Qaim"
    assert entity.addresses[0].region == "Al Anbar Province"
    assert entity.links == [
        Link(
            relation="referred to in UN comments",
            target_name="UMAR MAHMUD IRHAYYIM AL-KUBAYSI",
            target_source_id="QDi.412",
        ),
        Link(
            relation="referred to in UN comments", target_name="AL-QAIDA IN IRAQ", target_source_id="QDe.115"
        ),
    ]


def test_formerly_known_as_is_a_previous_name(by_ref):
    entity = by_ref["CDe.001"]  # QUALITY f.k.a.
    assert entity.get("previousName") == [
        "Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda",
        "ADF/NALU",
        "NALU",
    ]
    assert not set(entity.get("previousName")) & set(entity.get("alias"))


def test_entity_address_written_only_as_a_note_is_kept_as_the_address(by_ref):
    fulls = [a.full for a in by_ref["QDe.005"].addresses]
    assert "617 Clifton Center, Block 5, 6th Floor, Clifton, Karachi, Pakistan; Phone 587-2545" in fulls


def test_record_naming_two_bodies_has_each_as_alias(by_ref):
    entity = next(e for e in by_ref.values() if " ; " in e.caption)
    assert "GREAT LAKES BUSINESS COMPANY (GLBC)" in entity.get("alias")
    assert "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)" in entity.get("alias")


# -- bad input ------------------------------------------------------------------------------------


def test_truncated_file_raises_with_file_and_line(tmp_path):
    data = _xml_bytes()
    path = tmp_path / "consolidated.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError) as caught:
        un_xml.parse(path, "un_sc_sanctions")
    assert caught.value.path == str(path)
    assert caught.value.where.startswith("line ")
    assert int(caught.value.where.split()[1]) > 1000


def test_truncated_gzip_is_reported(tmp_path):
    data = UN_XML.read_bytes()
    path = tmp_path / "consolidated.xml.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError, match="truncated") as caught:
        un_xml.parse(path, "un_sc_sanctions")
    assert caught.value.path == str(path)


def test_billion_laughs_is_rejected_without_expansion(tmp_path):
    decls = ['<!ENTITY lol0 "lol">']
    decls += [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    path = tmp_path / "lol.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [\n' + "\n".join(decls) + "\n]>\n"
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol9;</FIRST_NAME>"
        "<UN_LIST_TYPE>X</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>"
        "</INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>\n"
    )
    with pytest.raises(ListFormatError, match="(?i)entit"):
        un_xml.parse(path, "un_sc_sanctions")


def test_wrong_root_element_is_refused(tmp_path):
    path = tmp_path / "other.xml"
    path.write_bytes(b"<sdnList><sdnEntry/></sdnList>")
    with pytest.raises(ListFormatError, match="CONSOLIDATED_LIST"):
        un_xml.parse(path, "un_sc_sanctions")


def test_record_without_reference_number_names_its_line(tmp_path):
    path = _write(
        tmp_path,
        "<INDIVIDUALS>\n<INDIVIDUAL>\n<FIRST_NAME>A</FIRST_NAME><UN_LIST_TYPE>DRC</UN_LIST_TYPE>\n"
        "</INDIVIDUAL>\n</INDIVIDUALS>\n<ENTITIES/>",
    )
    with pytest.raises(ListFormatError, match="REFERENCE_NUMBER") as caught:
        un_xml.parse(path, "un_sc_sanctions")
    assert caught.value.where.startswith("line 4")


def test_record_without_a_name_is_an_error_naming_the_reference(tmp_path):
    path = _write(
        tmp_path,
        "<INDIVIDUALS/>\n<ENTITIES>\n<ENTITY><REFERENCE_NUMBER>CDe.999</REFERENCE_NUMBER>"
        "<UN_LIST_TYPE>DRC</UN_LIST_TYPE></ENTITY>\n</ENTITIES>",
    )
    with pytest.raises(ListFormatError, match="FIRST_NAME") as caught:
        un_xml.parse(path, "un_sc_sanctions")
    assert "CDe.999" in caught.value.where


def test_missing_program_is_an_error(tmp_path):
    path = _write(
        tmp_path,
        "<INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>QDi.998</REFERENCE_NUMBER>"
        "</INDIVIDUAL></INDIVIDUALS><ENTITIES/>",
    )
    with pytest.raises(ListFormatError, match="UN_LIST_TYPE"):
        un_xml.parse(path, "un_sc_sanctions")


def test_missing_entities_section_is_an_error(tmp_path):
    path = _write(tmp_path, "<INDIVIDUALS/>")
    with pytest.raises(ListFormatError, match="ENTITIES"):
        un_xml.parse(path, "un_sc_sanctions")


def test_repeated_reference_number_is_an_error(tmp_path):
    record = (
        "<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME><UN_LIST_TYPE>DRC</UN_LIST_TYPE>"
        "<REFERENCE_NUMBER>CDi.900</REFERENCE_NUMBER></INDIVIDUAL>"
    )
    path = _write(tmp_path, f"<INDIVIDUALS>{record}{record}</INDIVIDUALS><ENTITIES/>")
    with pytest.raises(ListFormatError, match="repeated"):
        un_xml.parse(path, "un_sc_sanctions")


def test_minimal_valid_file_parses(tmp_path):
    path = _write(
        tmp_path,
        "<INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A</FIRST_NAME><SECOND_NAME>B</SECOND_NAME>"
        "<UN_LIST_TYPE>DRC</UN_LIST_TYPE><REFERENCE_NUMBER>CDi.900</REFERENCE_NUMBER>"
        "<LISTED_ON>2020-01-02</LISTED_ON></INDIVIDUAL></INDIVIDUALS><ENTITIES/>",
    )
    result = un_xml.parse(path, "un_sc_sanctions")
    assert result.published == "2026-01-02"
    [person] = result.entities
    assert person.get("name") == ["A B"]
    assert person.sanctions[0].listing_date == "2020-01-02"
