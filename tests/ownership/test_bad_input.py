"""Bad input is reported clearly, never crashes or loops, and the rest of the import completes."""

from __future__ import annotations

import json

import numpy as np

from proscribe.ownership.graph import OwnershipGraph, load
from proscribe.ownership.regime import compute, regime_by_name

CSV = """owner_name,owned_name,share,relationship,start_date,end_date,source
Blocked Person,Alpha,60,shareholding,2020-01-01,,registry
Alpha,Beta,70,,,,registry
Beta,Alpha,40,,,,registry
Gamma,Gamma,20,,,,registry
Blocked Person,Delta,-10,,,,registry
Blocked Person,Epsilon,lots,,,,registry
Other,Delta,90,,,,registry
Delta,Zeta,30,,,,registry
Another,Zeta,80,,,,registry
Blocked Person,Eta,55,shareholding,not a date,,registry
,Theta,10,,,,registry
Blocked Person,Iota,10,partnership,,,registry
"""


def test_csv_with_every_kind_of_bad_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(CSV, encoding="utf-8")
    data = load(path)
    kinds = {issue.kind for issue in data.issues}
    assert {
        "cycle",
        "self_ownership",
        "negative_share",
        "non_numeric_share",
        "total_over_100",
        "bad_date",
        "bad_row",
        "unknown_relationship",
    } <= kinds
    cycle = next(i for i in data.issues if i.kind == "cycle")
    assert set(cycle.entities) == {"name:alpha", "name:beta"}
    assert "line 5" in next(i for i in data.issues if i.kind == "self_ownership").where
    # the rest is imported: 12 rows, minus self ownership and the row without an owner
    assert len(data.edges) == 10
    graph = OwnershipGraph.from_data(data, "2026-11-01")
    listed = np.isin(np.array(graph.ids), ["name:blocked-person"])
    result = compute(regime_by_name("ofac"), graph, listed)
    label = {pid: result.label(i) for i, pid in enumerate(graph.ids)}
    assert label["name:alpha"] == "block" and label["name:beta"] == "block"  # the cycle is decided once
    assert label["name:delta"] == "review" and label["name:epsilon"] == "review"
    assert label["name:eta"] == "block"
    assert label["name:iota"] == "review"  # unknown relationship: never a harmless lead


def test_json_with_dangling_reference_and_wrong_types(tmp_path):
    doc = {
        "parties": [{"id": "p1", "name": "Owner One"}, {"name": "no id"}, {"id": "c1", "name": "Company"}],
        "relationships": [
            {"owner": "p1", "owned": "c1", "share": 60},
            {"owner": "p1", "owned": "ghost", "share": 60},
            "not an object",
            {"owner": "c1", "owned": "p1", "share": 200},
        ],
    }
    path = tmp_path / "o.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    data = load(path)
    kinds = [i.kind for i in data.issues]
    assert "dangling" in kinds and "share_over_100" in kinds and kinds.count("bad_row") == 2
    assert len(data.edges) == 3


def test_unreadable_files_are_reported_not_raised(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    assert load(path).issues[0].kind == "file"
    assert load(tmp_path / "missing.csv").issues[0].kind == "file"
    csv_path = tmp_path / "x.csv"
    csv_path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert load(csv_path).issues[0].kind == "file"


def test_long_cycle_with_a_listed_entry_point_terminates(run_rules):
    rows = [{"owner": f"N{i}", "owned": f"N{(i + 1) % 50}", "share": 60} for i in range(50)]
    rows.append({"owner": "X", "owned": "N0", "share": 50})
    result, graph, data = run_rules(rows, ["X"])
    assert all(result.label(graph.index[f"N{i}"]) == "block" for i in range(50))
    assert any(i.kind == "cycle" for i in data.issues)
    from proscribe.ownership import explain

    tree = explain.path_tree(result, graph.index["N0"])
    assert "X" in explain.text_tree(tree)
