"""EU FSF XML parser, against the hand-written format sample (no EU file is available offline;
see the sample's header comment and the parser's docstring for the format followed)."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import model as ftm_model

from proscribe.model import Address, Identifier, Sanction
from proscribe.sources import eu_fsf
from proscribe.sources.base import ListFormatError

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "eu" / "eu_fsf_sample.xml"
NS = "http://eu.europa.ec/fpi/fsd/export"


@pytest.fixture(scope="module")
def parsed():
    return eu_fsf.parse(SAMPLE, "eu_fsf")


def by_source(parsed, source_id):
    return next(e for e in parsed.entities if e.source_id == source_id)


def export(*entities: str, root: str = "export", namespace: str = NS) -> str:
    body = "\n".join(entities)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<{root} xmlns="{namespace}" generationDate="2025-01-02T10:00:00.000+01:00" globalFileId="1">\n'
        f"{body}\n</{root}>\n"
    )


def entity(logical_id: str = "1", inner: str = "", subject: str = "person", code: str = "P") -> str:
    return (
        f'<sanctionEntity designationDetails="" unitedNationId="" euReferenceNumber="EU.{logical_id}.1" '
        f'logicalId="{logical_id}">'
        f'<regulation programme="IRN" publicationDate="2020-01-02" numberTitle="1/2020 (OJ L1)"/>'
        f'<subjectType code="{subject}" classificationCode="{code}"/>{inner}</sanctionEntity>'
    )


def parse_text(tmp_path: Path, text: str, name: str = "fsf.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return eu_fsf.parse(path, "eu_fsf")


def error_for(tmp_path: Path, text: str) -> ListFormatError:
    with pytest.raises(ListFormatError) as err:
        parse_text(tmp_path, text)
    return err.value


# -- the sample ---------------------------------------------------------------------------------


def test_sample_yields_six_entities_with_publication_date(parsed):
    assert len(parsed.entities) == 6
    assert Counter(e.schema for e in parsed.entities) == {"Person": 3, "Company": 2, "Organization": 1}
    assert parsed.published == "2025-06-30"
    assert parsed.dataset == "eu_fsf"
    assert parsed.warnings == []


def test_source_id_is_the_logical_id(parsed):
    person = by_source(parsed, "990001")
    assert person.id == "eu_fsf-990001"
    assert [e.source_id for e in parsed.entities] == [f"99000{i}" for i in range(1, 7)]


def test_regulation_language_name_is_primary_and_cyrillic_name_is_kept_as_alias(parsed):
    person = by_source(parsed, "990001")
    assert person.get("name") == ["Sergei Ivanovich PRIMEROV"]
    assert person.get("alias") == ["Сергей Иванович ПРИМЕРОВ", "Sergey Ivanovich PRIMEROV"]
    assert "ПРИМЕРОВ" in person.get("lastName")
    assert person.get("gender") == ["male"]
    assert person.get("position") == ["Deputy Director of the fictitious Primer Instrument Plant"]


def test_person_birth_citizenship_and_address(parsed):
    person = by_source(parsed, "990001")
    assert person.get("birthDate") == ["1970-05-14"]
    assert person.get("birthPlace") == ["Tula, RUSSIAN FEDERATION"]
    assert person.get("birthCountry") == ["ru"]
    assert person.get("citizenship") == ["ru"]
    assert person.addresses == [
        Address(
            full="Primernaya ulitsa 1, office 2, Moscow, 101000, RUSSIAN FEDERATION",
            street="Primernaya ulitsa 1, office 2",
            city="Moscow",
            postal_code="101000",
            country="ru",
            country_name="RUSSIAN FEDERATION",
        )
    ]
    assert person.get("country") == ["ru"]
    assert person.identifiers == [
        Identifier(
            type="tax_id",
            value="770000000019",
            country="ru",
            label="National Fiscal Code",
            note="(Tax identification number)",
        )
    ]


def test_each_regulation_becomes_a_sanction_dated_by_the_designation(parsed):
    person = by_source(parsed, "990001")
    assert person.sanctions == [
        Sanction(
            authority="European Union",
            program="UKR",
            listing_date="2024-02-23",
            reason="9901/2024 (OJ L, 2024/9901)",
            source_id="EU.9001.01",
        ),
        Sanction(
            authority="European Union",
            program="UKR",
            listing_date="2024-02-23",
            reason="9902/2025 (OJ L, 2025/9902)",
            source_id="EU.9001.01",
        ),
    ]
    assert person.programs == ["UKR"]
    assert "https://example.invalid/eur-lex/OJ-L-2025-9902" in person.get("sourceUrl")


def test_year_only_birth_date_keeps_its_precision_and_passport_its_country(parsed):
    person = by_source(parsed, "990002")
    assert person.get("birthDate") == ["1977"]
    assert person.get("title") == ["Dr"]
    assert person.identifiers == [
        Identifier(
            type="passport",
            value="N000012345",
            country="sy",
            label="National passport",
            note="(passport valid until 2021)",
        )
    ]
    # Without designationDate the listing date is the regulation's publication date.
    assert person.sanctions[0].listing_date == "2019-07-08"
    assert person.sanctions[0].program == "SYR"
    assert "UN reference: QDi.999" in person.get("notes")


def test_weak_alias_is_kept_apart_from_strong_aliases(parsed):
    person = by_source(parsed, "990002")
    assert person.get("weakAlias") == ["Abu Karim"]
    assert person.get("alias") == ["عبد الكريم المثالي"]
    company = by_source(parsed, "990004")
    assert company.get("weakAlias") == ["OBIN"]
    assert "OBIN" not in company.get("alias")


def test_month_precision_birth_date_with_circa_and_unknown_country(parsed):
    person = by_source(parsed, "990003")
    assert person.get("birthDate") == ["1965-03"]
    assert person.get("gender") == ["female"]
    assert "birthPlace" not in person.properties  # countryIso2Code 00 / UNKNOWN, no city
    assert "Date of birth circa 1965-03" in person.get("notes")
    assert person.get("alias") == ["Elena Petrovna PRIMEROVA", "Алена Пятроўна ПРЫКЛАДАВА"]
    assert person.identifiers[0].type == "national_id"


def test_enterprise_registration_number_and_contact_info(parsed):
    company = by_source(parsed, "990004")
    assert company.schema == "Company"
    assert company.get("name") == ["Limited Liability Company Obrazets Instrument"]
    assert "Общество с ограниченной ответственностью «Образец Инструмент»" in company.get("alias")
    assert {(i.type, i.value, i.country) for i in company.identifiers} == {
        ("registration", "1181800000007", "ru"),
        ("tax_id", "1800000007", "ru"),
        ("phone", "+7 000 000 00 00", None),
        ("email", "info@obrazets.example", None),
        ("website", "https://obrazets.example", None),
    }
    assert company.addresses[0].region == "Udmurt Republic"


def test_chinese_name_is_alias_and_po_box_address_is_kept(parsed):
    company = by_source(parsed, "990005")
    assert company.get("name") == ["Shenzhen Yangben Electronics Co., Ltd."]
    assert company.get("alias") == ["深圳样本电子有限公司"]
    assert company.get("country") == ["cn", "hk"]
    hong_kong = company.addresses[1]
    assert (hong_kong.full, hong_kong.street, hong_kong.country) == (
        "P.O. Box 0000, Hong Kong, HONG KONG",
        "P.O. Box 0000",
        "hk",
    )
    uscc = company.identifiers[0]
    assert (uscc.type, uscc.value, uscc.note) == (
        "registration",
        "91440300000000000X",
        "(Unified Social Credit Code)",
    )


def test_vessel_listed_as_enterprise_keeps_its_imo_number_and_former_name(parsed):
    vessel = by_source(parsed, "990006")
    assert vessel.schema == "Organization"
    assert vessel.identifiers == [Identifier(type="imo", value="9999993", label="IMO number")]
    assert vessel.get("previousName") == ["EXEMPLAR STAR"]
    assert "alias" not in vessel.properties
    assert "Tanker; flag: Cameroon (as at listing)" in vessel.get("notes")


def test_every_property_is_valid_for_the_entity_schema(parsed):
    for item in parsed.entities:
        schema = ftm_model.get(item.schema)
        for prop in item.properties:
            assert prop in schema.properties, (item.schema, prop)


def test_gzipped_file_parses(tmp_path):
    path = tmp_path / "fsf.xml.gz"
    path.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert len(eu_fsf.parse(path, "eu_fsf").entities) == 6


# -- name rules on small documents ----------------------------------------------------------------


def test_primary_name_skips_a_leading_non_latin_alias(tmp_path):
    inner = (
        '<nameAlias wholeName="Иван ОБРАЗЦОВ" nameLanguage="RU" strong="true" regulationLanguage="en"/>'
        '<nameAlias wholeName="Ivan OBRAZTSOV" nameLanguage="" strong="true" regulationLanguage="en"/>'
    )
    (item,) = parse_text(tmp_path, export(entity(inner=inner))).entities
    assert item.get("name") == ["Ivan OBRAZTSOV"]
    assert item.get("alias") == ["Иван ОБРАЗЦОВ"]


def test_name_is_built_from_parts_when_whole_name_is_empty(tmp_path):
    inner = '<nameAlias firstName="Jan" middleName="" lastName="PRZYKLAD" wholeName="" strong="true"/>'
    (item,) = parse_text(tmp_path, export(entity(inner=inner))).entities
    assert item.get("name") == ["Jan PRZYKLAD"]


def test_low_quality_remark_makes_an_alias_weak(tmp_path):
    inner = (
        '<nameAlias wholeName="Example Person" strong="true"/>'
        '<nameAlias wholeName="Abu Example" strong="true"><remark>Low quality alias</remark></nameAlias>'
    )
    (item,) = parse_text(tmp_path, export(entity(inner=inner))).entities
    assert item.get("weakAlias") == ["Abu Example"]
    assert "alias" not in item.properties


def test_year_range_birth_date_gives_each_year(tmp_path):
    inner = '<nameAlias wholeName="Example Person" strong="true"/><birthdate yearRangeFrom="1960" yearRangeTo="1962"/>'
    (item,) = parse_text(tmp_path, export(entity(inner=inner))).entities
    assert item.get("birthDate") == ["1960", "1961", "1962"]


def test_enterprise_without_legal_form_is_an_organization(tmp_path):
    inner = '<nameAlias wholeName="Example Liberation Front" strong="true"/>'
    (item,) = parse_text(tmp_path, export(entity(inner=inner, subject="enterprise", code="E"))).entities
    assert item.schema == "Organization"


def test_unexpected_namespace_is_reported(tmp_path):
    inner = '<nameAlias wholeName="Example Person" strong="true"/>'
    result = parse_text(tmp_path, export(entity(inner=inner), namespace="urn:example"))
    assert len(result.entities) == 1
    assert any("unexpected namespace" in w for w in result.warnings)


# -- bad input ----------------------------------------------------------------------------------


def test_truncated_file_is_an_error_naming_the_line(tmp_path):
    data = SAMPLE.read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError) as err:
        eu_fsf.parse(path, "eu_fsf")
    assert err.value.where is not None and err.value.where.startswith("line ")
    assert str(path) in str(err.value)


def test_malformed_xml_names_the_line(tmp_path):
    text = export(entity(inner='<nameAlias wholeName="A & B" strong="true"/>'))
    err = error_for(tmp_path, text)
    assert err.where == "line 3"
    assert "malformed XML" in err.message


def test_billion_laughs_is_rejected_without_expansion(tmp_path):
    lol = (
        '<?xml version="1.0"?>\n<!DOCTYPE export [\n<!ENTITY lol "lol">\n'
        + "\n".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
        )
        + f'\n]>\n<export xmlns="{NS}"><sanctionEntity logicalId="1"><subjectType code="person"/>'
        '<nameAlias wholeName="&lol9;"/></sanctionEntity></export>\n'
    )
    err = error_for(tmp_path, lol)
    assert err.where == "DOCTYPE" or "entit" in err.message.lower()


def test_wrong_root_element_is_rejected(tmp_path):
    err = error_for(tmp_path, export(root="sdnList"))
    assert err.where == "root element"
    assert "sdnList" in err.message


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            export('<sanctionEntity><subjectType code="person"/><nameAlias wholeName="X"/></sanctionEntity>'),
            "no logicalId",
        ),
        (
            export('<sanctionEntity logicalId="7"><nameAlias wholeName="X"/></sanctionEntity>'),
            "no subjectType",
        ),
        (
            export(entity(inner='<nameAlias wholeName="X"/>', subject="vessel", code="V")),
            "unknown subjectType",
        ),
        (export(entity(inner='<nameAlias wholeName="" firstName=""/>')), "no name"),
        (export(entity()), "no name"),
    ],
)
def test_broken_sanction_entity_is_an_error_naming_it(tmp_path, document, message):
    err = error_for(tmp_path, document)
    assert err.where.startswith("sanctionEntity #1")
    assert "line 3" in err.where
    assert message in err.message


def test_duplicate_logical_id_is_rejected(tmp_path):
    one = entity("5", inner='<nameAlias wholeName="Example One" strong="true"/>')
    two = entity("5", inner='<nameAlias wholeName="Example Two" strong="true"/>')
    err = error_for(tmp_path, export(one, two))
    assert err.where.startswith("sanctionEntity #2 (logicalId 5)")
    assert "duplicate logicalId" in err.message
