"""FtM import (the OpenSanctions ZALA cluster), resolution through screening, the store, the
CLI (import, changes, explain with SVG/PNG) and the derived entities screening takes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from proscribe.ownership import explain
from proscribe.ownership.graph import OwnershipGraph, load
from proscribe.ownership.regime import compute, regime_by_name

ZALA = Path(__file__).resolve().parents[1] / "fixtures" / "opensanctions" / "zala_entities.ftm.json"
CST = "NK-abdzbEBkqyT29GyREbiURZ"
ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"
KALASHNIKOV = "NK-nR5AXM9AVPq4pQaSPSaVam"


def test_zala_ftm_import_reads_the_cluster():
    data = load(ZALA)
    assert len(data.parties) == 17
    ownership = [e for e in data.edges if e.relationship == "shareholding"]
    assert len(ownership) == 14
    assert sum(1 for e in ownership if e.share_text) == 10
    assert sum(1 for e in data.edges if e.relationship == "directorship") == 3
    assert sum(1 for e in data.edges if e.relationship == "linked") == 4  # Family edges: leads
    kinds = {i.kind for i in data.issues}
    assert "unknown_share" in kinds  # "subsidiary of" without a percentage
    assert "duplicate" in kinds  # Kalashnikov -> CST: 49% and a share-less record, both current


def test_zala_resolution_and_ofac_result(mini_index):
    from proscribe.ownership.resolve import resolve_parties

    data = load(ZALA)
    resolutions = resolve_parties(data.parties, mini_index)
    assert resolutions[ZAKHAROV].listed and resolutions[ZAKHAROV].entity_id == "us_ofac_sdn-31234"
    assert resolutions[KALASHNIKOV].listed and resolutions[KALASHNIKOV].entity_id == "us_ofac_sdn-17022"
    assert resolutions[ZAKHAROV].score >= 0.8
    graph = OwnershipGraph.from_data(data, "2026-11-01")
    listed = np.array([resolutions[p].listed for p in graph.ids])
    result = compute(regime_by_name("ofac"), graph, listed)
    cst = graph.index[CST]
    assert result.label(cst) == "block"  # 51% Zakharov + 49% Kalashnikov (current holdings)
    aeroscan = graph.index["NK-iE6m5ryPeTAMZozfECVSL7"]
    assert result.label(aeroscan) == "none"  # 100% until 2024-03-24 only: ended


@pytest.fixture
def cli_env(monkeypatch, mini_index):
    from proscribe import cli, screen

    monkeypatch.setattr(cli, "ensure_store", lambda: None)
    screen.set_index(mini_index)
    yield CliRunner()
    screen._cached = None


CSV = """owner_id,owner_name,owned_id,owned_name,share,relationship,source
us_ofac_sdn-50543,,acme,Acme Holdings Ltd,50,shareholding,registry
acme,Acme Holdings Ltd,acme-sub,Acme Subsidiary GmbH,60,shareholding,registry
,Yongxin Zhicheng Technology Group,acme-2,Acme Two,25-75,shareholding,registry
acme-sub,,acme-sub,,10,shareholding,registry
"""


def test_cli_import_changes_explain_and_derived_entities(cli_env, tmp_path):
    from proscribe.cli import app
    from proscribe.ownership import derived_entities

    runner = cli_env
    path = tmp_path / "own.csv"
    path.write_text(CSV, encoding="utf-8")
    out = runner.invoke(app, ["ownership", "import", str(path)])
    assert out.exit_code == 0, out.output
    assert "self_ownership" in out.output
    changes = runner.invoke(app, ["ownership", "changes", "--regime", "ofac", "--json"])
    rows = [json.loads(line) for line in changes.output.splitlines() if line.strip()]
    by_party = {row["party_id"]: row for row in rows}
    assert by_party["acme-sub"]["new_status"] == "block"
    assert by_party["acme-2"]["new_status"] == "review"
    expected = (
        "blocked under OFAC 50% rule: 60% owned by INTEGRITY TECHNOLOGY GROUP, INCORPORATED "
        "(us_ofac_sdn 50543, CYBER2, listed 2025-01-03) through Acme Holdings Ltd (50%)"
    )
    assert by_party["acme-sub"]["explanation"] == expected

    svg_path, png_path = tmp_path / "path.svg", tmp_path / "path.png"
    args = ["ownership", "explain", "acme-sub", "--svg", str(svg_path), "--png", str(png_path)]
    assert explain.png_renderer() is not None  # CairoSVG is a dependency: a PNG is always possible
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert expected in shown.output and "└─ 50% ← INTEGRITY TECHNOLOGY GROUP" in shown.output
    picture = svg_path.read_text(encoding="utf-8")
    assert picture.startswith("<svg") and "Acme Subsidiary GmbH" in picture and "60%" in picture
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    entities = {e.source_id: e for e in derived_entities("ofac")}
    sub = entities["ofac-acme-sub"]
    assert sub.dataset == "derived_ownership" and sub.id == "derived_ownership-ofac-acme-sub"
    assert sub.caption == "Acme Subsidiary GmbH" and sub.sanctions[0].reason == expected
    assert sub.sanctions[0].program == "OWNERSHIP-OFAC-BLOCK"
    assert entities["ofac-acme-2"].sanctions[0].program == "OWNERSHIP-OFAC-REVIEW"

    # recomputation with unchanged data is incremental and changes nothing
    again = runner.invoke(app, ["ownership", "compute", "--no-resolve", "--regime", "ofac"])
    assert again.exit_code == 0 and "incremental" in again.output
    assert runner.invoke(app, ["ownership", "changes", "--regime", "ofac", "--json"]).output.count(
        "\n"
    ) == len(rows)


def test_explain_unknown_entity_fails_cleanly(cli_env):
    from proscribe.cli import app

    out = cli_env.invoke(app, ["ownership", "explain", "nobody"])
    assert out.exit_code == 1 and "no party" in out.output


def test_changes_after_data_change_and_after_a_delisting(cli_env, tmp_path, mini_index):
    from proscribe import screen
    from proscribe.cli import app
    from proscribe.index.compiled import build_index

    runner = cli_env
    first = tmp_path / "one.csv"
    first.write_text(CSV, encoding="utf-8")
    assert runner.invoke(app, ["ownership", "import", str(first)]).exit_code == 0
    # the ownership data changes: Acme now holds 40% of its subsidiary
    first.write_text(
        CSV.replace("acme-sub,Acme Subsidiary GmbH,60", "acme-sub,Acme Subsidiary GmbH,40"), "utf-8"
    )
    out = runner.invoke(app, ["ownership", "import", str(first)])
    assert out.exit_code == 0, out.output
    assert "incremental" in out.output
    rows = [
        json.loads(x) for x in runner.invoke(app, ["ownership", "changes", "--json"]).output.splitlines() if x
    ]
    sub = [r for r in rows if r["party_id"] == "acme-sub" and r["regime"] == "ofac"]
    assert sub and sub[0]["old_status"] == "block" and sub[0]["new_status"] == "none"
    assert "FAQ 402" in sub[0]["explanation"]
    # a list update removes ITG: Acme is no longer blocked either
    snaps = {
        "us_ofac_sdn": {
            "id": 2,
            "published": "2026-09-01",
            "sha256": "t2",
            "reconstructed": False,
            "label": "x",
        }
    }
    screen.set_index(build_index({"us_ofac_sdn": []}, snaps))
    out = runner.invoke(app, ["ownership", "compute", "--regime", "ofac"])
    assert out.exit_code == 0, out.output
    rows = [
        json.loads(x) for x in runner.invoke(app, ["ownership", "changes", "--json"]).output.splitlines() if x
    ]
    assert {r["party_id"]: r["new_status"] for r in rows if r["regime"] == "ofac"}.get("acme") == "none"
    assert all(r["mode"] == "incremental" for r in rows if r["regime"] == "ofac")


def test_list_links_become_leads():
    from proscribe.model import Entity, Link
    from proscribe.ownership.graph import data_from_list_links

    a = Entity(id="us_ofac_sdn-1", schema="Company", dataset="us_ofac_sdn", source_id="1")
    a.add("name", "ALPHA CO")
    a.links.append(Link(relation="Linked To", target_name="BETA HOLDING", target_source_id="2"))
    a.links.append(Link(relation="Linked To", target_name="GAMMA LLC"))
    b = Entity(id="us_ofac_sdn-2", schema="Company", dataset="us_ofac_sdn", source_id="2")
    b.add("name", "BETA HOLDING")
    data = data_from_list_links([a, b])
    assert [(e.owner, e.owned, e.relationship) for e in data.edges] == [
        ("us_ofac_sdn-1", "us_ofac_sdn-2", "linked"),
        ("us_ofac_sdn-1", "name:gamma-llc", "linked"),
    ]
    assert all(e.share_low is None for e in data.edges)
