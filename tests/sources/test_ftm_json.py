"""FtM JSON lines parser, against the OpenSanctions/yente fixtures (see PROVENANCE.md)."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import model as ftm_model

from proscribe.model import IDENTIFIER_PROPS, Identifier, make_id
from proscribe.sources import ftm_json
from proscribe.sources.base import ListFormatError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "opensanctions"
T1 = FIXTURES / "t1_entities.ftm.json"
ZALA = FIXTURES / "zala_entities.ftm.json"

CST = "NK-abdzbEBkqyT29GyREbiURZ"  # LLC CST (Zala Aero Group)
ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"  # Alexander Vyacheslavovich ZAKHAROV
KALASHNIKOV = "NK-nR5AXM9AVPq4pQaSPSaVam"


@pytest.fixture(scope="module")
def t1():
    return ftm_json.parse(T1, "eu_fsf")


@pytest.fixture(scope="module")
def zala():
    return ftm_json.parse(ZALA, "opensanctions")


def by_source(parsed, source_id):
    return next(e for e in parsed.entities if e.source_id == source_id)


def write_lines(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


# -- counts ---------------------------------------------------------------------------------------


def test_t1_yields_the_four_persons_and_two_organizations_and_folds_the_address(t1):
    assert len(t1.entities) == 6
    assert Counter(e.schema for e in t1.entities) == {"Person": 4, "Organization": 2}
    assert t1.dataset == "eu_fsf"
    assert t1.published is None


def test_zala_yields_the_17_screenable_parties_out_of_91_lines(zala):
    assert len(zala.entities) == 17
    assert Counter(e.schema for e in zala.entities) == {"Company": 11, "Person": 6}
    # Sanction, Ownership, Address, Family, Directorship, Passport never become parties.
    assert not any("skipped" in w for w in zala.warnings)


def test_entity_ids_are_made_from_the_dataset_argument_and_the_ftm_id(zala):
    cst = by_source(zala, CST)
    assert cst.id == make_id("opensanctions", CST) == f"opensanctions-{CST}"
    assert cst.dataset == "opensanctions"
    assert len({e.id for e in zala.entities}) == 17


def test_targets_only_drops_context_companies_that_are_not_sanctioned():
    parsed = ftm_json.parse(ZALA, "os", targets_only=True)
    dropped = {"NK-56Edov9bas9puzaChH5pBy", "NK-9Xa4Kg7Y7nfccE7VcZt6Q6", "ru-inn-5920040846"}
    assert len(parsed.entities) == 14
    assert not dropped & {e.source_id for e in parsed.entities}


# -- names and properties ---------------------------------------------------------------------


def test_caption_becomes_the_first_name_and_original_scripts_are_kept_verbatim(t1):
    kuzmenko = by_source(t1, "NK-2Ka3UvopqbpZmVDFjWd4LA")
    assert kuzmenko.caption == "Vitaly Yurievich KUZMENKO"
    assert "Виталий Юрьевич КУЗЬМЕНКО" in kuzmenko.get("name")
    assert kuzmenko.get("birthDate") == ["1971-01-22"]
    assert kuzmenko.get("gender") == ["male"]
    assert kuzmenko.get("nationality") == ["ru"]
    assert kuzmenko.get("position") == ["General Director of JSC 163 Armor Repair Plant"]
    irgc = by_source(t1, "NK-2PacmNpiLUmoz4XD2mSt7A")
    assert irgc.caption == "IRGC"
    assert irgc.get("name") == ["IRGC", "Iranian Revolutionary Guard Corps"]


def test_weak_aliases_stay_apart_from_strong_aliases(zala):
    cst = by_source(zala, CST)
    assert "ZALA" in cst.get("weakAlias")
    assert "CST" in cst.get("weakAlias")
    assert "ZALA" not in cst.get("alias")
    assert "ZALA Aero Group" in cst.get("alias")


def test_previous_names_are_kept(zala):
    osetrova = by_source(zala, "NK-2Tbri3s6GgNtAwsSXh4qpL")
    assert "Мария Александровна Захарова" in osetrova.get("previousName")
    assert osetrova.get("birthDate") == ["1988-01-07"]
    assert osetrova.get("citizenship") == ["ru"]


def test_every_property_is_valid_for_the_entity_schema(t1, zala):
    for parsed in (t1, zala):
        for entity in parsed.entities:
            schema = ftm_model.get(entity.schema)
            for prop in entity.properties:
                assert prop in schema.properties, (entity.schema, prop)


# -- identifiers --------------------------------------------------------------------------------


def test_identifier_properties_become_typed_identifiers_and_leave_properties(t1, zala):
    inter_tobacco = by_source(t1, "NK-2GdmHtZTeNXjNVrBGEXZNj")
    assert inter_tobacco.identifiers == [
        Identifier(type="registration", value="808000714", label="registrationNumber")
    ]
    assert "registrationNumber" not in inter_tobacco.properties

    cst = by_source(zala, CST)
    values = {(i.type, i.value) for i in cst.identifiers}
    assert ("inn", "1841015504") in values
    assert ("ogrn", "1101841007938") in values
    assert ("tax_id", "1841001815") in values
    assert ("email", "info@zala.aero") in values
    assert ("website", "https://zala-aero.com/") in values
    assert ("phone", "+7 (3412) 43-05-05; +7 (951) 210-81-28; +7 (912) 769-33-11") in values
    for ident in cst.identifiers:
        assert ident.type in IDENTIFIER_PROPS
    inn = next(i for i in cst.identifiers if i.type == "inn")
    assert inn.country == "ru" and inn.label == "innCode"
    for prop in ("innCode", "ogrnCode", "taxNumber", "email", "website", "phone", "registrationNumber"):
        assert prop not in cst.properties


def test_passport_number_property_becomes_a_passport_identifier(zala):
    lavrentiy = by_source(zala, "NK-hUAjuiA3vTKXF6v2X6MYnS")
    assert Identifier(type="passport", value="089132114", label="passportNumber") in lavrentiy.identifiers


def test_passport_entity_without_a_number_is_reported_not_invented(zala):
    zakharov = by_source(zala, ZAKHAROV)
    assert not [i for i in zakharov.identifiers if i.type == "passport"]
    assert any("gb-fcdo-217caa5aa607244044b49706d04d8d6c5ec992bd has no number" in w for w in zala.warnings)


# -- sanctions and addresses --------------------------------------------------------------------


def test_all_41_sanction_entities_fold_into_their_targets(zala):
    assert len(by_source(zala, CST).sanctions) == 28
    assert len(by_source(zala, ZAKHAROV).sanctions) == 13
    assert sum(len(e.sanctions) for e in zala.entities) == 41


def test_sanction_keeps_authority_program_id_listing_date_and_source_id(zala):
    zakharov = by_source(zala, ZAKHAROV)
    eu = next(
        s for s in zakharov.sanctions if s.source_id == "eu-fsf-fca984f109185655c61bb72201265924b6afe734"
    )
    assert eu.authority.startswith("Directorate")
    assert eu.program == "EU-UKR"
    assert eu.listing_date == "2025-02-24"
    assert eu.reason == "2025/389 (OJ L24022025)"
    assert "EU-UKR" in zakharov.programs


def test_sanction_listing_date_is_the_earliest_and_falls_back_to_start_date(zala):
    cst = by_source(zala, CST)
    belgium = next(
        s for s in cst.sanctions if s.source_id == "be-fod-6b5e9e949f3a7b1e9f5e62ecec79478ca6a28a0b"
    )
    assert belgium.listing_date == "2023-12-18"  # listingDate: 2025-03-15 and 2023-12-18
    australia = next(s for s in cst.sanctions if s.source_id.startswith("au-dfat-5660"))
    assert australia.listing_date == "2023-02-24"  # startDate only
    assert australia.program == "AU-RUSSIA"
    assert australia.authority == "Department of Foreign Affairs and Trade"


def test_address_entities_fold_into_structured_addresses_with_country(zala):
    cst = by_source(zala, CST)
    po_box = next(a for a in cst.addresses if a.full == "P.O. Box 9050, Izhevsk, Russian Federation, 426011")
    assert po_box.region == "Udmurt Republic"
    assert po_box.postal_code == "426011"
    assert po_box.country == "ru"
    moscow = next(a for a in cst.addresses if a.full == "9 Salyama Adilya St., Office 3, Moscow, 123154")
    assert (moscow.street, moscow.city, moscow.country) == ("9 Salyama Adilya St., Office 3", "Moscow", "ru")
    assert "ru" in cst.get("country")


def test_unresolvable_address_references_are_reported(t1):
    assert any("addressEntity references are not in the file" in w for w in t1.warnings)


def test_references_by_referent_id_are_resolved(tmp_path):
    path = write_lines(
        tmp_path / "refs.ftm.json",
        [
            {
                "id": "NK-1",
                "schema": "Company",
                "properties": {"name": ["Example Holding Ltd"], "addressEntity": ["addr-old"]},
                "referents": ["ofac-1"],
            },
            {
                "id": "NK-2",
                "schema": "Address",
                "properties": {"full": ["1 Main St, Valletta"], "country": ["mt"]},
                "referents": ["addr-old"],
            },
            {
                "id": "s-1",
                "schema": "Sanction",
                "properties": {"entity": ["ofac-1"], "authority": ["OFAC"], "program": ["SDGT"]},
            },
            {
                "id": "w-1",
                "schema": "CryptoWallet",
                "properties": {
                    "holder": ["ofac-1"],
                    "publicKey": ["1BoatSLRHtKNngkdXEeobR76b53LETtpyT"],
                    "currencySymbol": ["XBT"],
                },
            },
        ],
    )
    parsed = ftm_json.parse(path, "test")
    (entity,) = parsed.entities
    assert entity.sanctions[0].program == "SDGT"
    assert entity.addresses[0].full == "1 Main St, Valletta"
    assert entity.get("country") == ["mt"]
    crypto = entity.identifiers[0]
    assert (crypto.type, crypto.currency, crypto.value) == (
        "crypto",
        "XBT",
        "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
    )


def test_ftm_subschemata_of_organizations_are_screened_and_other_schemata_skipped_with_warning(tmp_path):
    path = write_lines(
        tmp_path / "mixed.ftm.json",
        [
            {"id": "pb", "schema": "PublicBody", "properties": {"name": ["Ministry of Examples"]}},
            {"id": "a1", "schema": "Article", "properties": {"title": ["News"]}},
        ],
    )
    parsed = ftm_json.parse(path, "test")
    assert [(e.source_id, e.schema) for e in parsed.entities] == [("pb", "Organization")]
    assert any("skipped 1 Article" in w for w in parsed.warnings)


# -- relationships ------------------------------------------------------------------------------


def test_parse_relationships_returns_the_14_ownership_edges_with_percentages():
    edges = ftm_json.parse_relationships(ZALA)
    ownership = {e["id"]: e for e in edges if e["schema"] == "Ownership"}
    assert len(ownership) == 14
    assert {k: v["percentage"] for k, v in ownership.items()} == {
        "NK-3NyeuT6JeJDLhGEyH3JD52": None,
        "ru-1099d5efed93ff280a45471ee42a16e6a2960c98": None,
        "ru-159c785ad927d3e153b23a26620730465ed26f1c": 100.0,
        "ru-1d1ded00081c89c36ae77a71f00eb0a868e5313d": None,
        "ru-1de03979d6d800891cc047a737d0609600fff99f": 2.0,
        "ru-29477727b21c0f44d9c8b2e0c3697b8e028f8f5f": 49.0,
        "ru-473aadfa7de6b37da51cbbc60864d284eb5cd199": 1.0,
        "ru-4f1dde663bc2ea2f208283e5253fb5079df93190": 100.0,
        "ru-5528524ef7d9bfc955a598ba8fd2cbe084a549d5": 75.0,
        "ru-770bdf5f22537fa2a94176f53fa87fe28ecf94fa": 50.0,
        "ru-7f202fd87a7ec03404a36667672156628713531c": 48.0,
        "ru-c88ac31fcd8b1f6affcefa24046834154aff4221": 100.0,
        "ru-d8c939aacb1246eaa23ea7277fcfe4563cdb9f18": None,
        "ru-dfe0a021cb69f99e198bb8cbbcb93e81130b32a7": 51.0,
    }
    kalashnikov = ownership["ru-29477727b21c0f44d9c8b2e0c3697b8e028f8f5f"]
    assert (kalashnikov["owner"], kalashnikov["asset"]) == (KALASHNIKOV, CST)
    assert (kalashnikov["source"], kalashnikov["target"]) == (KALASHNIKOV, CST)
    assert kalashnikov["startDate"] == "2016-03-29" and kalashnikov["endDate"] is None
    assert kalashnikov["sharesCount"] == "6401.77"
    ended = ownership["ru-770bdf5f22537fa2a94176f53fa87fe28ecf94fa"]
    assert (ended["owner"], ended["startDate"], ended["endDate"]) == (ZAKHAROV, "2015-11-25", "2023-03-02")
    assert ownership["NK-3NyeuT6JeJDLhGEyH3JD52"]["role"] == "subsidiary of"
    assert ownership["ru-4f1dde663bc2ea2f208283e5253fb5079df93190"]["asset"] == "ru-inn-5920040846"


def test_parse_relationships_exposes_directorships_and_family_links():
    edges = ftm_json.parse_relationships(ZALA)
    assert Counter(e["schema"] for e in edges) == {"Ownership": 14, "Family": 4, "Directorship": 3}
    director = next(e for e in edges if e["id"] == "ru-a9285fbd0d02aebe28295dd37885191822789ad8")
    assert director["director"] == "NK-mCEmxFfuhfdjpC8gsxH74o"
    assert director["organization"] == CST
    assert director["role"] == "ГЕНЕРАЛЬНЫЙ ДИРЕКТОР"
    family = next(e for e in edges if e["id"] == "ofac-6d023267c742427bc92220ad97daca2e17b136ff")
    assert (family["person"], family["relative"]) == ("NK-JseaPJctnK9o8wrmz8xmoT", ZAKHAROV)
    assert family["role"] == "Family member of"


def test_relationship_without_an_endpoint_is_an_error_naming_the_line(tmp_path):
    path = write_lines(
        tmp_path / "edge.ftm.json", [{"id": "o1", "schema": "Ownership", "properties": {"owner": ["a"]}}]
    )
    with pytest.raises(ListFormatError) as err:
        ftm_json.parse_relationships(path)
    assert err.value.where == "line 1"
    assert "asset" in err.value.message


# -- bad input ----------------------------------------------------------------------------------


def test_invalid_json_line_is_an_error_naming_its_line_number(tmp_path):
    lines = T1.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3][:40]
    path = tmp_path / "broken.ftm.json"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ListFormatError) as err:
        ftm_json.parse(path, "eu_fsf")
    assert err.value.where == "line 4"
    assert str(path) in str(err.value)


def test_truncated_file_is_an_error_naming_the_last_line(tmp_path):
    data = T1.read_bytes()
    path = tmp_path / "truncated.ftm.json"
    path.write_bytes(data[: len(data) - 200])
    with pytest.raises(ListFormatError) as err:
        ftm_json.parse(path, "eu_fsf")
    assert err.value.where == "line 7"


def test_truncated_gzip_file_is_refused(tmp_path):
    packed = gzip.compress(ZALA.read_bytes())
    path = tmp_path / "zala.ftm.json.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(ListFormatError):
        ftm_json.parse(path, "os")


def test_whole_gzip_file_parses_like_the_plain_one(tmp_path):
    path = tmp_path / "zala.ftm.json.gz"
    path.write_bytes(gzip.compress(ZALA.read_bytes()))
    assert len(ftm_json.parse(path, "os").entities) == 17


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"schema": "Person", "properties": {}}, "no 'id'"),
        ({"id": "x1", "properties": {}}, "no 'schema'"),
        ({"id": "x1", "schema": "Persn", "properties": {}}, "unknown schema 'Persn'"),
        ({"id": "x1", "schema": "Person", "properties": {"name": "Joe"}}, "not a list of strings"),
        ({"id": "x1", "schema": "Person", "properties": []}, "'properties' is not an object"),
        (["not", "an", "object"], "not a JSON object"),
    ],
)
def test_malformed_entity_is_an_error_naming_its_line(tmp_path, record, message):
    good = {"id": "ok", "schema": "Person", "properties": {"name": ["Jane Example"]}}
    path = tmp_path / "bad.ftm.json"
    path.write_text(json.dumps(good) + "\n\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(ListFormatError) as err:
        ftm_json.parse(path, "test")
    assert err.value.where == "line 3"
    assert message in err.value.message


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(ListFormatError):
        ftm_json.parse(tmp_path / "absent.ftm.json", "test")
