"""Incremental recomputation equals a full one, and touches only the affected part."""

from __future__ import annotations

import numpy as np
import pytest

from proscribe.ownership.graph import SHAREHOLDING, OwnershipGraph
from proscribe.ownership.regime import compute, regime_by_name


def random_graph(seed: int, n: int = 400, m: int = 900):
    rng = np.random.default_rng(seed)
    src = rng.integers(0, n, m).astype(np.int32)
    dst = rng.integers(0, n, m).astype(np.int32)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    share = np.round(rng.uniform(5, 100, len(src)), 1)
    unknown = rng.random(len(src)) < 0.1
    graph = OwnershipGraph(
        [f"n{i}" for i in range(n)],
        src,
        dst,
        np.full(len(src), SHAREHOLDING, dtype=np.int8),
        np.where(unknown, 0.0, share),
        np.where(unknown, 100.0, share),
    )
    listed = np.zeros(n, dtype=bool)
    listed[rng.choice(n, 8, replace=False)] = True
    return graph, listed, rng


@pytest.mark.parametrize("regime", ["ofac", "eu", "uk"])
@pytest.mark.parametrize("seed", range(6))
def test_updates_match_full_computation(regime, seed):
    graph, listed, rng = random_graph(seed)
    rule = regime_by_name(regime)
    result = compute(rule, graph, listed)
    for step in range(12):
        listed = listed.copy()
        node = int(rng.integers(0, graph.n))
        listed[node] = not listed[node]  # a designation added or removed
        changed = result.update(listed)
        full = compute(rule, graph, listed)
        assert np.array_equal(full.status, result.status), (seed, step)
        assert set(changed.tolist()) <= set(range(graph.n))


def test_edge_change_with_touched_nodes():
    graph, listed, rng = random_graph(3)
    rule = regime_by_name("ofac")
    result = compute(rule, graph, listed)
    # change some shares in place, then tell the engine which owned entities were touched
    picked = rng.choice(len(graph.src), 30, replace=False)
    graph.low[picked] = 0.0
    graph.high[picked] = 0.0
    for fp in (result.certain, result.possible):
        for ch in fp.channels:
            ch.weights[picked] = 0.0
    result.update(listed, touched=np.unique(graph.dst[picked]))
    fresh = OwnershipGraph(graph.ids, graph.src, graph.dst, graph.kind, graph.low, graph.high)
    assert np.array_equal(compute(rule, fresh, listed).status, result.status)


def test_new_designation_touches_only_its_downstream():
    # two separate chains; designating the head of one changes nothing in the other
    ids = ["a0", "a1", "a2", "b0", "b1", "b2"]
    src = np.array([0, 1, 3, 4])
    dst = np.array([1, 2, 4, 5])
    graph = OwnershipGraph(ids, src, dst, np.zeros(4, dtype=np.int8), np.full(4, 60.0), np.full(4, 60.0))
    listed = np.array([True, False, False, False, False, False])
    result = compute(regime_by_name("ofac"), graph, listed)
    listed2 = listed.copy()
    listed2[3] = True
    changed = result.update(listed2)
    assert sorted(graph.ids[i] for i in changed) == ["b1", "b2"]  # b0 is listed, not derived


@pytest.mark.parametrize("seed", range(4))
def test_rebase_after_ownership_data_changes_matches_full(seed, run_rules):
    from proscribe.ownership.graph import data_from_rows

    rng = np.random.default_rng(seed)
    names = [f"E{i}" for i in range(60)]

    def rows_for(r):
        out = []
        for _ in range(140):
            a, b = r.choice(60, 2, replace=False)
            out.append({"owner": names[a], "owned": names[b], "share": float(r.integers(10, 90))})
        return out

    rows = rows_for(rng)
    listed_names = ["E0", "E1", "E2", "E3"]
    rule = regime_by_name("ofac")
    data = data_from_rows(rows, as_of="2026-11-01")
    graph = OwnershipGraph.from_data(data, "2026-11-01", extra_ids=names)
    listed = np.isin(np.array(graph.ids), listed_names)
    result = compute(rule, graph, listed)
    # change the data: drop ten rows, add ten, alter five shares; add a new party
    changed = rows[10:] + rows_for(rng)[:10]
    for row in changed[:5]:
        row["share"] = float(rng.integers(10, 90))
    changed.append({"owner": "E0", "owned": "NEW", "share": 70})
    data2 = data_from_rows(changed, as_of="2026-11-01")
    graph2 = OwnershipGraph.from_data(data2, "2026-11-01", extra_ids=names)
    listed2 = np.isin(np.array(graph2.ids), listed_names)
    old_keys = {(e.owner, e.owned, e.relationship, e.joint_group): e.bounds for e in graph.edges}
    new_keys = {(e.owner, e.owned, e.relationship, e.joint_group): e.bounds for e in graph2.edges}
    touched = {k[1] for k in set(old_keys) ^ set(new_keys)}
    touched |= {k[1] for k in set(old_keys) & set(new_keys) if old_keys[k] != new_keys[k]}
    rebased = result.rebase(graph2, listed2, np.zeros(graph2.n, dtype=bool), touched)
    full = compute(rule, graph2, listed2)
    assert np.array_equal(rebased.status, full.status)
    from proscribe.ownership.explain import contributing_edges

    for node in np.flatnonzero(rebased.status == 2):
        assert graph2.low[contributing_edges(rebased, int(node), rebased.certain)].sum() >= 50 - 1e-9
    assert rebased.label(graph2.index["NEW"]) == "block"


@pytest.mark.parametrize("seed", range(4))
def test_explanations_after_updates_justify_every_block_without_cycles(seed):
    from proscribe.ownership.explain import contributing_edges, path_tree

    graph, listed, rng = random_graph(seed + 10)
    rule = regime_by_name("ofac")
    result = compute(rule, graph, listed)
    for _ in range(8):
        listed = listed.copy()
        node = int(rng.integers(0, graph.n))
        listed[node] = not listed[node]
        result.update(listed)
    for node in np.flatnonzero(result.status == 2):
        edges = contributing_edges(result, int(node), result.certain)
        assert graph.low[edges].sum() >= 50 - 1e-9
        tree = path_tree(result, int(node))
        stack = [(tree, {tree.node})]
        while stack:
            item, seen = stack.pop()
            for _label, _rel, child in item.owners:
                assert child.node not in seen and not child.repeated
                stack.append((child, seen | {child.node}))


def test_cycle_support_is_not_shown_as_a_reason(run_rules):
    from proscribe.ownership.explain import path_tree, sentence, text_tree

    rows = [
        {"owner": "X", "owned": "A", "share": 50},
        {"owner": "A", "owned": "B", "share": 60},
        {"owner": "B", "owned": "A", "share": 5},
    ]
    result, graph, _ = run_rules(rows, ["X"])
    assert (
        sentence(result, graph.index["B"])
        == "blocked under OFAC 50% rule: 60% owned by X (X) through A (50%)"
    )
    assert "5%" not in text_tree(path_tree(result, graph.index["B"]))


@pytest.mark.parametrize("seed", range(6))
def test_uk_new_designations_continue_from_the_current_state_with_joint_arrangements(seed):
    graph, listed, rng = random_graph(seed)
    # a tenth of the holdings belong to joint arrangements (aggregated as one holder under the UK test)
    joint = np.where(rng.random(len(graph.src)) < 0.1, rng.integers(0, 5, len(graph.src)), -1).astype(np.int64)
    graph = OwnershipGraph(graph.ids, graph.src, graph.dst, graph.kind, graph.low, graph.high, joint=joint)
    rule = regime_by_name("uk")
    result = compute(rule, graph, listed)
    for step in range(10):
        listed = listed.copy()
        listed[int(rng.integers(0, graph.n))] = True  # additions only: the incremental path
        result.update(listed)
        full = compute(rule, graph, listed)
        assert np.array_equal(full.status, result.status), (seed, step)
