"""Where the OFAC, EU and UK tests differ, and how uncertain evidence is handled."""

from __future__ import annotations

import pytest


def labels(run_rules, rows, listed, node="T", **kw):
    out = {}
    for regime in ("ofac", "eu", "uk"):
        result, graph, _ = run_rules(rows, listed, regime=regime, **kw)
        out[regime] = result.label(graph.index[node])
    return out


def test_exactly_fifty_percent_blocks_under_ofac_and_eu_not_uk(run_rules):
    assert labels(run_rules, [{"owner": "D", "owned": "T", "share": 50}], ["D"]) == {
        "ofac": "block",
        "eu": "block",
        "uk": "none",
    }


def test_unconnected_designated_persons_aggregate_except_under_uk(run_rules):
    rows = [{"owner": "D1", "owned": "T", "share": 30}, {"owner": "D2", "owned": "T", "share": 30}]
    assert labels(run_rules, rows, ["D1", "D2"]) == {"ofac": "block", "eu": "block", "uk": "none"}


def test_uk_aggregates_designated_persons_acting_jointly(run_rules):
    rows = [
        {"owner": "D1", "owned": "T", "share": 30, "joint_group": "pact"},
        {"owner": "D2", "owned": "T", "share": 30, "joint_group": "pact"},
    ]
    assert labels(run_rules, rows, ["D1", "D2"])["uk"] == "block"


def test_uk_attributes_holdings_through_controlled_entities_to_the_designated_person(run_rules):
    rows = [
        {"owner": "D", "owned": "A", "share": 60},
        {"owner": "A", "owned": "T", "share": 30},
        {"owner": "D", "owned": "T", "share": 25},
    ]
    assert labels(run_rules, rows, ["D"])["uk"] == "block"


@pytest.mark.parametrize("basis", ["board_majority", "dominant_influence", "veto", "shareholder_agreement"])
def test_recorded_control_blocks_under_eu_and_uk_not_ofac(run_rules, basis):
    rows = [{"owner": "D", "owned": "T", "relationship": "control", "control_basis": basis}]
    assert labels(run_rules, rows, ["D"]) == {"ofac": "none", "eu": "block", "uk": "block"}


def test_majority_of_voting_rights_is_control_under_eu_and_uk(run_rules):
    rows = [{"owner": "D", "owned": "T", "share": 60, "relationship": "voting_rights"}]
    assert labels(run_rules, rows, ["D"]) == {"ofac": "none", "eu": "block", "uk": "block"}


def test_nominee_holdings_count_as_ownership(run_rules):
    rows = [{"owner": "D", "owned": "T", "share": 55, "relationship": "nominee"}]
    assert labels(run_rules, rows, ["D"]) == {"ofac": "block", "eu": "block", "uk": "block"}


@pytest.mark.parametrize(
    "share,expected",
    [
        ("", "review"),
        ("40-60", "review"),
        (">50", "block"),
        ("majority", "block"),
        ("<50", "none"),
        ("10-40", "none"),
        ("abc", "review"),
        ("-5", "review"),
        ("150", "review"),
    ],
)
def test_unknown_and_ranged_shares_are_conservative(run_rules, share, expected):
    result, graph, data = run_rules([{"owner": "D", "owned": "T", "share": share}], ["D"])
    assert result.label(graph.index["T"]) == expected
    if expected == "review":
        from proscribe.ownership.explain import review_reasons

        assert review_reasons(result, graph.index["T"])


def test_review_propagates_but_never_blocks(run_rules):
    rows = [{"owner": "D", "owned": "A", "share": ""}, {"owner": "A", "owned": "T", "share": 100}]
    result, graph, _ = run_rules(rows, ["D"])
    assert result.label(graph.index["A"]) == "review" and result.label(graph.index["T"]) == "review"


def test_a_possible_list_match_leads_to_review(run_rules):
    result, graph, _ = run_rules([{"owner": "P", "owned": "T", "share": 80}], [], uncertain=["P"])
    assert result.label(graph.index["T"]) == "review"


def test_explanations_name_the_regime_and_the_evidence(run_rules):
    from proscribe.ownership.explain import sentence

    rows = [
        {"owner": "D", "owned": "T", "relationship": "control", "control_basis": "shareholder_agreement"},
        {"owner": "D", "owned": "U", "relationship": "directorship"},
        {"owner": "D", "owned": "V", "share": "25-75"},
    ]
    eu, graph, _ = run_rules(rows, ["D"], regime="eu")
    assert sentence(eu, graph.index["T"]) == (
        "blocked under EU owned-or-controlled test: controlled by D (D) (shareholder agreement)"
    )
    assert "a listed person is a director (possible control)" in sentence(eu, graph.index["U"])
    uk, graph, _ = run_rules(rows, ["D"], regime="uk")
    assert sentence(uk, graph.index["V"]).startswith(
        "review under UK ownership and control test (evidence uncertain: share given as a range): 25-75% owned by D"
    )
    ofac, graph, _ = run_rules(rows, ["D"], regime="ofac")
    assert sentence(ofac, graph.index["T"]) == "not blocked under OFAC 50% rule"
