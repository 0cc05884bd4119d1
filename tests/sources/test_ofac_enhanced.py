"""OFAC Enhanced XML parser, against the bundled CONS_ENHANCED.ZIP (data as of 10 January 2025)."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import model

from proscribe.model import Address, Identifier, Link, Sanction
from proscribe.sources import ofac_enhanced, ofac_xml
from proscribe.sources.base import ListFormatError

DATA = Path(__file__).resolve().parents[2] / "data"
CONS_ZIP = DATA / "ofac" / "consolidated" / "CONS_ENHANCED.ZIP"
CONS_XML = DATA / "ofac" / "consolidated" / "consolidated.xml.gz"


@pytest.fixture(scope="module")
def parsed():
    return ofac_enhanced.parse(CONS_ZIP, "us_ofac_cons")


@pytest.fixture(scope="module")
def by_uid(parsed):
    return {entity.source_id: entity for entity in parsed.entities}


def _member_bytes() -> bytes:
    with zipfile.ZipFile(CONS_ZIP) as archive:
        return archive.read("CONS_ENHANCED.XML")


def _zip_with(tmp_path: Path, members: dict[str, bytes], name: str = "CONS_ENHANCED.ZIP") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def test_zip_yields_all_443_entities_with_data_date(parsed):
    assert len(parsed.entities) == 443
    assert parsed.published == "2025-01-10"
    assert parsed.dataset == "us_ofac_cons"
    assert parsed.warnings == []


def test_bare_xml_gives_the_same_entities_as_the_zip(tmp_path, parsed):
    path = tmp_path / "CONS_ENHANCED.XML"
    path.write_bytes(_member_bytes())
    bare = ofac_enhanced.parse(path, "us_ofac_cons")
    assert bare.published == "2025-01-10"
    assert [e.to_dict() for e in bare.entities] == [e.to_dict() for e in parsed.entities]


def test_entity_types_map_to_schemata(parsed):
    counts = Counter(entity.schema for entity in parsed.entities)
    assert counts["Person"] == 80
    assert counts["Company"] + counts["Organization"] == 363


def test_person_with_birth_date_citizenship_gender_and_passport(by_uid):
    person = by_uid["26182"]
    assert person.id == "us_ofac_cons-26182"
    assert person.schema == "Person"
    assert person.get("name") == ["KAYAKIRAN, Evren"]
    assert person.get("firstName") == ["Evren"]
    assert person.get("lastName") == ["KAYAKIRAN"]
    assert person.get("birthDate") == ["1980-02-08"]
    assert person.get("citizenship") == ["tr"]
    assert person.get("gender") == ["male"]
    assert person.identifiers == [
        Identifier(type="passport", value="U00242309", country="tr", label="Passport")
    ]
    assert person.sanctions == [
        Sanction(authority="US OFAC", program="FSE-IR", listing_date="2019-02-07", source_id="26182")
    ]
    assert person.addresses == [Address(full="Turkey", country="tr", country_name="Turkey")]


def test_birth_date_keeps_year_precision_and_place_of_birth(by_uid):
    person = by_uid["9639"]
    assert person.get("name") == ["HANIYA, Ismail Abdul Salah"]
    assert person.get("birthDate") == ["1962"]
    assert person.get("birthPlace") == ["Shati"]
    assert person.sanctions[0].listing_date == "2006-04-12"


def test_weak_alias_is_kept_apart_from_strong_aliases(by_uid):
    person = by_uid["50476"]
    assert person.get("name") == ["MARTELLY, Michel Joseph"]
    assert person.get("alias") == ["MARTELLY, Michael"]
    assert person.get("weakAlias") == ["Sweet Micky"]
    bank = by_uid["17015"]
    assert bank.get("weakAlias") == ["VEB", "BANK FOR DEVELOPMENT"]
    assert "VEB" not in bank.get("alias")


def test_original_script_names_are_kept_verbatim_as_aliases(by_uid):
    dji = by_uid["33111"]
    assert dji.get("name") == ["SZ DJI TECHNOLOGY CO., LTD."]
    assert dji.get("alias") == ["深圳市大疆创新科技有限公司"]
    vtb = by_uid["17013"]
    assert "БАНК ВТБ ПАО" in vtb.get("alias")
    assert "БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО" in vtb.get("alias")


def test_former_names_and_their_translations_become_previous_names(by_uid):
    entity = by_uid["18281"]
    assert entity.get("previousName") == ["LLC RESAD", "ООО РЕСАД", "RESAD LLC"]
    assert "LLC RESAD" not in entity.get("alias")


def test_entity_identifiers_features_and_relationship(by_uid):
    bank = by_uid["18268"]
    assert bank.schema == "Company"
    assert bank.get("name") == ["EXIMBANK OF RUSSIA JSC"]
    assert bank.identifiers == [
        Identifier(type="swift_bic", value="EXIRRUMM", label="SWIFT/BIC"),
        Identifier(type="website", value="eximbank.ru", label="Website"),
        Identifier(type="registration", value="1027739109133", country="ru", label="Registration Number"),
        Identifier(type="tax_id", value="7704001959", country="ru", label="Tax ID No."),
        Identifier(type="lei", value="253400HA6URWT39X2982", label="Legal Entity Number"),
    ]
    assert bank.get("incorporationDate") == ["1994-05-24"]
    assert "Target Type: Financial Institution" in bank.get("notes")
    assert "OFAC sanctions type: 13662 Sectoral Directive 1" in bank.get("notes")
    assert bank.links == [
        Link(
            relation="Owned or Controlled By",
            target_name="STATE CORPORATION BANK FOR DEVELOPMENT AND FOREIGN ECONOMIC AFFAIRS VNESHECONOMBANK",
            target_source_id="17015",
        )
    ]
    # Two programs, three lists with different dates: OFAC does not say which date is whose.
    assert [(s.program, s.listing_date) for s in bank.sanctions] == [
        ("UKRAINE-EO13662", None),
        ("RUSSIA-EO14024", None),
    ]


def test_issuing_authority_is_kept_as_identifier_note(by_uid):
    entity = next(e for e in by_uid.values() if any(i.note == "INN" for i in e.identifiers))
    inn = next(i for i in entity.identifiers if i.note == "INN")
    assert (inn.type, inn.country, inn.label) == ("tax_id", "ru", "Tax ID No.")


def test_uscc_identifier(by_uid):
    assert (
        Identifier(
            type="uscc", value="914403007954257495", country="cn", label="Unified Social Credit Code (USCC)"
        )
        in by_uid["33111"].identifiers
    )


def test_addresses_are_structured_with_country_code_and_script_versions(by_uid):
    veb = by_uid["17015"]
    assert veb.addresses[0] == Address(
        full="Akademik Sakharov Ave 9, Moscow, 107996, Russia",
        street="Akademik Sakharov Ave 9",
        city="Moscow",
        postal_code="107996",
        country="ru",
        country_name="Russia",
    )
    cyrillic = [a for a in veb.addresses if a.city == "Город Москва"]
    assert len(cyrillic) == 1 and cyrillic[0].country == "ru"
    assert set(veb.get("country")) == {"ru", "cn", "in"}
    martelly = by_uid["50476"]
    assert martelly.addresses[0] == Address(
        full="Miami, FL, United States", city="Miami", region="FL", country="us", country_name="United States"
    )


def test_region_part_without_country_resolves_gaza(by_uid):
    assert by_uid["9647"].addresses == [Address(full="Gaza", region="Gaza", country="ps")]


def test_every_property_is_valid_for_its_schema(parsed):
    for entity in parsed.entities:
        schema = model.get(entity.schema)
        for prop in entity.properties:
            assert prop in schema.properties, (entity.id, prop)


def test_same_uid_gives_compatible_entities_from_legacy_and_enhanced_xml(parsed):
    legacy = {e.source_id: e for e in ofac_xml.parse(CONS_XML, "us_ofac_cons").entities}
    enhanced = {e.source_id: e for e in parsed.entities}
    common = set(legacy) & set(enhanced)
    assert len(common) == 443
    for uid in common:
        old, new = legacy[uid], enhanced[uid]
        assert old.id == new.id == f"us_ofac_cons-{uid}"
        assert old.schema == new.schema, uid
        assert old.get("name") == new.get("name"), uid
        assert old.programs == new.programs, uid
        assert old.get("weakAlias") == [n for n in new.get("weakAlias") if n.isascii()], uid
        assert old.get("birthDate") == new.get("birthDate"), uid
    for uid in ("26182", "18268", "50476", "33111", "9639"):
        old, new = legacy[uid], enhanced[uid]
        assert old.get("alias") == [n for n in new.get("alias") if n.isascii()], uid
        assert sorted(map(repr, old.identifiers)) == sorted(map(repr, new.identifiers)), uid
        assert old.addresses == new.addresses, uid
        assert old.get("country") == new.get("country"), uid


# -- bad input ------------------------------------------------------------------------------------


def test_corrupt_zip_is_refused(tmp_path):
    data = CONS_ZIP.read_bytes()
    path = tmp_path / "CONS_ENHANCED.ZIP"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError, match="zip") as caught:
        ofac_enhanced.parse(path, "us_ofac_cons")
    assert caught.value.path == str(path)


def test_zip_with_damaged_member_data_is_refused(tmp_path):
    data = bytearray(CONS_ZIP.read_bytes())
    start = 30 + len("CONS_ENHANCED.XML")  # local header + name: the deflated data begins here
    data[start + 1000 : start + 1100] = bytes(100)
    path = tmp_path / "CONS_ENHANCED.ZIP"
    path.write_bytes(bytes(data))
    with pytest.raises(ListFormatError) as caught:
        ofac_enhanced.parse(path, "us_ofac_cons")
    assert caught.value.path == str(path)


def test_zip_without_xml_member_is_refused(tmp_path):
    path = _zip_with(tmp_path, {"README.txt": b"nothing here"})
    with pytest.raises(ListFormatError, match="no XML member"):
        ofac_enhanced.parse(path, "us_ofac_cons")


def test_truncated_xml_in_zip_names_member_and_line(tmp_path):
    data = _member_bytes()
    path = _zip_with(tmp_path, {"CONS_ENHANCED.XML": data[: len(data) // 3]})
    with pytest.raises(ListFormatError) as caught:
        ofac_enhanced.parse(path, "us_ofac_cons")
    assert caught.value.path == f"{path}!CONS_ENHANCED.XML"
    assert caught.value.where.startswith("line ")


def test_truncated_bare_xml_raises_with_line(tmp_path):
    data = _member_bytes()
    path = tmp_path / "CONS_ENHANCED.XML"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError) as caught:
        ofac_enhanced.parse(path, "us_ofac_cons")
    assert caught.value.path == str(path)
    assert caught.value.where.startswith("line ")


def test_billion_laughs_in_zip_is_rejected_without_expansion(tmp_path):
    decls = ['<!ENTITY lol0 "lol">']
    decls += [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE sanctionsData [\n' + "\n".join(decls) + "\n]>\n"
        '<sanctionsData><entities><entity id="1"><generalInfo><entityType>Entity</entityType>'
        "</generalInfo><names><name><isPrimary>true</isPrimary><translations><translation>"
        "<formattedFullName>&lol9;</formattedFullName></translation></translations></name></names>"
        "</entity></entities></sanctionsData>\n"
    ).encode()
    path = _zip_with(tmp_path, {"CONS_ENHANCED.XML": bomb})
    with pytest.raises(ListFormatError, match="(?i)entit"):
        ofac_enhanced.parse(path, "us_ofac_cons")


def test_wrong_root_element_is_refused(tmp_path):
    path = _zip_with(tmp_path, {"CONS_ENHANCED.XML": b"<sdnList/>"})
    with pytest.raises(ListFormatError, match="Enhanced"):
        ofac_enhanced.parse(path, "us_ofac_cons")


ENTITY_TEMPLATE = """<sanctionsData>
<publicationInfo><dataAsOf>2025-01-10T00:00:00</dataAsOf></publicationInfo>
<entities>
{entity}
</entities></sanctionsData>"""


def _parse_entity(tmp_path: Path, entity: str):
    path = tmp_path / "one.xml"
    path.write_text(ENTITY_TEMPLATE.format(entity=entity), encoding="utf-8")
    return ofac_enhanced.parse(path, "us_ofac_cons")


def test_entity_without_primary_name_is_an_error_naming_it(tmp_path):
    entity = (
        '<entity id="77"><generalInfo><entityType>Entity</entityType></generalInfo>'
        "<names><name><isPrimary>false</isPrimary><aliasType>A.K.A.</aliasType><translations><translation>"
        "<formattedFullName>X</formattedFullName></translation></translations></name></names></entity>"
    )
    with pytest.raises(ListFormatError) as caught:
        _parse_entity(tmp_path, entity)
    assert caught.value.where == "entity id=77 (line 4)"
    assert "primary name" in caught.value.message


def test_entity_without_id_is_an_error(tmp_path):
    with pytest.raises(ListFormatError, match="without an id"):
        _parse_entity(tmp_path, "<entity><generalInfo><entityType>Entity</entityType></generalInfo></entity>")


def test_vessel_features_map_to_vessel_properties(tmp_path):
    entity = """<entity id="55"><generalInfo><entityType>Vessel</entityType></generalInfo>
      <sanctionsPrograms><sanctionsProgram>IRAN</sanctionsProgram></sanctionsPrograms>
      <names><name><isPrimary>true</isPrimary><translations><translation><isPrimary>true</isPrimary>
        <formattedLastName>SEA STAR</formattedLastName><formattedFullName>SEA STAR</formattedFullName>
      </translation></translations></name></names>
      <features>
        <feature><type>Vessel Call Sign</type><value>EPBV2</value></feature>
        <feature><type>Vessel Flag</type><value>Iran</value><valueRefId>11115</valueRefId></feature>
        <feature><type>Vessel Type</type><value>Crude Oil Tanker</value></feature>
        <feature><type>Vessel Year of Build</type><value>1999</value></feature>
        <feature><type>MMSI</type><value>572469210</value></feature>
      </features>
      <identityDocuments><identityDocument><type>Vessel Registration Identification</type>
        <documentNumber>IMO 9187629</documentNumber></identityDocument></identityDocuments>
    </entity>"""
    vessel = _parse_entity(tmp_path, entity).entities[0]
    assert vessel.schema == "Vessel"
    assert vessel.get("callSign") == ["EPBV2"]
    assert vessel.get("flag") == ["ir"]
    assert vessel.get("type") == ["Crude Oil Tanker"]
    assert vessel.get("buildDate") == ["1999"]
    assert vessel.get("mmsi") == ["572469210"]
    assert vessel.get("imoNumber") == ["IMO 9187629"]
    assert {i.type for i in vessel.identifiers} == {"imo", "mmsi"}
    assert vessel.programs == ["IRAN"]


def test_xml_member_is_found_among_other_members(tmp_path):
    path = tmp_path / "list.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", b"readme")
        archive.writestr("data.xml", _member_bytes())
    path.write_bytes(buffer.getvalue())
    assert len(ofac_enhanced.parse(path, "us_ofac_cons").entities) == 443
