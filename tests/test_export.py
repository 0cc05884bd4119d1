"""`proscribe export --format ftm`: FollowTheMoney JSON lines that followthemoney validates,
exported from the current snapshots (the reconstructed OFAC SDN set and the UN list)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import model
from typer.testing import CliRunner

from proscribe.cli import app
from proscribe.export import export_entities, ftm_id, to_ftm
from proscribe.model import SCHEMATA, Entity, Identifier, Link, Sanction

BIN = Path(sys.executable).with_name("proscribe")
ITG = "us-ofac-sdn-50543"


@pytest.fixture(scope="module")
def exported(history_home, tmp_path_factory) -> list[dict]:
    """The current snapshots of the history store, exported by the real CLI process."""
    out = tmp_path_factory.mktemp("export") / "entities.ftm.json"
    env = {k: v for k, v in os.environ.items() if k != "PROSCRIBE_DATABASE_URL"}
    env["PROSCRIBE_HOME"] = str(history_home)
    proc = subprocess.run(
        [str(BIN), "export", "--format", "ftm", "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert f"wrote {len(lines)} FtM entities" in proc.stderr
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def by_id(exported) -> dict[str, dict]:
    return {record["id"]: record for record in exported}


@pytest.fixture(scope="module")
def proxies(exported) -> list:
    """Every line loaded by followthemoney with cleaning on (``cleaned=False``: values are cleaned
    and validated; anything invalid is dropped or raises)."""
    return [model.get_proxy(record, cleaned=False) for record in exported]


def test_every_line_loads_as_an_ftm_entity_whose_properties_exist_on_its_schema(exported, proxies):
    for record, proxy in zip(exported, proxies, strict=True):
        assert proxy.id == record["id"]
        assert proxy.schema.name == record["schema"]
        for prop in record["properties"]:
            assert proxy.schema.get(prop) is not None, (record["id"], prop)


def test_ids_are_unique_and_in_ftms_id_alphabet(exported, by_id):
    assert len(by_id) == len(exported)
    entity_type = model.get("Sanction").get("entity").type
    assert all(entity_type.validate(record["id"]) for record in exported)


def test_references_survive_ftm_cleaning_and_point_at_entities_of_the_right_schema(exported, proxies, by_id):
    for record, proxy in zip(exported, proxies, strict=True):
        for prop, values in record["properties"].items():
            ptype = proxy.schema.get(prop)
            if ptype.type.name in ("entity", "date"):
                assert proxy.get(prop) == values, (record["id"], prop, values)
            if ptype.type.name == "entity":
                for target in values:
                    assert target in by_id, (record["id"], prop, target)
                    assert model.get(by_id[target]["schema"]).is_a(ptype.range), (record["id"], prop, target)


def test_only_current_snapshots_are_exported_one_main_entity_per_list_entry(exported, by_id):
    main = Counter(record["datasets"][0] for record in exported if record["schema"] in SCHEMATA)
    assert main == {"us_ofac_sdn": 19_249, "un_sc_sanctions": 1_011}
    assert "us-ofac-sdn-38558" not in by_id  # 9H-ARK: only in the 2024-05-02 snapshot


def test_integrity_technology_group_is_exported_with_its_names_and_identifiers(by_id):
    itg = by_id[ITG]
    assert itg["schema"] == "Company" and itg["datasets"] == ["us_ofac_sdn"]
    props = itg["properties"]
    assert props["name"] == ["INTEGRITY TECHNOLOGY GROUP, INCORPORATED"]
    assert props["alias"] == ["BEIJING INTEGRITY TECHNOLOGY COMPANY, LIMITED"]
    assert props["weakAlias"] == ["YONGXIN ZHICHENG TECHNOLOGY GROUP COMPANY, LIMITED"]
    assert props["registrationNumber"] == ["91110108562135265P"]
    assert props["website"] == ["www.integritytech.com.cn"]
    assert props["incorporationDate"] == ["2010-09-02"]
    assert props["country"] == ["cn"]


def test_integrity_technology_group_has_its_sanction_address_and_uscc_document(exported):
    related = [
        r for r in exported if ITG in (r["properties"].get("entity", []) + r["properties"].get("holder", []))
    ]
    sanctions = [r["properties"] for r in related if r["schema"] == "Sanction"]
    assert sanctions == [
        {"entity": [ITG], "authority": ["US OFAC"], "program": ["CYBER2"], "recordId": ["50543"]}
    ]
    documents = [r["properties"] for r in related if r["schema"] == "Identification"]
    assert {
        "holder": [ITG],
        "number": ["91110108562135265P"],
        "type": ["Unified Social Credit Code (USCC)"],
        "country": ["cn"],
    } in documents
    (address,) = [r for r in exported if r["schema"] == "Address" and r["id"].startswith(f"{ITG}-address-")]
    assert address["properties"]["city"] == ["Beijing"] and address["properties"]["country"] == ["cn"]


def test_linked_to_becomes_an_unknown_link_to_the_listed_entity(exported, by_id):
    links = [
        r["properties"]
        for r in exported
        if r["schema"] == "UnknownLink" and r["properties"]["subject"] == ["us-ofac-sdn-4632"]
    ]
    targets = {by_id[link["object"][0]]["properties"]["name"][0] for link in links}
    assert targets == {"ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE", "HIZBALLAH"}
    assert all(link["role"] == ["Linked To"] for link in links)


def test_aircraft_numbers_are_properties_of_the_airplane_not_identity_documents(exported, by_id):
    airplane = by_id["us-ofac-sdn-15432"]  # EP-GOL: construction number 8305, MSN 1013409297
    assert airplane["schema"] == "Airplane"
    assert airplane["properties"]["serialNumber"] == ["8305", "1013409297"]
    assert not [
        r
        for r in exported
        if r["schema"] in ("Identification", "Passport")
        and r["properties"]["holder"] == ["us-ofac-sdn-15432"]
    ]


def test_crypto_wallets_sharing_an_address_across_currencies_stay_distinct():
    entity = Entity(id="us_ofac_sdn-1", schema="Person", dataset="us_ofac_sdn", source_id="1")
    entity.add("name", "DOE, John")
    for currency in ("ETH", "USDT"):
        entity.add_identifier(Identifier(type="crypto", value="0xabc", currency=currency))
    records = list(to_ftm(entity))
    wallets = [r for r in records if r["schema"] == "CryptoWallet"]
    assert sorted(w["properties"]["currency"][0] for w in wallets) == ["ETH", "USDT"]
    assert len({r["id"] for r in records}) == len(records)


def test_ftm_ids_replace_characters_ftm_refuses_and_stay_distinct():
    assert ftm_id("us_ofac_sdn-50543") == "us-ofac-sdn-50543"
    assert ftm_id("un_sc_sanctions-QDi.001") == "un-sc-sanctions-QDi.001"
    assert ftm_id("plain-id.1") == "plain-id.1"
    odd = [ftm_id("my_list-A B/1"), ftm_id("my_list-A-B-1"), ftm_id("my_list-A/B 1"), ftm_id("my_list-Ä")]
    assert len(set(odd)) == len(odd)
    entity_type = model.get("Sanction").get("entity").type
    assert all(entity_type.validate(value) for value in odd)


def test_links_resolve_only_within_the_dataset_and_only_to_one_entity():
    def company(dataset: str, uid: str, name: str) -> Entity:
        entity = Entity(id=f"{dataset}-{uid}", schema="Company", dataset=dataset, source_id=uid)
        entity.add("name", name)
        entity.add_sanction(Sanction(authority="X", program="P"))
        return entity

    source = company("a", "1", "SOURCE LTD")
    source.links = [
        Link("Linked To", target_name="TARGET LTD"),
        Link("Linked To", target_name="TWIN LTD"),
        Link("Linked To", target_name="ELSEWHERE LTD"),
    ]
    entities = [
        source,
        company("a", "2", "TARGET LTD"),
        company("a", "3", "TWIN LTD"),
        company("a", "4", "TWIN LTD"),
        company("b", "5", "ELSEWHERE LTD"),
    ]
    links = [r for r in export_entities(entities) if r["schema"] == "UnknownLink"]
    assert [link["properties"]["object"] for link in links] == [["a-2"]]


def test_cli_export_of_one_dataset_and_unknown_format(history_home, monkeypatch, tmp_path):
    monkeypatch.setenv("PROSCRIBE_HOME", str(history_home))
    out = tmp_path / "un.ftm.json"
    result = CliRunner().invoke(
        app, ["export", "--format", "ftm", "--datasets", "un_sc_sanctions", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["datasets"][0] for r in records} == {"un_sc_sanctions"}
    assert sum(r["schema"] in SCHEMATA for r in records) == 1_011
    bad = CliRunner().invoke(app, ["export", "--format", "csv"])
    assert bad.exit_code == 1
    assert "unknown export format 'csv'" in bad.stderr
