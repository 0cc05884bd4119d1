"""OFAC legacy XML parser, against the bundled Consolidated (non-SDN) list of 28 March 2025."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import model

from proscribe.model import Address, Identifier, Link, Sanction
from proscribe.sources import ofac_xml
from proscribe.sources.base import ListFormatError

DATA = Path(__file__).resolve().parents[2] / "data"
CONS_XML = DATA / "ofac" / "consolidated" / "consolidated.xml.gz"


@pytest.fixture(scope="module")
def parsed():
    return ofac_xml.parse(CONS_XML, "us_ofac_cons")


@pytest.fixture(scope="module")
def by_uid(parsed):
    return {entity.source_id: entity for entity in parsed.entities}


def _xml_bytes() -> bytes:
    return gzip.decompress(CONS_XML.read_bytes())


def test_consolidated_file_yields_all_443_entries_with_publish_date(parsed):
    assert len(parsed.entities) == 443
    assert parsed.published == "2025-03-28"
    assert parsed.dataset == "us_ofac_cons"
    assert parsed.warnings == []


def test_party_types_map_to_schemata(parsed):
    counts = Counter(entity.schema for entity in parsed.entities)
    assert counts["Person"] == 80
    assert counts["Company"] + counts["Organization"] == 363
    assert set(counts) == {"Person", "Company", "Organization"}


def test_ids_are_dataset_and_uid(by_uid):
    entity = by_uid["26182"]
    assert entity.id == "us_ofac_cons-26182"
    assert entity.dataset == "us_ofac_cons"


def test_person_with_birth_date_citizenship_gender_and_passport(by_uid):
    person = by_uid["26182"]
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
    assert person.sanctions == [Sanction(authority="US OFAC", program="FSE-IR", source_id="26182")]


def test_person_name_uses_ofac_display_form_and_keeps_year_precision(by_uid):
    person = by_uid["9639"]
    assert person.get("name") == ["HANIYA, Ismail Abdul Salah"]
    assert person.get("alias") == ["HANIYA, Ismail", "HANIYYA, Ismaeel"]
    assert person.get("birthDate") == ["1962"]
    assert person.get("birthPlace") == ["Shati"]


def test_weak_alias_is_kept_apart_from_strong_aliases(by_uid):
    person = by_uid["50476"]
    assert person.get("name") == ["MARTELLY, Michel Joseph"]
    assert person.get("alias") == ["MARTELLY, Michael"]
    assert person.get("weakAlias") == ["Sweet Micky"]
    assert person.get("nationality") == ["ht"]
    assert person.get("birthPlace") == ["Port-au-Prince, Haiti"]
    assert Identifier(type="national_id", value="0032768386", country="ht", label="National ID No.") in (
        person.identifiers
    )
    # A driver's licence is a government ID; OFAC's own label is kept.
    assert Identifier(
        type="national_id", value="M634550610520", country="us", label="Driver's License No."
    ) in (person.identifiers)
    weak = by_uid["17015"]
    assert weak.get("weakAlias") == ["VEB", "BANK FOR DEVELOPMENT"]
    assert "VEB" not in weak.get("alias")


def test_formerly_known_as_becomes_previous_name(by_uid):
    entity = by_uid["18281"]
    assert entity.get("name") == ["LLC INFRASTRUCTURE MOLZHANINOVO"]
    assert entity.get("previousName") == ["LLC RESAD", "RESAD LLC"]
    assert entity.get("alias") == ["INFRASTRUKTURA MOLZHANINOVO"]


def test_entity_identifiers_are_typed_with_their_country(by_uid):
    bank = by_uid["18268"]
    assert bank.schema == "Company"
    assert bank.get("name") == ["EXIMBANK OF RUSSIA JSC"]
    assert bank.identifiers == [
        Identifier(type="registration", value="1027739109133", country="ru", label="Registration Number"),
        Identifier(type="tax_id", value="7704001959", country="ru", label="Tax ID No."),
        Identifier(type="lei", value="253400HA6URWT39X2982", label="Legal Entity Number"),
        Identifier(type="website", value="eximbank.ru", label="Website"),
        Identifier(type="swift_bic", value="EXIRRUMM", label="SWIFT/BIC"),
    ]
    assert bank.get("website") == ["eximbank.ru"]
    assert [s.program for s in bank.sanctions] == ["UKRAINE-EO13662", "RUSSIA-EO14024"]


def test_non_identifier_id_entries_become_properties_or_notes(by_uid):
    bank = by_uid["18268"]
    assert bank.get("incorporationDate") == ["1994-05-24"]
    assert "Target Type: Financial Institution" in bank.get("notes")
    assert "Executive Order 13662 Directive Determination - Subject to Directive 1" in bank.get("notes")
    labels = {ident.label for ident in bank.identifiers}
    assert not labels & {"Target Type", "Secondary sanctions risk:", "Organization Established Date"}


def test_chinese_unified_social_credit_code_is_uscc(by_uid):
    dji = by_uid["33111"]
    assert dji.get("name") == ["SZ DJI TECHNOLOGY CO., LTD."]
    assert dji.identifiers == [
        Identifier(
            type="uscc", value="914403007954257495", country="cn", label="Unified Social Credit Code (USCC)"
        )
    ]


def test_cmic_securities_details(by_uid):
    telecom = by_uid["30882"]
    assert "CHA US" in telecom.get("ticker")
    assert Identifier(type="other", value="US1694261033", label="ISIN") in telecom.identifiers
    assert not any(ident.label == "Equity Ticker" for ident in telecom.identifiers)
    assert "Listing Date (CMIC): 03 Jun 2021" in telecom.get("notes")


def test_addresses_are_structured_with_country_code(by_uid):
    bank = by_uid["18268"]
    assert bank.addresses == [
        Address(
            full="12 Krasnopresnenskaya Embankments, Moscow, 123610, Russia",
            street="12 Krasnopresnenskaya Embankments",
            city="Moscow",
            postal_code="123610",
            country="ru",
            country_name="Russia",
        )
    ]
    assert bank.get("country") == ["ru"]
    martelly = by_uid["50476"]
    assert martelly.addresses[0] == Address(
        full="Miami, FL, United States", city="Miami", region="FL", country="us", country_name="United States"
    )
    assert martelly.get("country") == ["us", "ht", "do"]


def test_palestinian_and_region_pseudo_countries_resolve(by_uid):
    assert by_uid["9641"].addresses == [
        Address(full="Gaza, Palestinian", region="Gaza", country="ps", country_name="Palestinian")
    ]
    assert by_uid["9647"].addresses[0].country == "ps"
    assert by_uid["9647"].addresses[0].country_name == "Region: Gaza"


def test_linked_to_remarks_become_links_resolved_within_the_file(by_uid):
    bank = by_uid["18268"]
    target = "STATE CORPORATION BANK FOR DEVELOPMENT AND FOREIGN ECONOMIC AFFAIRS VNESHECONOMBANK"
    assert bank.links == [Link(relation="Linked To", target_name=target, target_source_id="17015")]
    assert any(note.endswith(f"(Linked To: {target})") for note in bank.get("notes"))
    # HAMAS is on the SDN list, not in this file: the name is kept, the id left for later.
    assert by_uid["9647"].links == [Link(relation="Linked To", target_name="HAMAS")]


def test_every_property_is_valid_for_its_schema(parsed):
    for entity in parsed.entities:
        schema = model.get(entity.schema)
        for prop in entity.properties:
            assert prop in schema.properties, (entity.id, prop)


def test_linked_to_parser_handles_nested_parentheses():
    remarks = "Some text; (Linked To: ACME (HOLDINGS) LTD.); (Linked To: BETA LLC)"
    assert ofac_xml.linked_to(remarks) == ["ACME (HOLDINGS) LTD", "BETA LLC"]


def test_birth_date_ranges_and_approximations():
    assert ofac_xml.birth_dates("circa 1962") == ["1962"]
    assert ofac_xml.birth_dates("1960 to 1962") == ["1960", "1961", "1962"]
    assert ofac_xml.birth_dates("Feb 1980") == ["1980-02"]
    assert ofac_xml.birth_dates("nonsense") == []


# -- the same parser on an SDN file in the old namespace ------------------------------------------

OLD_SDN = b"""<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>12/31/2024</Publish_Date><Record_Count>2</Record_Count></publshInformation>
  <sdnEntry>
    <uid>101</uid><lastName>SEA STAR</lastName><sdnType>Vessel</sdnType>
    <remarks>(Linked To: SHIPPING CO LTD)</remarks>
    <programList><program>IRAN</program><program>SDGT</program></programList>
    <idList>
      <id><uid>1</uid><idType>Vessel Registration Identification</idType><idNumber>IMO 9187629</idNumber></id>
      <id><uid>2</uid><idType>MMSI</idType><idNumber>572469210</idNumber></id>
      <id><uid>3</uid><idType>Vessel Year of Build</idType><idNumber>1999</idNumber></id>
      <id><uid>4</uid><idType>Other Vessel Flag</idType><idNumber>Panama</idNumber></id>
    </idList>
    <akaList><aka><uid>5</uid><type>f.k.a.</type><category>strong</category><lastName>OCEAN STAR</lastName></aka></akaList>
    <vesselInfo><callSign>EPBV2</callSign><vesselType>Crude Oil Tanker</vesselType><vesselFlag>Iran</vesselFlag>
      <vesselOwner>SHIPPING CO LTD</vesselOwner><tonnage>150000</tonnage><grossRegisteredTonnage>80000</grossRegisteredTonnage>
    </vesselInfo>
  </sdnEntry>
  <sdnEntry>
    <uid>102</uid><firstName>John</firstName><lastName>DOE</lastName><title>Director</title>
    <sdnType>Individual</sdnType>
    <programList><program>CYBER2</program></programList>
    <idList>
      <id><uid>6</uid><idType>Digital Currency Address - XBT</idType><idNumber>1BoatSLRHtKNngkdXEeobR76b53LETtpyT</idNumber></id>
      <id><uid>7</uid><idType>Passport</idType><idNumber>A123</idNumber><idCountry>Germany</idCountry>
          <issueDate>01 Jan 2015</issueDate><expirationDate>01 Jan 2025</expirationDate></id>
      <id><uid>8</uid><idType>Frequent Flyer No.</idType><idNumber>FF-99</idNumber></id>
    </idList>
    <nationalityList><nationality><uid>9</uid><country>Germany</country><mainEntry>true</mainEntry></nationality></nationalityList>
    <dateOfBirthList><dateOfBirthItem><uid>10</uid><dateOfBirth>circa 1970</dateOfBirth></dateOfBirthItem></dateOfBirthList>
  </sdnEntry>
</sdnList>
"""


def test_old_namespace_sdn_file_with_vessel_and_crypto(tmp_path):
    path = tmp_path / "sdn.xml"
    path.write_bytes(OLD_SDN)
    parsed = ofac_xml.parse(path, "us_ofac_sdn")
    assert parsed.published == "2024-12-31"
    vessel, person = parsed.entities
    assert vessel.id == "us_ofac_sdn-101"
    assert vessel.schema == "Vessel"
    assert vessel.get("name") == ["SEA STAR"]
    assert vessel.get("previousName") == ["OCEAN STAR"]
    assert vessel.get("callSign") == ["EPBV2"]
    assert vessel.get("type") == ["Crude Oil Tanker"]
    assert vessel.get("flag") == ["ir"]
    assert vessel.get("pastFlags") == ["pa"]
    assert vessel.get("tonnage") == ["150000"]
    assert vessel.get("grossRegisteredTonnage") == ["80000"]
    assert vessel.get("buildDate") == ["1999"]
    assert vessel.get("imoNumber") == ["IMO 9187629"]
    assert vessel.get("mmsi") == ["572469210"]
    assert "Vessel Owner: SHIPPING CO LTD" in vessel.get("notes")
    assert [i.type for i in vessel.identifiers] == ["imo", "mmsi"]
    assert vessel.programs == ["IRAN", "SDGT"]
    assert vessel.links == [Link(relation="Linked To", target_name="SHIPPING CO LTD")]

    assert person.get("name") == ["DOE, John"]
    assert person.get("position") == ["Director"]
    assert person.get("nationality") == ["de"]
    assert person.get("birthDate") == ["1970"]
    crypto, passport, other = person.identifiers
    assert crypto == Identifier(
        type="crypto",
        value="1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
        label="Digital Currency Address - XBT",
        currency="XBT",
    )
    assert (passport.type, passport.country, passport.issued, passport.expires) == (
        "passport",
        "de",
        "2015-01-01",
        "2025-01-01",
    )
    assert (other.type, other.label, other.value) == ("other", "Frequent Flyer No.", "FF-99")
    assert any("Frequent Flyer No." in warning for warning in parsed.warnings)


# -- bad input ------------------------------------------------------------------------------------


def test_truncated_file_raises_with_file_and_line(tmp_path):
    data = _xml_bytes()
    path = tmp_path / "consolidated.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError) as caught:
        ofac_xml.parse(path, "us_ofac_cons")
    assert caught.value.path == str(path)
    assert caught.value.where.startswith("line ")


def test_truncated_gzip_is_reported(tmp_path):
    data = CONS_XML.read_bytes()
    path = tmp_path / "consolidated.xml.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError, match="truncated"):
        ofac_xml.parse(path, "us_ofac_cons")


def test_entries_missing_against_record_count_are_refused(tmp_path):
    data = _xml_bytes()
    cut = data.rindex(b"<sdnEntry>")
    path = tmp_path / "consolidated.xml"
    path.write_bytes(data[:cut] + b"</sdnList>\n")
    with pytest.raises(ListFormatError) as caught:
        ofac_xml.parse(path, "us_ofac_cons")
    assert "Record_Count" in caught.value.where
    assert "443" in caught.value.message and "442" in caught.value.message


def billion_laughs(root: str) -> bytes:
    """The classic entity-expansion bomb: 10**9 "lol"s if a parser expanded it."""
    decls = ['<!ENTITY lol0 "lol">']
    decls += [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n' + "\n".join(decls) + "\n]>\n"
        f"<{root}><sdnEntry><uid>1</uid><lastName>&lol9;</lastName>"
        f"<sdnType>Entity</sdnType></sdnEntry></{root}>\n"
    ).encode()


def test_billion_laughs_is_rejected_without_expansion(tmp_path):
    path = tmp_path / "lol.xml"
    path.write_bytes(billion_laughs("sdnList"))
    with pytest.raises(ListFormatError, match="(?i)entit"):
        ofac_xml.parse(path, "us_ofac_cons")


def test_wrong_root_element_is_refused(tmp_path):
    path = tmp_path / "other.xml"
    path.write_bytes(b"<sanctionsData><entities/></sanctionsData>")
    with pytest.raises(ListFormatError, match="sdnList"):
        ofac_xml.parse(path, "us_ofac_cons")


def test_entry_without_uid_names_its_position(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(
        b"<sdnList>\n<sdnEntry><lastName>X</lastName><sdnType>Entity</sdnType></sdnEntry>\n</sdnList>"
    )
    with pytest.raises(ListFormatError) as caught:
        ofac_xml.parse(path, "us_ofac_cons")
    assert caught.value.where == "sdnEntry #1 (line 2)"
    assert "uid" in caught.value.message


def test_entry_without_name_is_an_error_not_skipped(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(b"<sdnList>\n<sdnEntry><uid>7</uid><sdnType>Entity</sdnType></sdnEntry>\n</sdnList>")
    with pytest.raises(ListFormatError) as caught:
        ofac_xml.parse(path, "us_ofac_cons")
    assert "uid=7" in caught.value.where
    assert "name" in caught.value.message


def test_duplicate_uid_is_refused(tmp_path):
    entry = b"<sdnEntry><uid>7</uid><lastName>X</lastName><sdnType>Entity</sdnType></sdnEntry>\n"
    path = tmp_path / "dup.xml"
    path.write_bytes(b"<sdnList>\n" + entry + entry + b"</sdnList>")
    with pytest.raises(ListFormatError, match="duplicate uid"):
        ofac_xml.parse(path, "us_ofac_cons")


def test_aircraft_details_become_properties_and_identifiers(tmp_path):
    path = tmp_path / "sdn.xml"
    path.write_bytes(
        b"<sdnList><sdnEntry><uid>300</uid><lastName>EP-ABC</lastName><sdnType>Aircraft</sdnType>"
        b"<programList><program>SDGT</program></programList><idList>"
        b"<id><idType>Aircraft Tail Number</idType><idNumber>EP-ABC</idNumber></id>"
        b"<id><idType>Aircraft Model</idType><idNumber>Airbus A340-642</idNumber></id>"
        b"<id><idType>Aircraft Manufacture Date</idType><idNumber>01 Jan 2003</idNumber></id>"
        b"<id><idType>Aircraft Manufacturer's Serial Number (MSN)</idType><idNumber>550</idNumber></id>"
        b"<id><idType>Aircraft Operator</idType><idNumber>MAHAN AIR</idNumber></id>"
        b"</idList></sdnEntry></sdnList>"
    )
    plane = ofac_xml.parse(path, "us_ofac_sdn").entities[0]
    assert plane.schema == "Airplane"
    assert plane.get("registrationNumber") == ["EP-ABC"]
    assert plane.get("model") == ["Airbus A340-642"]
    assert plane.get("buildDate") == ["2003-01-01"]
    assert plane.get("serialNumber") == ["550"]
    assert "Aircraft Operator: MAHAN AIR" in plane.get("notes")
    assert [(i.type, i.label, i.value) for i in plane.identifiers] == [
        ("other", "Aircraft Tail Number", "EP-ABC"),
        ("other", "Aircraft Manufacturer's Serial Number (MSN)", "550"),
    ]
