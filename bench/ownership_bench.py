"""Ownership benchmark: a synthetic corporate graph, full and incremental OFAC computation.

    .venv/bin/python bench/ownership_bench.py [--nodes 1000000] [--edges 2000000] [--seed 7]

The graph: nodes in 10 layers (chains up to 10 levels deep); 90% of the edges go from one layer
to the next, 10% are random back/side edges (so there are cycles); shares are drawn between 1%
and 100% (a tenth of the edges unknown); 2% of the edges are nominee holdings, 3% voting rights,
2% recorded control (so the EU and UK results differ from OFAC's). 1% of the nodes of the top three layers are listed.
Measures: building the arrays, the full two-level OFAC (and EU) computation, incremental recomputation
after one new designation and after one removed designation (checked against a full run), and
peak memory (RSS).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from proscribe.ownership.eu import REGIME as EU  # noqa: E402
from proscribe.ownership.graph import CONTROL, NOMINEE, SHAREHOLDING, VOTING, OwnershipGraph  # noqa: E402
from proscribe.ownership.ofac import REGIME  # noqa: E402
from proscribe.ownership.regime import compute  # noqa: E402

LEVELS = 10


def synthetic(nodes: int, edges: int, seed: int):
    rng = np.random.default_rng(seed)
    level = np.sort(rng.integers(0, LEVELS, nodes)).astype(np.int32)
    starts = np.searchsorted(level, np.arange(LEVELS + 1))
    forward = int(edges * 0.9)
    src_level = rng.integers(0, LEVELS - 1, forward)
    lo, hi = starts[src_level], starts[src_level + 1]
    src = (lo + (rng.random(forward) * (hi - lo)).astype(np.int64)).astype(np.int32)
    lo2, hi2 = starts[src_level + 1], starts[src_level + 2]
    dst = (lo2 + (rng.random(forward) * (hi2 - lo2)).astype(np.int64)).astype(np.int32)
    extra = edges - forward
    src = np.concatenate([src, rng.integers(0, nodes, extra).astype(np.int32)])
    dst = np.concatenate([dst, rng.integers(0, nodes, extra).astype(np.int32)])
    keep = src != dst
    src, dst = src[keep], dst[keep]
    m = len(src)
    share = np.round(rng.uniform(1, 100, m), 2)
    unknown = rng.random(m) < 0.1
    low = np.where(unknown, 0.0, share)
    high = np.where(unknown, 100.0, share)
    draw = rng.random(m)
    kind = np.select(
        [draw < 0.02, draw < 0.05, draw < 0.07], [NOMINEE, VOTING, CONTROL], SHAREHOLDING
    ).astype(np.int8)
    low = np.where(kind == CONTROL, 0.0, low)
    high = np.where(kind == CONTROL, 0.0, high)
    top = starts[3]
    listed = np.zeros(nodes, dtype=bool)
    listed[rng.choice(top, size=max(1, top // 100), replace=False)] = True
    ids = [f"n{i}" for i in range(nodes)]
    return ids, src, dst, kind, low, high, listed, rng


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="Write the figures here as JSON.")
    parser.add_argument("--uk", action="store_true", help="Also time the UK regime (a Python worklist).")
    args = parser.parse_args()

    t0 = time.perf_counter()
    ids, src, dst, kind, low, high, listed, rng = synthetic(args.nodes, args.edges, args.seed)
    t_gen = time.perf_counter() - t0
    rss_data = peak_rss_mib()

    t0 = time.perf_counter()
    graph = OwnershipGraph(ids, src, dst, kind, low, high)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = compute(REGIME, graph, listed)
    t_full = time.perf_counter() - t0
    t0 = time.perf_counter()
    eu_result = compute(EU, graph, listed)
    t_eu = time.perf_counter() - t0
    eu_blocked = int((eu_result.status == 2).sum())
    del eu_result
    t_uk, uk_blocked, t_uk_add, uk_identical = None, 0, None, None
    if args.uk:
        from proscribe.ownership.uk import REGIME as UK

        t0 = time.perf_counter()
        uk_result = compute(UK, graph, listed)
        t_uk = time.perf_counter() - t0
        uk_blocked = int((uk_result.status == 2).sum())
        # incremental UK: one new designation of a party nobody designated controls yet
        top = graph.n // LEVELS
        free = np.flatnonzero(~listed[:top] & (uk_result.status[:top] == 0))
        uk_new = int(free[np.argmax(np.diff(graph.out_ptr)[free])])
        uk_listed = listed.copy()
        uk_listed[uk_new] = True
        t0 = time.perf_counter()
        uk_result.update(uk_listed)
        t_uk_add = time.perf_counter() - t0
        uk_identical = bool(np.array_equal(compute(UK, graph, uk_listed).status, uk_result.status))
        del uk_result
    blocked = int((result.status == 2).sum())
    review = int((result.status == 1).sum())

    # incremental: one new designation with many holdings downstream (a top-layer node)
    candidates = np.flatnonzero(~listed[: graph.n // LEVELS] & (result.status[: graph.n // LEVELS] == 0))
    out_degree = np.diff(graph.out_ptr)[candidates]
    new_node = int(candidates[np.argmax(out_degree)])
    listed_add = listed.copy()
    listed_add[new_node] = True
    t0 = time.perf_counter()
    changed_add = result.update(listed_add)
    t_add = time.perf_counter() - t0

    # incremental: one designation removed (the listed node with the most derived descendants' edges)
    listed_nodes = np.flatnonzero(listed_add)
    degrees = np.diff(graph.out_ptr)[listed_nodes]
    removed_node = int(listed_nodes[np.argmax(degrees)])
    listed_remove = listed_add.copy()
    listed_remove[removed_node] = False
    t0 = time.perf_counter()
    changed_remove = result.update(listed_remove)
    t_remove = time.perf_counter() - t0

    check = compute(REGIME, graph, listed_remove)
    identical = bool(np.array_equal(check.status, result.status))

    cycles_note = "random side/back edges (10%) create cycles"
    figures = {
        "nodes": graph.n,
        "edges": int(len(graph.src)),
        "levels": LEVELS,
        "listed": int(listed.sum()),
        "generate_s": round(t_gen, 2),
        "build_arrays_s": round(t_build, 2),
        "full_ofac_s": round(t_full, 2),
        "full_eu_s": round(t_eu, 2),
        "eu_derived_block": eu_blocked,
        **({"full_uk_s": round(t_uk, 2), "uk_derived_block": uk_blocked, "incremental_uk_add_s": round(t_uk_add, 3),
            "uk_incremental_equals_full": uk_identical} if t_uk is not None else {}),
        "derived_block": blocked,
        "derived_review": review,
        "incremental_add_designation_s": round(t_add, 4),
        "changed_by_add": int(len(changed_add)),
        "incremental_remove_designation_s": round(t_remove, 4),
        "changed_by_remove": int(len(changed_remove)),
        "incremental_equals_full": identical,
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "rss_after_generation_mib": round(rss_data, 1),
        "cycles": cycles_note,
    }
    for key, value in figures.items():
        print(f"{key:36s} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    if not identical:
        raise SystemExit("incremental result differs from a full computation")


if __name__ == "__main__":
    main()
