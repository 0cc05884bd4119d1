"""OFAC's 50 Percent Rule: the worked examples of OFAC FAQs 398 to 402, reproduced exactly."""

from __future__ import annotations

from proscribe.ownership import explain
from proscribe.ownership.regime import BLOCK, NONE


def status(result, graph, name):
    return result.label(graph.index[name])


def test_faq_398_control_without_ownership_does_not_block(run_rules):
    """FAQ 398: the rule speaks only to ownership; a blocked person's control (40% owned, the
    rest controlled) does not block the entity, but caution is noted."""
    rows = [
        {"owner": "X", "owned": "Entity A", "share": 40},
        {"owner": "X", "owned": "Entity A", "relationship": "control", "control_basis": "board_majority"},
    ]
    result, graph, _ = run_rules(rows, ["X"])
    assert status(result, graph, "Entity A") == "none"
    notes = explain.caution_notes(result, graph.index["Entity A"])
    assert any("control" in n and "does not block" in n for n in notes)
    assert any("40%" in n for n in notes)


def test_faq_399_holdings_of_persons_blocked_under_different_programs_add_up(run_rules):
    """FAQ 399: X (blocked under one program) owns 25% and Y (blocked under another) 25% of
    Entity A: aggregated, 50%: Entity A is blocked."""
    rows = [
        {"owner": "X", "owned": "Entity A", "share": 25},
        {"owner": "Y", "owned": "Entity A", "share": 25},
    ]
    result, graph, _ = run_rules(rows, ["X", "Y"])
    assert status(result, graph, "Entity A") == "block"
    line = explain.sentence(result, graph.index["Entity A"])
    assert line.startswith("blocked under OFAC 50% rule: 50% in aggregate:")
    assert "25% owned by X" in line and "25% owned by Y" in line


def test_faq_399_just_below_fifty_percent_in_aggregate_is_not_blocked(run_rules):
    rows = [
        {"owner": "X", "owned": "Entity A", "share": 25},
        {"owner": "Y", "owned": "Entity A", "share": 24.99},
    ]
    result, graph, _ = run_rules(rows, ["X", "Y"])
    assert status(result, graph, "Entity A") == "none"


def test_faq_400_blocked_executive_does_not_block_the_entity(run_rules):
    """FAQ 400: a blocked individual who is an executive of a non-blocked entity he controls
    but does not own: the entity is not blocked by the rule (dealing with him is prohibited);
    the explanation says so. Under the EU test a listed director is possible control: review."""
    rows = [{"owner": "X", "owned": "Entity A", "relationship": "directorship"}]
    result, graph, _ = run_rules(rows, ["X"])
    assert status(result, graph, "Entity A") == "none"
    assert any("director" in n for n in explain.caution_notes(result, graph.index["Entity A"]))
    eu, graph_eu, _ = run_rules(rows, ["X"], regime="eu")
    assert status(eu, graph_eu, "Entity A") == "review"


def test_faq_401_example_1_chain_counts_in_full(run_rules):
    """FAQ 401 example 1: X owns 50% of A, A owns 50% of B: A and B are blocked (B is not
    '25% indirectly'; percentages are not multiplied down the chain)."""
    rows = [
        {"owner": "X", "owned": "Entity A", "share": 50},
        {"owner": "Entity A", "owned": "Entity B", "share": 50},
    ]
    result, graph, _ = run_rules(rows, ["X"])
    assert status(result, graph, "Entity A") == "block"
    assert status(result, graph, "Entity B") == "block"
    assert explain.sentence(result, graph.index["Entity B"]) == (
        "blocked under OFAC 50% rule: 50% owned by X (X) through Entity A (50%)"
    )


def test_faq_401_example_2_two_blocked_subsidiaries_aggregate(run_rules):
    """FAQ 401 example 2: X owns 50% of A and 50% of B; A and B each own 25% of C: C blocked."""
    rows = [
        {"owner": "X", "owned": "Entity A", "share": 50},
        {"owner": "X", "owned": "Entity B", "share": 50},
        {"owner": "Entity A", "owned": "Entity C", "share": 25},
        {"owner": "Entity B", "owned": "Entity C", "share": 25},
    ]
    result, graph, _ = run_rules(rows, ["X"])
    assert [status(result, graph, n) for n in ("Entity A", "Entity B", "Entity C")] == ["block"] * 3
    tree = explain.path_tree(result, graph.index["Entity C"])
    assert tree.share == 50.0 and len(tree.owners) == 2


def test_faq_401_example_3_direct_and_indirect_holdings_add_up(run_rules):
    """FAQ 401 example 3: X owns 50% of A and 10% of B; A owns 40% of B: B blocked (10 + 40)."""
    rows = [
        {"owner": "X", "owned": "Entity A", "share": 50},
        {"owner": "X", "owned": "Entity B", "share": 10},
        {"owner": "Entity A", "owned": "Entity B", "share": 40},
    ]
    result, graph, _ = run_rules(rows, ["X"])
    assert status(result, graph, "Entity B") == "block"
    line = explain.sentence(result, graph.index["Entity B"])
    assert "40% owned by X (X) through Entity A (50%)" in line and "10% owned by X (X)" in line


def test_faq_401_no_multiplication_means_a_non_blocked_middle_stops_the_chain(run_rules):
    """FAQ 401 ("indirectly" = through entities themselves 50%+ owned by blocked persons):
    X owns 40% of A, A owns 100% of B: A is not blocked, so B is not either."""
    rows = [
        {"owner": "X", "owned": "Entity A", "share": 40},
        {"owner": "Entity A", "owned": "Entity B", "share": 100},
    ]
    result, graph, _ = run_rules(rows, ["X"])
    assert status(result, graph, "Entity A") == "none" and status(result, graph, "Entity B") == "none"


def test_faq_402_divestment_below_fifty_percent_unblocks_going_forward(run_rules):
    """FAQ 402: X held 60% of A until 2025-06-30 and then 30%: A was blocked before the
    divestment and is not after it; the change is recorded with the FAQ 402 caveat."""
    rows = [
        {
            "owner": "X",
            "owned": "Entity A",
            "share": 60,
            "start_date": "2020-01-01",
            "end_date": "2025-06-30",
        },
        {"owner": "X", "owned": "Entity A", "share": 30, "start_date": "2025-07-01"},
    ]
    before, graph_b, _ = run_rules(rows, ["X"], as_of="2025-01-01")
    after, graph_a, _ = run_rules(rows, ["X"], as_of="2026-01-01")
    assert before.status[graph_b.index["Entity A"]] == BLOCK
    assert after.status[graph_a.index["Entity A"]] == NONE
