"""The yente-like anchor of the screening speed benchmark; runs inside ``bench/.venv-anchor``.

What yente does for a ``/match`` request, without an Elasticsearch server:

1. candidates: the query's name against every name, alias, former name and weak alias of every
   current list entity, the top 30 by ``rapidfuzz.process.extract`` with ``fuzz.WRatio`` (list
   names lower-cased and stripped of punctuation once, at load time, with rapidfuzz's
   ``default_process``; the query name the same way, per query);
2. rescoring: each distinct candidate entity is built as a FollowTheMoney entity (as yente builds
   them from its search hits) and scored against the query entity with nomenklatura's
   ``logic-v2``; results at or above 0.7 (yente's default threshold) count as hits.

Pinned to CPU 0, single process. Usage (``bench/speed.py`` calls it)::

    bench/.venv-anchor/bin/python bench/anchor_yente_like.py ENTITIES.jsonl QUERIES.json OUT.json

ENTITIES.jsonl: one ``{"id", "schema", "properties"}`` a line; QUERIES.json: a list of queries in
the shape ``proscribe.screen`` takes. OUT.json: per-query latency (and its candidate and rescoring
parts), top result, and the summary.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from importlib.metadata import version

CANDIDATES = 30
THRESHOLD = 0.7
WARMUP = 10
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")


def main(entities_path: str, queries_path: str, out_path: str) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    from followthemoney import model
    from nomenklatura.matching import LogicV2, ScoringConfig
    from rapidfuzz import fuzz, process, utils

    t_load = time.perf_counter()
    entities: list[dict] = []
    name_owner: list[int] = []
    names: list[str] = []
    with open(entities_path, encoding="utf-8") as handle:
        for line in handle:
            entity = json.loads(line)
            idx = len(entities)
            entities.append(entity)
            for prop in NAME_PROPS:
                for name in entity["properties"].get(prop, ()):
                    processed = utils.default_process(name)
                    if processed:
                        names.append(processed)
                        name_owner.append(idx)
    load_s = time.perf_counter() - t_load
    with open(queries_path, encoding="utf-8") as handle:
        queries = json.load(handle)
    config = ScoringConfig.defaults()
    calls: list[None] = []

    def make(schema: str, props: dict, entity_id: str, cleaned: bool):
        proxy = model.make_entity(schema)
        proxy.id = entity_id
        for prop, values in props.items():
            proxy.add(prop, values, cleaned=cleaned, quiet=True)
        return proxy

    def run(query: dict) -> tuple[float, float, float, str | None, float]:
        t0 = time.perf_counter()
        owners: dict[int, None] = {}
        for name in query["properties"].get("name", ()):
            processed = utils.default_process(name)
            if not processed:
                continue
            for _, _, pos in process.extract(processed, names, scorer=fuzz.WRatio, limit=CANDIDATES):
                owners.setdefault(name_owner[pos], None)
        t1 = time.perf_counter()
        # a fresh id per call: nomenklatura memoises name analysis by entity id, so reusing one id
        # ("query") for different queries would score every query with the first one's names
        calls.append(None)
        query_entity = make(
            query.get("schema", "LegalEntity"), query["properties"], f"query-{len(calls)}", cleaned=False
        )
        best_id, best_score = None, 0.0
        for idx in owners:
            entity = entities[idx]
            result = make(entity["schema"], entity["properties"], entity["id"], cleaned=True)
            score = LogicV2.compare(query_entity, result, config).score
            if score > best_score:
                best_id, best_score = entity["id"], score
        t2 = time.perf_counter()
        return t2 - t0, t1 - t0, t2 - t1, best_id, best_score

    for query in queries[:WARMUP]:
        run(query)
    rows = []
    t_start, c_start = time.perf_counter(), time.process_time()
    for query in queries:
        c = time.process_time()
        total, cand, rescore, best_id, best_score = run(query)
        cpu = time.process_time() - c
        hit = best_id if best_score >= THRESHOLD else None
        rows.append(
            {
                "id": query.get("id"),
                "latency_s": total,
                "cpu_s": cpu,
                "candidates_s": cand,
                "rescore_s": rescore,
                "top": hit,
                "top_score": round(best_score, 4),
            }
        )
    elapsed, cpu_elapsed = time.perf_counter() - t_start, time.process_time() - c_start
    summary = {
        "queries": len(queries),
        "elapsed_s": elapsed,
        "qps": len(queries) / elapsed if elapsed else None,
        "cpu_s": cpu_elapsed,
        "cpu_qps": len(queries) / cpu_elapsed if cpu_elapsed else None,
        "list_names": len(names),
        "list_entities": len(entities),
        "load_s": load_s,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "candidates_per_query": CANDIDATES,
        "threshold": THRESHOLD,
        "versions": {pkg: version(pkg) for pkg in ("nomenklatura", "followthemoney", "rapidfuzz", "rigour")},
        "python": sys.version.split()[0],
    }
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump({"summary": summary, "rows": rows}, handle)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
